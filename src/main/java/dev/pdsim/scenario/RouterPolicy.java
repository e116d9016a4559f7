package dev.pdsim.scenario;

/** How the router picks a prefill/decode pair for each request. */
public enum RouterPolicy implements NamedChoice {
    ROUND_ROBIN("round-robin"),
    RANDOM("random");

    private final String yamlName;

    RouterPolicy(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}

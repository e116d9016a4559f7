package dev.pdsim.scenario;

/** Which half of disaggregated serving an instance runs. */
public enum Role implements NamedChoice {
    PREFILL, DECODE;

    @Override
    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package dev.pdsim.scenario;

/**
 * What an instance serves: one half of disaggregated serving, or both (a colocated server, SGLang's
 * {@code --disaggregation-mode null}).
 */
public enum Role implements NamedChoice {
    PREFILL, DECODE, COLOCATED;

    @Override
    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The {@code --disaggregation-mode} value of this role. */
    public String disaggregationMode() {
        return this == COLOCATED ? "null" : yamlName();
    }
}

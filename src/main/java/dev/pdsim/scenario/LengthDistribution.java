package dev.pdsim.scenario;

/** How a request's input or output length is drawn ({@link LengthSpec}). */
public enum LengthDistribution implements NamedChoice {
    FIXED("fixed"),
    UNIFORM("uniform"),
    LOGNORMAL("lognormal");

    private final String yamlName;

    LengthDistribution(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}

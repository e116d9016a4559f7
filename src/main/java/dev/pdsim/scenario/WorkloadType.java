package dev.pdsim.scenario;

/** How user traffic arrives: open loop at a rate, or a closed loop of clients. */
public enum WorkloadType implements NamedChoice {
    /** Open loop: exponential inter-arrival times at {@code rate} requests per second. */
    POISSON("poisson"),
    /** Closed loop: {@code concurrency} requests in flight. */
    CONCURRENCY("concurrency");

    private final String yamlName;

    WorkloadType(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}

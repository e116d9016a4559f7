package dev.pdsim.scenario;

import java.util.List;

/** How user traffic arrives: open loop at a rate, a closed loop of clients, or replayed from a file. */
public enum WorkloadType implements NamedChoice {
    /** Open loop: exponential inter-arrival times at {@code rate} requests per second. */
    POISSON("poisson"),
    /** Closed loop: {@code concurrency} requests in flight. */
    CONCURRENCY("concurrency"),
    /** The arrivals and lengths of a trace file (Mooncake JSONL or CSV). */
    TRACE("trace");

    private final String yamlName;

    WorkloadType(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }

    /** The types that draw their requests from the seed rather than read them from a file. */
    public static List<String> syntheticNames() {
        return NamedChoice.names(WorkloadType.class).stream().filter(n -> !n.equals(TRACE.yamlName)).toList();
    }
}

package dev.pdsim.scenario;

/** The file formats a trace workload reads. */
public enum TraceFormat implements NamedChoice {
    /**
     * Mooncake's published JSONL: one request per line, {@code timestamp} in milliseconds,
     * {@code input_length}, {@code output_length} and {@code hash_ids}, the ids of its 512-token blocks.
     */
    MOONCAKE("mooncake"),
    /** {@code arrival_s,input_len,output_len[,prefix_group]} with that header line. */
    CSV("csv");

    private final String yamlName;

    TraceFormat(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}

package dev.pdsim.scenario;

/**
 * One request of a trace, as the file gives it.
 *
 * @param offsetNs    arrival after the trace's first request, before any speedup
 * @param blockIds    Mooncake's {@code hash_ids}: block i holds prompt tokens
 *                    [{@value #BLOCK_TOKENS} i, {@value #BLOCK_TOKENS} (i + 1)); empty when the file gives none
 * @param prefixGroup the CSV's {@code prefix_group}, or -1 for a prompt that shares nothing
 */
public record TraceRequest(long offsetNs, int inputLen, int outputLen, long[] blockIds, int prefixGroup) {
    /** Tokens per {@code hash_ids} block in Mooncake's traces. */
    public static final int BLOCK_TOKENS = 512;
}

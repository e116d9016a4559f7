package dev.pdsim.metadata;

/**
 * The arithmetic of {@code get_dp_local_info(forward_batch)} when the counts are present: each
 * rank's rows start at the cumsum of the earlier ranks' counts (srt/layers/dp_attention.py:167-182).
 * The buffer itself is the batch's {@code gathered_buffer}, not something this call sizes.
 */
final class DpLocalInfo {
    private DpLocalInfo() {
    }

    /**
     * Every rank's slice at once: the cumsum is the same on every rank (they all hold the
     * all-gathered counts), so it is taken once per gather rather than once per rank.
     *
     * @param starts  filled with each rank's first row
     * @param lengths filled with each rank's rows
     */
    static void fromCounts(long[] globalNumTokens, long[] starts, long[] lengths) {
        long start = 0;
        for (int r = 0; r < globalNumTokens.length; r++) {
            starts[r] = start;
            lengths[r] = globalNumTokens[r];
            start += globalNumTokens[r];
        }
    }
}

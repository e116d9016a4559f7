package dev.pdsim.metadata;

/**
 * What {@code get_dp_local_info(forward_batch)} gives one rank for a DP gather or scatter: where its
 * own rows go in the gathered buffer, or the error it raises (srt/layers/dp_attention.py:167-182).
 * The buffer itself is the batch's {@code gathered_buffer}, not something this call sizes.
 */
public sealed interface DpLocalInfo {

    /** @param start first row of this rank's tokens; @param length its tokens */
    record Slice(long start, long length) implements DpLocalInfo {
    }

    /** The call raised instead of returning. */
    record Raises(String error) implements DpLocalInfo {
    }

    /** SGLang's arithmetic when the counts are present: cumsum over ranks. */
    static DpLocalInfo fromCounts(int dpRank, long[] globalNumTokens) {
        long start = 0;
        for (int r = 0; r < dpRank; r++) {
            start += globalNumTokens[r];
        }
        return new Slice(start, globalNumTokens[dpRank]);
    }
}

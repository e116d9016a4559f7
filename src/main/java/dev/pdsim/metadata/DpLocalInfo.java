package dev.pdsim.metadata;

/**
 * What {@code get_dp_local_info(forward_batch)} gives one rank for a DP gather or scatter: where its
 * own rows go in the gathered buffer and how long it believes that buffer is, or the error it raises.
 */
public sealed interface DpLocalInfo {

    /** @param start first row of this rank's tokens; @param length its tokens; @param bufferLength rows of the buffer */
    record Slice(long start, long length, long bufferLength) implements DpLocalInfo {
    }

    /** The call raised instead of returning. */
    record Raises(String error) implements DpLocalInfo {
    }

    /** SGLang's arithmetic when the counts are present: cumsum over ranks. */
    static DpLocalInfo fromCounts(int dpRank, long[] globalNumTokens) {
        long start = 0;
        long total = 0;
        for (int r = 0; r < globalNumTokens.length; r++) {
            if (r < dpRank) {
                start += globalNumTokens[r];
            }
            total += globalNumTokens[r];
        }
        return new Slice(start, globalNumTokens[dpRank], total);
    }
}

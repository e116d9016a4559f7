package dev.pdsim.metadata;

import dev.pdsim.scenario.Strategy;

/**
 * The None-check workaround: {@code get_dp_local_info} stops raising and falls back to what the
 * rank knows locally. ASSUMPTION (the spec names the fallback, not its arithmetic): a rank that
 * only knows its own count assumes every DP rank holds as many tokens, so it writes at
 * {@code dp_rank * local}. Only that function changes: the child's {@code gathered_buffer} is
 * still what {@code filter_batch} gives it (None unless {@code moe_dense_tp_size == 1}, then the
 * child's own rows, srt/two_batch_overlap.py:349-360), so the gather goes on to
 * {@code global_tokens.fill_(0)} on None, or writes past a buffer sized for one rank, or
 * all-reduces buffers of different lengths when the ranks' children differ (a hang).
 */
public record NoneCheckInitStrategy() implements MetadataStrategy {
    @Override
    public Strategy strategy() {
        return Strategy.NONE_CHECK;
    }

    @Override
    public String summary() {
        return "missing counts fall back to local-only offsets: corrupts or hangs on uneven children";
    }

    @Override
    public String localInfo(long[] localTokens, long[] counts, long[] starts, long[] lengths) {
        if (counts != null) {
            return MetadataStrategy.super.localInfo(localTokens, counts, starts, lengths);
        }
        for (int r = 0; r < localTokens.length; r++) {
            starts[r] = r * localTokens[r];
            lengths[r] = localTokens[r];
        }
        return null;
    }
}

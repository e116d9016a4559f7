package dev.pdsim.metadata;

import dev.pdsim.scenario.Strategy;

/**
 * The None-check workaround: {@code get_dp_local_info} stops raising and falls back to what the
 * rank knows locally. ASSUMPTION (the spec names the fallback, not its arithmetic): a rank that
 * only knows its own count assumes every DP rank holds as many tokens, so it writes at
 * {@code dp_rank * local} and sizes the buffer {@code dp_size * local}. Equal children (the warmup)
 * are then laid out correctly; unequal ones overlap (corruption) and disagree on the all-reduce
 * length (a hang until the watchdog).
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
    public DpLocalInfo localInfo(int dpRank, int dpSize, long localTokens, long[] counts) {
        if (counts == null) {
            return new DpLocalInfo.Slice(dpRank * localTokens, localTokens, dpSize * localTokens);
        }
        return DpLocalInfo.fromCounts(dpRank, counts);
    }
}

package dev.pdsim.scenario;

/**
 * A service-level objective in bench_serving's terms, each bound in milliseconds and optional
 * (infinite when not given). A finished request is good when its time to first token, its time
 * per output token and every gap between two of its tokens are within the bounds given.
 *
 * <p>SGLang's bench_serving at 69183f8 computes no goodput; the rule is vLLM benchmark_serving's
 * {@code --goodput} (a request counts when every bounded metric of it is within its bound), with
 * TPOT as bench_serving defines it ({@code python/sglang/bench_serving.py:1118-1119}).
 */
public record Slo(double ttftMs, double tpotMs, double itlMs) {
    public static final Slo NONE = new Slo(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

    /** Whether any bound is given, i.e. whether goodput means anything. */
    public boolean given() {
        return !equals(NONE);
    }

    /**
     * @param ttftNs       time to first token
     * @param tpotNs       time per output token after the first, or negative for a one-token output (no TPOT)
     * @param itlWithin    whether every gap between two of its tokens was within {@link #itlMs}
     */
    public boolean met(long ttftNs, double tpotNs, boolean itlWithin) {
        return ttftNs / 1e6 <= ttftMs && tpotNs / 1e6 <= tpotMs && itlWithin;
    }

    /** The ITL bound in nanoseconds, {@link Long#MAX_VALUE} when none is given. */
    public long itlNs() {
        return Double.isInfinite(itlMs) ? Long.MAX_VALUE : (long) (itlMs * 1e6);
    }
}

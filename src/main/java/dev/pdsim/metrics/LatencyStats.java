package dev.pdsim.metrics;

import org.HdrHistogram.Histogram;

/**
 * TTFT, TPOT, inter-token latency and end-to-end latency of finished user requests, defined as
 * SGLang's bench_serving defines them (python/sglang/bench_serving.py:1109-1123 at 69183f8): TPOT
 * is {@code (e2e - ttft) / (output_len - 1)} of each request with more than one output token, ITL
 * every gap between two tokens of a request. Percentiles come from an HdrHistogram, which keeps
 * memory fixed however many samples arrive (ITL has one per output token) at 3 significant digits
 * (bench_serving interpolates between exact samples instead: the two differ by at most 0.1%);
 * means are exact, from the sums of the samples.
 */
public final class LatencyStats {
    /** Microseconds up to a simulated day. */
    private static final long MAX_US = 86_400L * 1_000_000;

    private final Latency ttft = new Latency();
    private final Latency tpot = new Latency();
    private final Latency itl = new Latency();
    private final Latency e2e = new Latency();

    public void recordTtft(long ns) {
        ttft.record(ns, 1);
    }

    public void recordTpot(long ns) {
        tpot.record(ns, 1);
    }

    public void recordE2e(long ns) {
        e2e.record(ns, 1);
    }

    /** One decode step of {@code ns} that produced a token for each of {@code requests} requests. */
    public void recordItl(long ns, long requests) {
        if (requests > 0) {
            itl.record(ns, requests);
        }
    }

    public LatencySummary ttft() {
        return ttft.summary();
    }

    public LatencySummary tpot() {
        return tpot.summary();
    }

    public LatencySummary itl() {
        return itl.summary();
    }

    public LatencySummary e2e() {
        return e2e.summary();
    }

    /** One latency's histogram and the exact sum of its samples. */
    private static final class Latency {
        private final Histogram histogram = new Histogram(MAX_US, 3);
        private long sumNs;

        void record(long ns, long count) {
            long clamped = Math.max(ns, 0);
            histogram.recordValueWithCount(Math.min(clamped / 1_000, MAX_US), count);
            sumNs += clamped * count;
        }

        LatencySummary summary() {
            long n = histogram.getTotalCount();
            if (n == 0) {
                return LatencySummary.EMPTY;
            }
            return new LatencySummary(sumNs / 1e6 / n, ms(histogram.getValueAtPercentile(50)),
                    ms(histogram.getValueAtPercentile(90)), ms(histogram.getValueAtPercentile(99)), n);
        }

        private static double ms(long us) {
            return us / 1000.0;
        }
    }
}

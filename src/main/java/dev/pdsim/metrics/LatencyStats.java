package dev.pdsim.metrics;

import org.HdrHistogram.Histogram;

/**
 * TTFT, inter-token latency and end-to-end latency of finished user requests. HdrHistogram keeps
 * memory fixed however many samples arrive (every decode step records its duration once per
 * request in it, so ITL has as many samples as output tokens) at 3 significant digits.
 */
public final class LatencyStats {
    /** Microseconds up to a simulated day. */
    private static final long MAX_US = 86_400L * 1_000_000;

    private final Histogram ttft = new Histogram(MAX_US, 3);
    private final Histogram itl = new Histogram(MAX_US, 3);
    private final Histogram e2e = new Histogram(MAX_US, 3);

    public void recordTtft(long ns) {
        ttft.recordValue(clamp(ns));
    }

    public void recordE2e(long ns) {
        e2e.recordValue(clamp(ns));
    }

    /** One decode step of {@code ns} that produced a token for each of {@code requests} requests. */
    public void recordItl(long ns, long requests) {
        if (requests > 0) {
            itl.recordValueWithCount(clamp(ns), requests);
        }
    }

    public Percentiles ttft() {
        return of(ttft);
    }

    public Percentiles itl() {
        return of(itl);
    }

    public Percentiles e2e() {
        return of(e2e);
    }

    private static long clamp(long ns) {
        return Math.min(Math.max(ns / 1_000, 0), MAX_US);
    }

    private static Percentiles of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return Percentiles.NONE;
        }
        return new Percentiles(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), h.getTotalCount());
    }

    private static double ms(long us) {
        return us / 1000.0;
    }
}

package dev.pdsim.metrics;

/** p50/p90/p99 of a latency, in milliseconds; zeros when nothing was recorded. */
public record Percentiles(double p50, double p90, double p99, long count) {
    public static final Percentiles NONE = new Percentiles(0, 0, 0, 0);
}

package dev.pdsim.metrics;

/**
 * One latency as bench_serving reports it, in milliseconds: the mean and the p50 (bench_serving's
 * "median"), p90 and p99, over {@code count} samples. A latency nobody produced (a crashed run, no
 * request finished) is {@link #EMPTY}, whose figures are NaN so that no report can print it as 0.
 */
public record LatencySummary(double mean, double p50, double p90, double p99, long count) {
    public static final LatencySummary EMPTY = new LatencySummary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);

    public boolean empty() {
        return count == 0;
    }
}

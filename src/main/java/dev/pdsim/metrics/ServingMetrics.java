package dev.pdsim.metrics;

/**
 * Counters of one run. Throughput counts only the tokens computed inside the measurement window
 * (the user-traffic period), so warmup and the drain after traffic stops do not dilute it.
 */
public final class ServingMetrics {
    private final LatencyStats latency = new LatencyStats();
    private long windowStartNs = Long.MAX_VALUE;
    private long windowEndNs = Long.MAX_VALUE;
    private long inputTokens;
    private long outputTokens;
    private long syncs;
    private long syncBytes;
    private long syncNs;

    public void window(long startNs, long endNs) {
        this.windowStartNs = startNs;
        this.windowEndNs = endNs;
    }

    private boolean inWindow(long t) {
        return t > windowStartNs && t <= windowEndNs;
    }

    /** Prompt tokens computed by a prefill forward that ended at {@code t}. */
    public void prefillTokens(long tokens, long t) {
        if (inWindow(t)) {
            inputTokens += tokens;
        }
    }

    /** Output tokens produced at {@code t} (a decode step, or first tokens joining the batch). */
    public void outputTokens(long tokens, long t) {
        if (inWindow(t)) {
            outputTokens += tokens;
        }
    }

    /** A decode step of {@code ns} gave one token to each of {@code requests} running requests. */
    public void decodeStep(long ns, long requests, long t) {
        if (t > windowStartNs) {
            latency.recordItl(ns, requests);
        }
        outputTokens(requests, t);
    }

    public void mlpSync(long bytes, long ns) {
        syncs++;
        syncBytes += bytes;
        syncNs += ns;
    }

    public LatencyStats latency() {
        return latency;
    }

    public long inputTokensInWindow() {
        return inputTokens;
    }

    public long outputTokensInWindow() {
        return outputTokens;
    }

    public double windowSeconds() {
        return (windowEndNs - windowStartNs) / 1e9;
    }

    /** Mean bytes all-gathered per MLP sync (all ranks of the instance together). */
    public double meanSyncBytes() {
        return syncs == 0 ? 0 : (double) syncBytes / syncs;
    }

    public double meanSyncMicros() {
        return syncs == 0 ? 0 : syncNs / 1e3 / syncs;
    }
}

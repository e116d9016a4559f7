package dev.pdsim.metrics;

/**
 * Counters of one run. The per-node throughput counts only the tokens computed inside the
 * measurement window (the user-traffic period), so warmup and the drain after traffic stops do not
 * dilute it; the bench_serving totals count the prompts and outputs of finished requests, as
 * bench_serving does (python/sglang/bench_serving.py:1110-1125 at 69183f8).
 */
public final class ServingMetrics {
    private final LatencyStats latency = new LatencyStats();
    private long windowStartNs = Long.MAX_VALUE;
    private long windowEndNs = Long.MAX_VALUE;
    private long inputTokens;
    private long outputTokens;
    private long finishedInputTokens;
    private long finishedOutputTokens;

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

    /** A user request finished with its prompt of {@code inputLen} and all its {@code outputLen} tokens. */
    public void finishedRequest(int inputLen, int outputLen) {
        finishedInputTokens += inputLen;
        finishedOutputTokens += outputLen;
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

    public long finishedInputTokens() {
        return finishedInputTokens;
    }

    public long finishedOutputTokens() {
        return finishedOutputTokens;
    }
}

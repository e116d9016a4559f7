package dev.pdsim.serving;

/**
 * A service-level objective: a finished request counts toward goodput when its time to first token
 * and its mean inter-token latency are both within bounds.
 */
public record Slo(double ttftMs, double itlMs) {
    public static final Slo NONE = new Slo(Double.MAX_VALUE, Double.MAX_VALUE);

    boolean met(long ttftNs, long decodeNs, int outputTokens) {
        double meanItlMs = outputTokens <= 1 ? 0 : decodeNs / 1e6 / (outputTokens - 1);
        return ttftNs / 1e6 <= ttftMs && meanItlMs <= itlMs;
    }
}

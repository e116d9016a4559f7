package dev.pdsim.serving;

import java.util.Arrays;

/**
 * What speculative decoding did over a run's decode servers: how many tokens each verify gave a
 * request, against the analytic mean of the scenario's acceptance, and the decode speed each user
 * saw (output tokens per second after the first, 1 / bench_serving's TPOT, over finished requests).
 *
 * @param acceptedLengths verifies by accepted length, index 1..num_draft_tokens (index 0 unused)
 * @param analyticMean    {@code 1 + sum_k prod_{i<=k} p_i} for the servers' draft count
 * @param userTokensPerS  per finished user request with more than one output token, in finishing order
 */
public record SpeculativeUse(long[] acceptedLengths, double analyticMean, double[] userTokensPerS) {

    public long verifies() {
        return Arrays.stream(acceptedLengths).sum();
    }

    /** Mean accepted length per verify, 0 before any. */
    public double acceptedLengthMean() {
        long n = verifies();
        long sum = 0;
        for (int len = 1; len < acceptedLengths.length; len++) {
            sum += len * acceptedLengths[len];
        }
        return n == 0 ? 0 : (double) sum / n;
    }

    public double userTokensPerSMean() {
        return Arrays.stream(userTokensPerS).average().orElse(0);
    }

    /** The lower median, 0 without requests. */
    public double userTokensPerSP50() {
        if (userTokensPerS.length == 0) {
            return 0;
        }
        double[] sorted = userTokensPerS.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }
}

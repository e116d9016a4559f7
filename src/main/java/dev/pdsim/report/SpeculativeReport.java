package dev.pdsim.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.serving.SpeculativeUse;
import java.util.Locale;

/**
 * The speculative-decoding figures of a run whose decode servers speculate: accepted length per
 * verify (mean, its analytic value, and how often each length came), and output tokens per second
 * each user saw while decoding. A run without speculation has none.
 */
final class SpeculativeReport {
    private SpeculativeReport() {
    }

    /** Adds {@code speculative} to a summary when a server speculated. */
    static void putJson(ObjectNode root, SpeculativeUse use) {
        if (use == null) {
            return;
        }
        ObjectNode n = root.putObject("speculative");
        n.put("verifies", use.verifies());
        n.put("accepted_length_mean", SummaryJson.round(use.acceptedLengthMean(), 4));
        n.put("accepted_length_analytic", SummaryJson.round(use.analyticMean(), 4));
        ObjectNode histogram = n.putObject("accepted_length_counts");
        long[] counts = use.acceptedLengths();
        for (int len = 1; len < counts.length; len++) {
            histogram.put(Integer.toString(len), counts[len]);
        }
        ObjectNode perUser = n.putObject("tokens_per_s_per_user");
        perUser.put("mean", SummaryJson.round(use.userTokensPerSMean(), 3));
        perUser.put("p50", SummaryJson.round(use.userTokensPerSP50(), 3));
    }

    /** One console line; empty when no server speculated. */
    static String console(SpeculativeUse use) {
        if (use == null) {
            return "";
        }
        return String.format(Locale.ROOT, "  speculative: accepted length %.3f per verify (analytic %.3f, %d verifies), "
                        + "decode %.1f tokens/s per user (p50 %.1f)%n", use.acceptedLengthMean(), use.analyticMean(),
                use.verifies(), use.userTokensPerSMean(), use.userTokensPerSP50());
    }
}

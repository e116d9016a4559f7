package dev.pdsim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.serving.PrefixCacheUse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The prefix-cache figures of a run whose prompts share prefixes: served prompt tokens, those
 * computed (the rest came from a DP rank's radix cache) and the hit rate, in total and per prefill
 * instance with each DP rank's rate. A run without shared prefixes has none.
 */
final class PrefixCacheReport {
    private PrefixCacheReport() {
    }

    /** Adds {@code prefix_cache} to a summary when there is anything to report. */
    static void putJson(ObjectNode root, List<PrefixCacheUse> uses) {
        if (uses.isEmpty()) {
            return;
        }
        ObjectNode n = root.putObject("prefix_cache");
        long served = uses.stream().mapToLong(PrefixCacheUse::served).sum();
        long cached = uses.stream().mapToLong(PrefixCacheUse::cached).sum();
        n.put("served_input_tokens", served);
        n.put("computed_input_tokens", served - cached);
        n.put("hit_rate", SummaryJson.round(served == 0 ? 0 : (double) cached / served, 4));
        ArrayNode instances = n.putArray("instances");
        for (PrefixCacheUse u : uses) {
            ObjectNode i = instances.addObject();
            i.put("instance", u.instance());
            i.put("radix_cache", u.radixCache());
            i.put("served_input_tokens", u.served());
            i.put("computed_input_tokens", u.computed());
            i.put("hit_rate", SummaryJson.round(u.hitRate(), 4));
            ArrayNode ranks = i.putArray("rank_hit_rates");
            Arrays.stream(u.rankHitRates()).forEach(rate -> ranks.add(SummaryJson.round(rate, 4)));
        }
    }

    /** Console lines, one per prefill instance; none when there is nothing to report. */
    static String console(List<PrefixCacheUse> uses) {
        StringBuilder sb = new StringBuilder();
        for (PrefixCacheUse u : uses) {
            double[] ranks = u.rankHitRates();
            sb.append(String.format(Locale.ROOT, "  prefix cache %s: %s, hit rate %.1f%% (DP ranks %.1f-%.1f%%), "
                            + "input tokens served %d, computed %d%n", u.instance(),
                    u.radixCache() ? "radix" : "disabled", 100 * u.hitRate(),
                    100 * Arrays.stream(ranks).min().orElse(0), 100 * Arrays.stream(ranks).max().orElse(0),
                    u.served(), u.computed()));
        }
        return sb.toString();
    }
}

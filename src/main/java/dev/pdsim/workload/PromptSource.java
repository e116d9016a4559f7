package dev.pdsim.workload;

import dev.pdsim.scenario.PrefixSpec;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * The prompts of a synthetic workload: unique, or each starting with one of the shared prefixes,
 * the group drawn uniformly from its own stream ("workload.prefix"), so adding prefixes to a
 * workload leaves its arrivals and lengths as they were.
 */
final class PromptSource {
    private final PrefixSpec prefix;
    private final RandomGenerator groups;

    PromptSource(PrefixSpec prefix, RandomGenerator groups) {
        this.prefix = prefix;
        this.groups = groups;
    }

    Prompt next(int tokens) {
        return prefix == null ? Prompt.unique(tokens)
                : Prompt.withPrefix(tokens, groups.nextInt(prefix.groups()), prefix.length());
    }
}

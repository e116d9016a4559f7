package dev.pdsim.metadata;

import dev.pdsim.scenario.Strategy;

/**
 * Workaround: {@code --enable-deepep-moe --deepep-mode normal} on the prefill. MoE input becomes
 * SCATTERED, tokens reach experts by all-to-all, and no DP gather runs inside the TBO region
 * (what upstream later made mandatory for TBO). Normal mode, because {@code auto} is rejected
 * with DP attention at this tag.
 */
public record DeepEpStrategy() implements MetadataStrategy {
    @Override
    public Strategy strategy() {
        return Strategy.DEEPEP;
    }

    @Override
    public String summary() {
        return "--enable-deepep-moe (normal): no DP gather inside the TBO region";
    }
}

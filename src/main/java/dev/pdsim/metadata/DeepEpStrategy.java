package dev.pdsim.metadata;

import java.util.Map;

/**
 * Workaround: {@code --enable-deepep-moe --deepep-mode normal} on the prefill. MoE input becomes
 * SCATTERED, tokens reach experts by all-to-all, and no DP gather runs inside the TBO region
 * (what upstream later made mandatory for TBO). Normal mode, because {@code auto} is rejected
 * with DP attention at this tag.
 */
public record DeepEpStrategy() implements MetadataStrategy {
    @Override
    public String name() {
        return "deepep";
    }

    @Override
    public String summary() {
        return "--enable-deepep-moe (normal): no DP gather inside the TBO region";
    }

    @Override
    public Map<String, String> launchChanges() {
        return Map.of("enable-deepep-moe", "true", "deepep-mode", "normal");
    }
}

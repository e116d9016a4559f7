package dev.pdsim.metadata;

import dev.pdsim.scenario.Strategy;

/** SGLang 0.4.8.post1 as released: TBO children carry {@code global_num_tokens_gpu = None}. */
public record BuggyInitStrategy() implements MetadataStrategy {
    @Override
    public Strategy strategy() {
        return Strategy.BUGGY;
    }

    @Override
    public String summary() {
        return "0.4.8.post1 as released: TBO children have no global token counts";
    }
}

package dev.pdsim.metadata;

/** SGLang 0.4.8.post1 as released: TBO children carry {@code global_num_tokens_gpu = None}. */
public record BuggyInitStrategy() implements MetadataStrategy {
    @Override
    public String name() {
        return "buggy";
    }

    @Override
    public String summary() {
        return "0.4.8.post1 as released: TBO children have no global token counts";
    }
}

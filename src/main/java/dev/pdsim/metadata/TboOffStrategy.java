package dev.pdsim.metadata;

import dev.pdsim.scenario.Strategy;

/** Workaround: launch the prefill without {@code --enable-two-batch-overlap}; no child batches exist. */
public record TboOffStrategy() implements MetadataStrategy {
    @Override
    public Strategy strategy() {
        return Strategy.TBO_OFF;
    }

    @Override
    public String summary() {
        return "drop --enable-two-batch-overlap: serves, loses TBO's overlap";
    }
}

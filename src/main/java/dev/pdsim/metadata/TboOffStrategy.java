package dev.pdsim.metadata;

import java.util.Map;

/** Workaround: launch the prefill without {@code --enable-two-batch-overlap}; no child batches exist. */
public record TboOffStrategy() implements MetadataStrategy {
    @Override
    public String name() {
        return "tbo-off";
    }

    @Override
    public String summary() {
        return "drop --enable-two-batch-overlap: serves, loses TBO's overlap";
    }

    @Override
    public Map<String, String> launchChanges() {
        return Map.of("enable-two-batch-overlap", "false");
    }
}

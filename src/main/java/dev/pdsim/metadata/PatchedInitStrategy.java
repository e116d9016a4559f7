package dev.pdsim.metadata;

import dev.pdsim.scenario.Strategy;

/**
 * The fix: the MLP sync also all-gathers each rank's two child sizes (8 int64 per rank instead of
 * 6), so each child's metadata holds every rank's count for that child.
 */
public record PatchedInitStrategy() implements MetadataStrategy {
    @Override
    public Strategy strategy() {
        return Strategy.PATCHED;
    }

    @Override
    public String summary() {
        return "children get per-rank counts from a wider MLP sync (8 int64 per rank)";
    }

    @Override
    public int mlpSyncInt64PerRank() {
        return 8;
    }

    @Override
    public long[] childGlobalCounts(long[] actualChildCounts) {
        return actualChildCounts.clone();
    }
}

package dev.pdsim.metadata;

import dev.pdsim.scenario.Strategy;

/**
 * The fix: the MLP sync also all-gathers each rank's two child sizes (8 int64 per rank instead of
 * 6), so each child's metadata holds every rank's count for that child. ASSUMPTION (the patch is
 * not in SGLang at this tag): it also gives each child a {@code gathered_buffer} sized for those
 * counts, as the parent's is (srt/model_executor/forward_batch_info.py:346-351); counts alone would
 * leave the DP gather writing into None or a buffer of the child's own rows. What it does not
 * give is the DeepEP-only attributes the TBO MoE operations read, so without DeepEP a child still
 * fails at its first {@code op_select_experts} or {@code op_dispatch_a}.
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

    @Override
    public long[] childBufferRows(long[] childTokens, boolean moeDenseTpSizeOne) {
        long total = 0;
        for (long t : childTokens) {
            total += t;
        }
        long[] rows = new long[childTokens.length];
        java.util.Arrays.fill(rows, total);
        return rows;
    }
}

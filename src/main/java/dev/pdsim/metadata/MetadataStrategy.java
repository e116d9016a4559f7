package dev.pdsim.metadata;

import dev.pdsim.scenario.Strategy;

/**
 * How the TBO child batches get (or do not get) their {@code global_num_tokens}, and what a DP
 * gather on a child then does. The two workarounds keep the 0.4.8.post1 metadata; their launch
 * changes are part of their {@link Strategy}, applied to the scenario before it runs.
 */
public sealed interface MetadataStrategy
        permits BuggyInitStrategy, PatchedInitStrategy, NoneCheckInitStrategy, TboOffStrategy, DeepEpStrategy {

    /** The TypeError the released code raises in {@code get_dp_local_info} on a child. */
    String CUMSUM_ERROR = "TypeError: cumsum() received an invalid combination of arguments - got (NoneType, dim=int)";
    /** Python's error for {@code None[:n]}: a child without a {@code gathered_buffer} sliced by a communicator. */
    String NOT_SUBSCRIPTABLE_ERROR = "TypeError: 'NoneType' object is not subscriptable";
    /** {@code global_tokens.fill_(0)} on a None buffer once {@code get_dp_local_info} has returned (srt/layers/dp_attention.py:234). */
    String NO_FILL_ERROR = "AttributeError: 'NoneType' object has no attribute 'fill_'";

    /** The strategy this implements. */
    Strategy strategy();

    /** The name used in YAML and on the command line. */
    default String name() {
        return strategy().yamlName();
    }

    /** One line for tables and --help. */
    String summary();

    /** int64 values each rank contributes to the MLP-sync all-gather. */
    default int mlpSyncInt64PerRank() {
        return 6;
    }

    /**
     * The {@code global_num_tokens} a child batch carries, given every DP rank's actual child size;
     * null when the child has none (the 0.4.8.post1 {@code filter_batch}).
     */
    default long[] childGlobalCounts(long[] actualChildCounts) {
        return null;
    }

    /**
     * Rows of each rank's child {@code gathered_buffer}, or null when the child's is None. At
     * 0.4.8.post1 {@code filter_batch} gives a child a buffer of its own token rows only when
     * {@code moe_dense_tp_size == 1}, else None (srt/two_batch_overlap.py:349-360, 378). The array
     * may be {@code childTokens} itself: callers only read it.
     */
    default long[] childBufferRows(long[] childTokens, boolean moeDenseTpSizeOne) {
        return moeDenseTpSizeOne ? childTokens : null;
    }

    /**
     * {@code get_dp_local_info} on every DP rank of a child whose counts are {@code counts} (maybe
     * null): fills each rank's slice and returns null, or returns the error the ranks raise instead.
     * Every rank holds the same metadata, so they all raise or none does.
     *
     * @param starts  filled with each rank's first row in the gathered buffer
     * @param lengths filled with each rank's rows
     */
    default String localInfo(long[] localTokens, long[] counts, long[] starts, long[] lengths) {
        if (counts == null) {
            return CUMSUM_ERROR;
        }
        DpLocalInfo.fromCounts(counts, starts, lengths);
        return null;
    }
}

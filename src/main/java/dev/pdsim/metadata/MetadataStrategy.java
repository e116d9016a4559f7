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

    /** {@code get_dp_local_info} on one rank of a child whose counts are {@code counts} (maybe null). */
    default DpLocalInfo localInfo(int dpRank, int dpSize, long localTokens, long[] counts) {
        if (counts == null) {
            return new DpLocalInfo.Raises(CUMSUM_ERROR);
        }
        return DpLocalInfo.fromCounts(dpRank, counts);
    }
}

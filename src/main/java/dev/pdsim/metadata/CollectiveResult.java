package dev.pdsim.metadata;

import java.util.List;

/**
 * What a DP gather did once every rank of the group joined it.
 *
 * @param raisingRanks  DP ranks whose {@code get_dp_local_info} raised (the process dies), empty if none
 * @param error         the error those ranks raised, or null
 * @param hung          ranks disagreed on the buffer length: NCCL waits forever for rows never sent
 * @param bufferLengths each rank's idea of the buffer length (for the hang report)
 * @param corruptedRows rows written by more than one rank (summed by the all-reduce: silent corruption)
 */
public record CollectiveResult(List<Integer> raisingRanks, String error, boolean hung, long[] bufferLengths,
                               long corruptedRows) {

    public static final CollectiveResult CLEAN = new CollectiveResult(List.of(), null, false, new long[0], 0);

    public boolean raised() {
        return !raisingRanks.isEmpty();
    }

    public boolean clean() {
        return !raised() && !hung && corruptedRows == 0;
    }
}

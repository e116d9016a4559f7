package dev.pdsim.serving;

import dev.pdsim.cluster.LayerStage;
import java.util.List;

/**
 * Where and how a forward pass stopped: a raised exception (the ranks' processes die) or a
 * collective that never completes (the ranks wait until the watchdog).
 *
 * @param offsetNs   time from the start of the forward to the failing operation
 * @param child      "A" or "B" for a TBO child, null for the whole batch
 * @param dpRanks    the DP ranks that raised, or all ranks of a hung collective
 * @param callPath   the Python call path down to the failing call
 */
public record ForwardFailure(boolean hang, long offsetNs, int layer, LayerStage stage, String child,
                             List<Integer> dpRanks, String error, long[] childTokens, List<String> callPath) {
}

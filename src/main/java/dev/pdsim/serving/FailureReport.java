package dev.pdsim.serving;

import java.util.List;

/**
 * Where a run first went wrong: a crash (a rank raised) or a hang (a collective that never
 * completes; {@code watchdogS} says when the watchdog kills the server).
 *
 * @param ranks       TP ranks of the instance that raised, or that wait in the hung collective
 * @param child       the TBO child ("A"/"B") whose metadata failed, or null
 * @param childTokens every DP rank's token count in that child
 * @param phase       starting (CUDA-graph capture), warming up or serving
 * @param captureBatchSize the batch size whose capture failed; 0 outside {@link FailurePhase#CUDA_GRAPH_CAPTURE}
 */
public record FailureReport(boolean hang, double timeS, String instance, List<Integer> ranks, int layer,
                            String operation, String error, List<String> callPath, String child,
                            long[] childTokens, double watchdogS, FailurePhase phase,
                            int captureBatchSize) {
}

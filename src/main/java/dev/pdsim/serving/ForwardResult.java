package dev.pdsim.serving;

import java.util.List;

/**
 * The outcome of one forward pass of an instance.
 *
 * @param durationNs      the whole forward when it completes; up to the failure otherwise
 * @param failure         null when the forward completed
 * @param corruptedTokens tokens whose hidden states a gather summed with another rank's
 * @param spans           the per-operation timeline, only when asked for (layer fidelity, traces)
 */
public record ForwardResult(long durationNs, boolean tbo, ForwardFailure failure, long corruptedTokens,
                            List<StageSpan> spans) {
}

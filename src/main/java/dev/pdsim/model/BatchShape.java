package dev.pdsim.model;

/**
 * What the cost model needs to know about one micro-batch (a whole batch or a TBO child) across
 * the DP ranks of an instance. DP ranks run in lock-step, so per-rank work is costed at the
 * busiest rank; work on gathered (FULL) hidden states is costed on the total.
 *
 * @param maxRankTokens       tokens on the busiest DP rank (attention, projections)
 * @param totalTokens         tokens over all DP ranks (MoE input in FULL mode)
 * @param maxRankRequests     requests on the busiest DP rank (logits, sampling)
 * @param maxRankAttendPairs  query x key pairs of the busiest rank's attention: for a prefill
 *                            chunk of e tokens after p cached ones, e * (p + e / 2); for a decode
 *                            step, the context length of each request
 * @param expertImbalance     tokens the busiest expert-parallel rank receives, over the mean (>= 1)
 */
public record BatchShape(ForwardKind kind, int maxRankTokens, long totalTokens, int maxRankRequests,
                         long maxRankAttendPairs, double expertImbalance) {

    public boolean isEmpty() {
        return totalTokens == 0;
    }
}

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
 * @param queryRowsPerRequest decode query rows that share one read of their request's cache: 1, or
 *                            the tokens a speculative verify checks per request, whose attention
 *                            call reads the cache once for all of them
 */
public record BatchShape(ForwardKind kind, int maxRankTokens, long totalTokens, int maxRankRequests,
                         long maxRankAttendPairs, double expertImbalance, int queryRowsPerRequest) {

    /** A shape whose every decode row is a request of its own. */
    public BatchShape(ForwardKind kind, int maxRankTokens, long totalTokens, int maxRankRequests,
                      long maxRankAttendPairs, double expertImbalance) {
        this(kind, maxRankTokens, totalTokens, maxRankRequests, maxRankAttendPairs, expertImbalance, 1);
    }

    public boolean isEmpty() {
        return totalTokens == 0;
    }
}

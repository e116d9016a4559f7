package dev.pdsim.serving;

import dev.pdsim.model.BatchShape;
import dev.pdsim.model.ForwardKind;

/**
 * Folds the per-rank figures of a (micro-)batch into the cost model's view of it: the busiest
 * rank for local work, the total for gathered work, the kind of the last rank with tokens. Mutable
 * so that a TBO pass can fold both children of every rank without building them; {@link #reset}
 * before each fold.
 */
final class BatchShapeFold {
    private int maxTokens;
    private long totalTokens;
    private int maxRequests;
    private long maxPairs;
    private ForwardKind kind = ForwardKind.IDLE;
    private int queryRows = 1;

    BatchShapeFold reset() {
        maxTokens = 0;
        totalTokens = 0;
        maxRequests = 0;
        maxPairs = 0;
        kind = ForwardKind.IDLE;
        queryRows = 1;
        return this;
    }

    /** One rank's batch (or child): its kind, tokens, requests and attention pairs. */
    void add(ForwardKind rankKind, long tokens, int requests, long attendPairs, int queryRowsPerRequest) {
        queryRows = Math.max(queryRows, queryRowsPerRequest);
        maxTokens = (int) Math.max(maxTokens, tokens);
        totalTokens += tokens;
        maxRequests = Math.max(maxRequests, requests);
        maxPairs = Math.max(maxPairs, attendPairs);
        if (rankKind != ForwardKind.IDLE && tokens > 0) {
            kind = rankKind;
        }
    }

    BatchShape shape(double expertImbalance) {
        return new BatchShape(kind, maxTokens, totalTokens, maxRequests, maxPairs, expertImbalance, queryRows);
    }
}

package dev.pdsim.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One DP rank of a colocated server: its waiting queue, the request whose prompt is only partly
 * computed, its running (decoding) requests, the requests of the batch in flight, and its KV pool,
 * where every slot is free, a prompt's (held through the prefix cache), or an output token's.
 */
final class ColocatedRank {
    final ArrayDeque<Request> waiting = new ArrayDeque<>();
    final PrefixCache cache;
    /** A request whose prompt is only partly computed continues first (SGLang's chunked_req). */
    Request chunked;
    final List<Request> running = new ArrayList<>();
    /** The batch in flight: requests extended, with the tokens each computes, and requests decoded. */
    final List<Request> extending = new ArrayList<>();
    List<Integer> taken = List.of();
    final List<Request> decoding = new ArrayList<>();
    /** Slots neither a request's prompt, an output token nor the prefix cache holds. */
    long kvFree;
    /** Slots held by output tokens (and recomputed ones) of the rank's requests. */
    long outputSlots;
    /** SGLang's {@code new_token_ratio}: the share of their remaining output running requests are expected to need. */
    double newTokenRatio;
    /** SGLang's {@code batch_is_full}: no admission is tried until a running request leaves. */
    boolean batchFull;
    final PrefixCacheTally tally = new PrefixCacheTally();

    ColocatedRank(PrefixCache cache, long kvTokens, double newTokenRatio) {
        this.cache = cache;
        this.kvFree = kvTokens;
        this.newTokenRatio = newTokenRatio;
    }

    /** Takes {@code tokens} slots (see {@link PrefixCache#freeAfterTaking}). */
    void allocate(long tokens) {
        kvFree = cache.freeAfterTaking(kvFree, tokens);
    }

    /** Gives back every slot {@code q} holds here: its prompt's (to the cache's account) and its output's. */
    void releaseSlots(Request q) {
        if (q.prefillSlotsHeld) {
            kvFree += cache.release(q);
            q.prefillSlotsHeld = false;
        }
        kvFree += q.outputSlots;
        outputSlots -= q.outputSlots;
        q.outputSlots = 0;
    }

    /** Every slot is free or held, none twice: free + cache + prompts + outputs make the pool. */
    boolean accountedFor(long capacity) {
        return kvFree >= 0 && kvFree + cache.size() + cache.requestSlots() + outputSlots == capacity;
    }
}

package dev.pdsim.serving;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.scenario.ServerArgs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A prefill server: per DP rank a bootstrap stage (waiting for the decode side to reserve KV), a
 * waiting queue, chunked prefill into EXTEND batches, and a NIC that sends finished prompts' KV to
 * the decode side one transfer after another.
 */
final class PrefillInstance extends ServingInstance {
    private final Rank[] ranks;
    private final int chunkTokens;
    private final int maxPrefillTokens;
    private final int kvElementBytes;
    /** The requests of the batch in flight per rank, with the tokens each contributes. */
    private final List<List<Request>> inBatch = new ArrayList<>();
    private final List<int[]> takenInBatch = new ArrayList<>();

    /** One DP rank's queues, KV pool and prefix cache. */
    private static final class Rank {
        final ArrayDeque<Request> waiting = new ArrayDeque<>();
        final PrefixCache cache;
        /** A request whose prompt is only partly computed continues first (SGLang's chunked_req). */
        Request chunked;
        /** Slots neither a request nor the prefix cache holds. */
        long kvFree;
        long nicFreeNs;
        final PrefixCacheTally tally = new PrefixCacheTally();

        Rank(PrefixCache cache) {
            this.cache = cache;
        }
    }

    PrefillInstance(InstanceTopology topology, InstanceCostModel cost, ServingContext context,
                    long kvTokensPerRank) {
        super(topology, cost, context);
        ServerArgs a = topology.args();
        this.chunkTokens = a.chunkedPrefillSize() > 0 ? a.chunkedPrefillSize() : Integer.MAX_VALUE;
        this.maxPrefillTokens = a.maxPrefillTokens();
        this.kvElementBytes = a.kvElementBytes();
        this.ranks = new Rank[dp];
        for (int r = 0; r < dp; r++) {
            ranks[r] = new Rank(PrefixCache.of(a.disableRadixCache(), a.pageSize()));
            ranks[r].kvFree = kvTokensPerRank;
            inBatch.add(new ArrayList<>());
            takenInBatch.add(new int[0]);
        }
    }

    /** A request routed here: it waits for the decode side's handshake before it may be scheduled. */
    @Override
    void accept(Request r) {
        held.put(r.id, r);
        r.prefill = this;
        r.prefillRank = WarmupRooms.dpRankOf(r.bootstrapRoom, dp);
        if (r.fakeBootstrap) {
            bootstrapped(r);
        }
    }

    /** {@code pop_bootstrapped}: the decode side has reserved KV for this request. */
    void bootstrapped(Request r) {
        if (!status().alive() || r.terminal()) {
            return;
        }
        r.bootstrappedNs = context.now();
        ranks[r.prefillRank].waiting.add(r);
        wake();
    }

    @Override
    RankBatch[] buildBatches() {
        RankBatch[] batches = new RankBatch[dp];
        for (int r = 0; r < dp; r++) {
            batches[r] = buildRankBatch(r);
        }
        return anyWork(batches) ? batches : null;
    }

    /**
     * SGLang's PrefillAdder for one rank: the chunked request first, then waiting requests in
     * order, while the input budget ({@code max_prefill_tokens}) and the chunk budget
     * ({@code chunked_prefill_size} per DP rank) last; a prompt that does not fit the chunk is cut.
     * Each new request first takes the longest prefix its rank's cache holds
     * (srt/managers/scheduler.py:1583) and computes only the rest; it needs KV room for that rest
     * (prefill keeps it until the transfer ends), counting what the cache could evict
     * (srt/managers/schedule_policy.py:315-327).
     */
    private RankBatch buildRankBatch(int r) {
        Rank rank = ranks[r];
        List<Request> reqs = inBatch.get(r);
        reqs.clear();
        if (rank.chunked == null && rank.waiting.isEmpty()) {
            return RankBatch.IDLE;
        }
        List<Integer> taken = new ArrayList<>();
        long remInput = maxPrefillTokens;
        long remChunk = chunkTokens;
        long allocated = 0;
        boolean cut = false;
        if (rank.chunked != null) {
            int left = rank.chunked.inputLen - rank.chunked.prefilled;
            int t = (int) Math.min(left, remChunk);
            reqs.add(rank.chunked);
            taken.add(t);
            remInput -= t;
            remChunk -= t;
            cut = t < left;
        }
        while (!cut && !rank.waiting.isEmpty() && remInput > 0 && remChunk > 0) {
            Request next = rank.waiting.peek();
            int cached = rank.cache.match(next);
            int extend = next.inputLen - cached;
            if (extend > rank.kvFree + rank.cache.evictable() - allocated) {
                rank.cache.cancel(next);
                break;
            }
            rank.waiting.poll();
            allocated += extend;
            admit(rank, next, cached);
            int t = (int) Math.min(extend, remChunk);
            reqs.add(next);
            taken.add(t);
            remInput -= t;
            remChunk -= t;
            cut = t < extend;
        }
        allocate(rank, allocated);
        if (reqs.isEmpty()) {
            return RankBatch.IDLE;
        }
        int[] lens = new int[reqs.size()];
        int[] prefix = new int[reqs.size()];
        for (int i = 0; i < lens.length; i++) {
            lens[i] = taken.get(i);
            prefix[i] = reqs.get(i).prefilled;
        }
        takenInBatch.set(r, lens);
        return new RankBatch(ForwardKind.EXTEND, lens, prefix, 0, 0);
    }

    private void admit(Rank rank, Request next, int cached) {
        next.prefillSlotsHeld = true;
        next.prefillStartNs = context.now();
        next.cachedTokens = cached;
        next.prefilled = cached;
        rank.tally.admitted(next, cached);
    }

    /** The batch's slots. */
    private static void allocate(Rank rank, long tokens) {
        rank.kvFree = rank.cache.freeAfterTaking(rank.kvFree, tokens);
    }

    @Override
    void completeIteration(RankBatch[] batches, long startNs, long endNs) {
        for (int r = 0; r < dp; r++) {
            List<Request> reqs = inBatch.get(r);
            int[] taken = takenInBatch.get(r);
            Rank rank = ranks[r];
            for (int i = 0; i < reqs.size(); i++) {
                Request q = reqs.get(i);
                if (q.terminal()) {
                    continue; // aborted while its batch ran (its decode server died)
                }
                q.prefilled += taken[i];
                if (q.kind == Request.Kind.USER) {
                    context.metrics().prefillTokens(taken[i], endNs);
                }
                if (q.prefilled < q.inputLen) {
                    rank.chunked = q;
                    continue;
                }
                if (rank.chunked == q) {
                    rank.chunked = null;
                }
                rank.kvFree += rank.cache.prefilled(q);
                q.prefillEndNs = endNs;
                q.generated = 1; // the prefill samples the first token
                sendKv(rank, q, endNs);
            }
            reqs.clear();
        }
    }

    /** Mooncake transfer over this rank's NIC, one after another; a fake bootstrap completes at once. */
    private void sendKv(Rank rank, Request q, long now) {
        long start = Math.max(now, rank.nicFreeNs);
        long end = q.fakeBootstrap ? now
                : start + context.kvTransferNs(q, kvElementBytes, topology.attnTpSize(), start);
        if (!q.fakeBootstrap) {
            rank.nicFreeNs = end;
        }
        q.kvStartNs = q.fakeBootstrap ? now : start;
        context.schedule(end, Phase.NETWORK, e -> {
            if (!status().alive() || q.terminal()) {
                return;
            }
            q.kvEndNs = end;
            release(q);
            context.kvArrived(q);
            wake();
        });
    }

    @Override
    void release(Request r) {
        held.remove(r.id);
        if (r.prefillSlotsHeld) {
            ranks[r.prefillRank].kvFree += ranks[r.prefillRank].cache.release(r);
            r.prefillSlotsHeld = false;
        }
        Rank rank = ranks[r.prefillRank];
        if (rank.chunked == r) {
            rank.chunked = null;
        }
        rank.waiting.remove(r);
    }

    @Override
    int kvOverCommittedRank(long capacity) {
        for (int i = 0; i < dp; i++) {
            Rank r = ranks[i];
            // Every slot is free, held by a request, or held by the cache.
            if (r.kvFree < 0 || r.kvFree + r.cache.size() + r.cache.requestSlots() != capacity) {
                return i;
            }
        }
        return -1;
    }

    /** The exact account above is already checked after every event. */
    @Override
    int kvLeakedRank(long capacity) {
        return kvOverCommittedRank(capacity);
    }

    PrefixCacheUse prefixCacheUse() {
        return PrefixCacheTally.use(name, !topology.args().disableRadixCache(),
                Arrays.stream(ranks).map(r -> r.tally).toList());
    }

    @Override
    ForwardKind forwardKind() {
        return ForwardKind.EXTEND;
    }
}

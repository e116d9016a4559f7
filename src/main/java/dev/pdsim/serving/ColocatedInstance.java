package dev.pdsim.serving;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.scenario.ServerArgs;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A colocated server ({@code --disaggregation-mode null}): every DP rank queues its requests,
 * prefills them in chunks and decodes them itself. Each iteration a rank runs a prefill (EXTEND)
 * batch when its {@link ColocatedAdmission} admits anything, else one DECODE step of its running
 * requests (srt/managers/scheduler.py:1447-1510: "run prefill first if possible"), so its running
 * requests get no token while it prefills, unless {@code --enable-mixed-chunk} puts them into the
 * extend batch (:1640-1656). Under DP attention the ranks still run in lock step: one rank's
 * prefill makes the iteration as long for the ranks that decode.
 *
 * <p>KV is allocated as SGLang's colocated scheduler does: a prompt's slots when it is admitted
 * (through the rank's prefix cache), one slot per running request per decode step. A decode step
 * that finds too few free slots retracts requests back to the waiting queue
 * (srt/managers/scheduler.py:1662-1697), which later prefill their prompt and the tokens they had
 * produced again.
 */
final class ColocatedInstance extends ServingInstance {
    /** {@code global_config.retract_decode_steps}: free slots a retraction leaves per remaining request. */
    static final int RETRACT_DECODE_STEPS = 20;

    /**
     * The order of {@code retract_decode} (srt/managers/schedule_batch.py:1404-1410): most output
     * first, then shortest prompt; the last of this order is retracted first. Ties by id.
     */
    private static final Comparator<Request> RETRACT_ORDER = Comparator.<Request>comparingInt(q -> -q.generated)
            .thenComparingInt(q -> q.inputLen).thenComparingLong(q -> q.id);

    private final ColocatedRank[] ranks;
    private final ColocatedAdmission admission;
    private final boolean mixedChunk;
    private final long itlBoundNs;
    /** The DP controller's round-robin counter (srt/managers/data_parallel_controller.py:249-258). */
    private int nextRank;

    /** @param itlBoundNs the SLO's bound on the gap between two tokens of a request ({@link Long#MAX_VALUE}: none) */
    ColocatedInstance(InstanceTopology topology, InstanceCostModel cost, ServingContext context,
                      long kvTokensPerRank, long itlBoundNs) {
        super(topology, cost, context);
        ServerArgs a = topology.args();
        this.itlBoundNs = itlBoundNs;
        this.admission = new ColocatedAdmission(a, topology.memory().maxRunningPerRank());
        // is_mixed_chunk needs chunked prefill on (srt/managers/scheduler.py:431-433).
        this.mixedChunk = a.enableMixedChunk() && a.chunkedPrefillSize() > 0;
        this.ranks = new ColocatedRank[dp];
        for (int r = 0; r < dp; r++) {
            ranks[r] = new ColocatedRank(PrefixCache.of(a.disableRadixCache(), a.pageSize()), kvTokensPerRank,
                    admission.initNewTokenRatio());
        }
    }

    /** A request routed here: the DP controller hands it to the next rank in turn. */
    @Override
    void accept(Request r) {
        held.put(r.id, r);
        r.colocated = this;
        r.prefillRank = nextRank;
        r.decodeRank = nextRank;
        nextRank = (nextRank + 1) % dp;
        ranks[r.prefillRank].waiting.add(r);
        wake();
    }

    @Override
    RankBatch[] buildBatches() {
        RankBatch[] batches = new RankBatch[dp];
        for (int r = 0; r < dp; r++) {
            batches[r] = buildRankBatch(ranks[r]);
        }
        if (anyWork(batches)) {
            return batches;
        }
        for (ColocatedRank rank : ranks) {
            rank.newTokenRatio = admission.initNewTokenRatio(); // an idle server starts afresh (scheduler.py:753-754)
        }
        return null;
    }

    private RankBatch buildRankBatch(ColocatedRank rank) {
        rank.extending.clear();
        rank.decoding.clear();
        List<Integer> taken = admission.admit(rank, mixedChunk, context.now());
        if (!rank.extending.isEmpty()) {
            if (mixedChunk) {
                rank.decoding.addAll(rank.running);
                rank.running.clear();
                allocateDecodeSlots(rank);
            }
            return extendBatch(rank, taken);
        }
        if (rank.running.isEmpty()) {
            return RankBatch.IDLE;
        }
        if (rank.kvFree + rank.cache.evictable() < rank.running.size()) {
            retract(rank);
        } else {
            rank.newTokenRatio = admission.decayed(rank.newTokenRatio);
        }
        rank.decoding.addAll(rank.running);
        rank.running.clear();
        allocateDecodeSlots(rank);
        return RankBatch.decode(rank.decoding.size(), contextOf(rank.decoding));
    }

    /**
     * A mixed batch is costed as one EXTEND whose decoding requests are one-token sequences on their
     * context (SGLang's {@code mix_with_running}, srt/managers/schedule_batch.py).
     */
    private RankBatch extendBatch(ColocatedRank rank, List<Integer> taken) {
        int n = rank.extending.size() + rank.decoding.size();
        int[] lens = new int[n];
        int[] prefix = new int[n];
        for (int i = 0; i < rank.extending.size(); i++) {
            lens[i] = taken.get(i);
            prefix[i] = rank.extending.get(i).prefilled;
        }
        for (int i = 0; i < rank.decoding.size(); i++) {
            Request q = rank.decoding.get(i);
            lens[rank.extending.size() + i] = 1;
            prefix[rank.extending.size() + i] = q.inputLen + q.generated - 1;
        }
        rank.taken = taken;
        return new RankBatch(ForwardKind.EXTEND, lens, prefix, 0, 0);
    }

    private static long contextOf(List<Request> requests) {
        long context = 0;
        for (Request q : requests) {
            context += q.inputLen + q.generated;
        }
        return context;
    }

    /** One slot per decoding request for the token it feeds in, evicting cached prefixes if needed. */
    private static void allocateDecodeSlots(ColocatedRank rank) {
        int n = rank.decoding.size();
        rank.allocate(n);
        for (Request q : rank.decoding) {
            q.outputSlots++;
        }
        rank.outputSlots += n;
    }

    /**
     * {@code retract_decode} (srt/managers/schedule_batch.py:1394-1492): requests leave the running
     * batch, last in {@link #RETRACT_ORDER} first, until the free slots cover
     * {@link #RETRACT_DECODE_STEPS} per request left (at least one leaves; one request always stays);
     * they go to the back of the waiting queue and the new-token ratio becomes the decoded share of
     * the requests left, plus that headroom.
     */
    private void retract(ColocatedRank rank) {
        rank.running.sort(RETRACT_ORDER);
        boolean first = true;
        while (first || rank.kvFree + rank.cache.evictable() < (long) RETRACT_DECODE_STEPS * rank.running.size()) {
            if (rank.running.size() == 1) {
                break;
            }
            first = false;
            Request q = rank.running.remove(rank.running.size() - 1);
            rank.releaseSlots(q);
            q.recompute = q.generated;
            q.prefilled = 0;
            rank.waiting.add(q);
        }
        rank.batchFull = false;
        long decoded = 0;
        long maxNew = 0;
        for (Request q : rank.running) {
            decoded += q.generated;
            maxNew += q.outputLen;
        }
        rank.newTokenRatio = Math.min(1.0, (decoded + (double) RETRACT_DECODE_STEPS * rank.running.size()) / maxNew);
    }

    @Override
    void completeIteration(RankBatch[] batches, long startNs, long endNs) {
        long decoded = 0;
        for (ColocatedRank rank : ranks) {
            for (int i = 0; i < rank.extending.size(); i++) {
                Request q = rank.extending.get(i);
                if (!q.terminal()) {
                    extended(rank, q, rank.taken.get(i), endNs);
                }
            }
            for (Request q : rank.decoding) {
                if (!q.terminal()) {
                    decoded++;
                    token(rank, q, endNs);
                }
            }
            rank.extending.clear();
            rank.decoding.clear();
        }
        if (decoded > 0) {
            context.metrics().outputTokens(decoded, endNs);
        }
    }

    /** A chunk of {@code q}'s prompt (and of the tokens it had produced before a retraction) is computed. */
    private void extended(ColocatedRank rank, Request q, int taken, long endNs) {
        q.prefilled += taken;
        if (q.kind == Request.Kind.USER) {
            context.metrics().prefillTokens(taken, endNs);
        }
        if (q.prefilled < q.inputLen + q.recompute) {
            rank.chunked = q;
            return;
        }
        if (rank.chunked == q) {
            rank.chunked = null;
        }
        rank.kvFree += rank.cache.prefilled(q);
        if (q.firstTokenNs == Request.UNSET) {
            q.prefillEndNs = endNs;
            q.decodeStartNs = endNs;
            q.firstTokenNs = endNs;
            q.lastTokenNs = endNs;
            q.generated = 1; // the extend samples the first token
            context.metrics().outputTokens(1, endNs);
            if (q.generated >= q.outputLen) {
                finish(rank, q, endNs);
            } else {
                rank.running.add(q);
            }
            return;
        }
        q.recompute = 0;
        context.metrics().outputTokens(1, endNs);
        token(rank, q, endNs);
    }

    /** {@code q} produced one more token at {@code endNs}; it finishes or keeps running. */
    private void token(ColocatedRank rank, Request q, long endNs) {
        q.generated++;
        long gap = endNs - q.lastTokenNs;
        context.metrics().latency().recordItl(gap, 1);
        if (gap > itlBoundNs) {
            q.itlWithinSlo = false;
        }
        q.lastTokenNs = endNs;
        if (q.generated >= q.outputLen) {
            finish(rank, q, endNs);
        } else {
            rank.running.add(q);
        }
    }

    private void finish(ColocatedRank rank, Request q, long now) {
        held.remove(q.id);
        rank.releaseSlots(q);
        rank.batchFull = false;
        context.finished(q, now);
        wake();
    }

    @Override
    void release(Request r) {
        held.remove(r.id);
        ColocatedRank rank = ranks[r.prefillRank];
        rank.releaseSlots(r);
        if (rank.chunked == r) {
            rank.chunked = null;
        }
        rank.waiting.remove(r);
        if (rank.running.remove(r)) {
            rank.batchFull = false;
        }
    }

    @Override
    int kvOverCommittedRank(long capacity) {
        for (int i = 0; i < dp; i++) {
            if (!ranks[i].accountedFor(capacity)) {
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

    /** Its warmup request, like its first batches, runs as an EXTEND. */
    @Override
    ForwardKind forwardKind() {
        return ForwardKind.EXTEND;
    }
}

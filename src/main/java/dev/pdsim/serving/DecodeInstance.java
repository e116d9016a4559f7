package dev.pdsim.serving;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.model.MemoryModel;
import dev.pdsim.scenario.ServerArgs;
import dev.pdsim.scenario.SpeculativeAcceptance;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A decode server: per DP rank a prealloc queue (reserve KV slots, then tell the prefill side where
 * to write), requests waiting for their KV, "prebuilt extend" for arrived KV (no forward: the rank
 * runs IDLE that iteration) and a running batch that produces one token per request per DECODE
 * iteration. A request whose KV arrives while an iteration runs is seen only by the next
 * iteration's poll (srt/disaggregation/decode.py:848-861), which prebuilds it; it decodes from the
 * iteration after (:767-797), so it never joins a batch that started before its KV arrived.
 *
 * <p>A running request is not touched every step: it records the step at which its last token
 * comes, and the rank keeps the summed context, so a step costs O(1) plus the requests finishing.
 * Under speculative decoding ({@link SpeculativeDecode}) each running request gains a drawn number
 * of tokens per step, so a step visits every running request and the finish step is unknown.
 */
final class DecodeInstance extends ServingInstance {
    /** Round trip of the bootstrap handshake that tells the prefill side where to write the KV. */
    static final long HANDSHAKE_NS = 500_000;

    private final Rank[] ranks;
    private final int maxRunningPerRank;
    private final int pageSize;
    private final long itlBoundNs;
    /** Null unless the server runs speculative decoding. */
    private final SpeculativeDecode speculative;

    /**
     * Running requests in the order they finish, ties by id. Written out rather than chained from
     * key extractors: every decode step polls it on every rank.
     */
    private static final Comparator<Request> BY_FINISH_STEP = (x, y) -> x.finishStep != y.finishStep
            ? Long.compare(x.finishStep, y.finishStep) : Long.compare(x.id, y.id);

    private static final class Rank {
        final ArrayDeque<Request> prealloc = new ArrayDeque<>();
        /** KV arrived since the current iteration started: the next iteration's poll finds it. */
        final List<Request> arrived = new ArrayList<>();
        final List<Request> prebuilt = new ArrayList<>();
        final PriorityQueue<Request> running = new PriorityQueue<>(BY_FINISH_STEP);
        long step;
        /** Steps so far that took longer than the SLO's ITL bound. */
        long slowSteps;
        long context;
        long kvFree;
        /** Requests holding slots on this rank: preallocated, waiting for KV, prebuilt or running. */
        int admitted;
        /** Under speculative decoding: tokens the running iteration's verifies accept on this rank. */
        long speculativeGain;
    }

    /**
     * @param itlBoundNs the SLO's bound on the gap between two tokens of a request ({@link Long#MAX_VALUE}: none)
     * @param acceptance how often draft tokens are accepted, read only when the server speculates
     */
    DecodeInstance(InstanceTopology topology, InstanceCostModel cost, ServingContext context,
                   long kvTokensPerRank, long itlBoundNs, SpeculativeAcceptance acceptance) {
        super(topology, cost, context);
        this.itlBoundNs = itlBoundNs;
        ServerArgs a = topology.args();
        this.speculative = a.speculative() == null ? null : new SpeculativeDecode(a.speculative(), acceptance,
                context.randomStream("speculative/" + name));
        // The scheduler's cap, as the server's memory gives it (max_running_requests over the DP ranks
        // under DP attention, at most the request slots; unset: half the pool).
        this.maxRunningPerRank = topology.memory().maxRunningPerRank();
        this.pageSize = a.pageSize();
        this.ranks = new Rank[dp];
        for (int r = 0; r < dp; r++) {
            ranks[r] = new Rank();
            ranks[r].kvFree = kvTokensPerRank;
        }
    }

    /**
     * A request routed here: it waits in the prealloc queue of rank {@code room % dp} until the
     * rank can hold its prompt and output. ASSUMPTION: the whole prompt plus max_new_tokens is
     * reserved up front, so KV is never over-committed and no request is retracted.
     */
    @Override
    void accept(Request r) {
        held.put(r.id, r);
        r.decode = this;
        r.decodeRank = WarmupRooms.dpRankOf(r.bootstrapRoom, dp);
        if (r.kind == Request.Kind.WARMUP) {
            Rank rank = ranks[r.decodeRank];
            reserve(rank, r);
            r.kvEndNs = context.now();
            rank.arrived.add(r);
            wake();
            return;
        }
        ranks[r.decodeRank].prealloc.add(r);
        admit(ranks[r.decodeRank]);
    }

    /**
     * The prompt and every output token, in whole pages; under speculative decoding also the slots
     * one iteration's drafts and verified tokens take before the rejected ones are freed
     * (srt/speculative/eagle_worker.py:405-407, eagle_utils.py:517-533). ASSUMPTION: they are
     * reserved with the request, as the pool's headroom for them is sized per request
     * (srt/model_executor/model_runner.py:898-914).
     */
    private long slotsFor(Request r) {
        long transientSlots = speculative == null ? 0 : speculative.args().transientSlotsPerRequest();
        return MemoryModel.slotsHeld((long) r.inputLen + r.outputLen + transientSlots, pageSize);
    }

    private void reserve(Rank rank, Request r) {
        rank.kvFree -= slotsFor(r);
        rank.admitted++;
        r.decodeSlotsHeld = true;
    }

    /** Preallocates in FIFO order while slots and the running limit allow, then hands shakes to the prefill side. */
    private void admit(Rank rank) {
        while (!rank.prealloc.isEmpty()) {
            Request head = rank.prealloc.peek();
            if (slotsFor(head) > rank.kvFree || rank.admitted >= maxRunningPerRank) {
                return;
            }
            rank.prealloc.poll();
            reserve(rank, head);
            if (head.fakeBootstrap) {
                head.kvEndNs = context.now(); // fake transfer backend: nothing to wait for
                rank.arrived.add(head);
                wake();
                continue;
            }
            context.schedule(context.now() + HANDSHAKE_NS, Phase.NETWORK, e -> context.bootstrapReady(head));
        }
    }

    /** The KV of a request has arrived: it joins the batch after the next iteration (prebuilt extend). */
    void kvArrived(Request r) {
        if (!status().alive() || r.terminal()) {
            return;
        }
        ranks[r.decodeRank].arrived.add(r);
        wake();
    }

    @Override
    RankBatch[] buildBatches() {
        RankBatch[] batches = new RankBatch[dp];
        boolean prebuilt = false;
        for (int r = 0; r < dp; r++) {
            Rank rank = ranks[r];
            batches[r] = speculative == null ? RankBatch.decode(rank.running.size(), rank.context) : verify(rank);
            // This iteration starts now: its poll sees every KV that has arrived (decode.py:848-861).
            if (!rank.arrived.isEmpty()) {
                rank.prebuilt.addAll(rank.arrived);
                rank.arrived.clear();
            }
            prebuilt |= !rank.prebuilt.isEmpty();
        }
        // Prebuilt requests need an iteration (IDLE forward) to join even when nobody decodes.
        return anyWork(batches) || prebuilt ? batches : null;
    }

    /** Draws each running request's gain for this iteration; the batch is the verify of its draft tokens. */
    private RankBatch verify(Rank rank) {
        rank.speculativeGain = 0;
        for (Request q : rank.running) {
            q.speculativeGain = Math.min(speculative.drawGain(), q.outputLen - q.generated);
            rank.speculativeGain += q.speculativeGain;
        }
        return RankBatch.verify(rank.running.size(), rank.context, speculative.args().numDraftTokens());
    }

    /**
     * The draft forwards around the verify: {@code num_steps - 1} passes of the MTP layer over each
     * request's newest draft (the first draft came from the previous draft extend,
     * srt/speculative/eagle_worker.py:576-632), then the draft extend over the tokens accepted
     * (:814-889, eagle_utils.py:106-132). ASSUMPTION: the draft extend's rows attend to their
     * request's cache as one decode row each, reading it once.
     */
    @Override
    long speculativeNs(RankBatch[] batches) {
        if (speculative == null) {
            return 0;
        }
        RankBatch[] draft = new RankBatch[dp];
        RankBatch[] extend = new RankBatch[dp];
        for (int r = 0; r < dp; r++) {
            Rank rank = ranks[r];
            int n = rank.running.size();
            draft[r] = RankBatch.decode(n * speculative.args().eagleTopk(), rank.context);
            extend[r] = RankBatch.decode((int) rank.speculativeGain, rank.context + rank.speculativeGain);
        }
        return (speculative.args().numSteps() - 1) * forward.mtpLayerNs(draft) + forward.mtpLayerNs(extend);
    }

    @Override
    void completeIteration(RankBatch[] batches, long startNs, long endNs) {
        if (speculative != null) {
            completeSpeculativeIteration(startNs, endNs);
            return;
        }
        // Every rank's step took the same time: its tokens go into the ITL histogram in one record.
        long decoded = 0;
        for (int r = 0; r < dp; r++) {
            Rank rank = ranks[r];
            int n = rank.running.size();
            if (n > 0) {
                countStep(rank, endNs - startNs);
                rank.context += n;
                decoded += n;
                while (!rank.running.isEmpty() && rank.running.peek().finishStep <= rank.step) {
                    Request done = rank.running.poll();
                    done.generated = done.outputLen;
                    rank.context -= (long) done.inputLen + done.outputLen;
                    finish(rank, done, endNs);
                }
            }
            joinPrebuilt(rank, startNs, endNs);
        }
        if (decoded > 0) {
            context.metrics().decodeStep(endNs - startNs, decoded, endNs);
        }
    }

    /** Arrived requests prebuilt this iteration get their first token and join the running batch. */
    private void joinPrebuilt(Rank rank, long startNs, long endNs) {
        // Indexed: an iterator per rank per step is garbage on the hot path.
        for (int i = 0; i < rank.prebuilt.size(); i++) {
            Request q = rank.prebuilt.get(i);
            q.decodeStartNs = startNs;
            q.firstTokenNs = endNs;
            q.generated = 1;
            q.slowStepsAtJoin = rank.slowSteps;
            context.metrics().outputTokens(1, endNs);
            if (q.outputLen <= 1) {
                finish(rank, q, endNs);
                continue;
            }
            // Speculating, the finish step is unknown: equal keys leave the running queue ordered by id.
            q.finishStep = speculative == null ? rank.step + q.outputLen - 1 : Long.MAX_VALUE;
            rank.context += q.inputLen + 1L;
            rank.running.add(q);
        }
        rank.prebuilt.clear();
        admit(rank);
    }

    /** {@link #completeIteration} when every running request gains its drawn tokens. */
    private void completeSpeculativeIteration(long startNs, long endNs) {
        long requests = 0;
        long tokens = 0;
        for (int r = 0; r < dp; r++) {
            Rank rank = ranks[r];
            int n = rank.running.size();
            if (n > 0) {
                countStep(rank, endNs - startNs);
                requests += n;
                List<Request> done = new ArrayList<>();
                for (Request q : rank.running) {
                    q.generated += q.speculativeGain;
                    rank.context += q.speculativeGain;
                    tokens += q.speculativeGain;
                    if (q.generated >= q.outputLen) {
                        done.add(q);
                    }
                }
                for (Request q : done) {
                    rank.running.remove(q);
                    rank.context -= (long) q.inputLen + q.outputLen;
                    finish(rank, q, endNs);
                }
            }
            joinPrebuilt(rank, startNs, endNs);
        }
        if (requests > 0) {
            // One chunk of tokens per request per step: the gap bench_serving sees between two chunks.
            context.metrics().decodeStep(endNs - startNs, requests, endNs);
            context.metrics().outputTokens(tokens - requests, endNs);
        }
    }

    /** A step of a rank with running requests: one more token gap for each, slow if over the ITL bound. */
    private void countStep(Rank rank, long durationNs) {
        rank.step++;
        if (durationNs > itlBoundNs) {
            rank.slowSteps++;
        }
    }

    private void finish(Rank rank, Request q, long now) {
        // Each step of its rank since it joined gave it one token: one slow step is one slow gap.
        q.itlWithinSlo = rank.slowSteps == q.slowStepsAtJoin;
        held.remove(q.id);
        releaseSlots(rank, q);
        context.finished(q, now);
    }

    private void releaseSlots(Rank rank, Request q) {
        if (q.decodeSlotsHeld) {
            rank.kvFree += slotsFor(q);
            rank.admitted--;
            q.decodeSlotsHeld = false;
        }
    }

    @Override
    void release(Request q) {
        Rank rank = ranks[q.decodeRank];
        held.remove(q.id);
        if (rank.running.remove(q)) {
            long ctx = speculative != null ? (long) q.inputLen + q.generated
                    : (long) q.inputLen + 1 + (rank.step - (q.finishStep - q.outputLen + 1));
            rank.context -= ctx;
        }
        rank.prealloc.remove(q);
        rank.prebuilt.remove(q);
        rank.arrived.remove(q);
        releaseSlots(rank, q);
        admit(rank);
    }

    /** Tokens a running request has produced so far (for a request aborted mid-decode). */
    int generatedSoFar(Request q) {
        if (speculative != null || q.finishStep == 0 || q.firstTokenNs == Request.UNSET) {
            return q.generated;
        }
        Rank rank = ranks[q.decodeRank];
        return (int) Math.min(q.outputLen, q.outputLen - (q.finishStep - rank.step));
    }

    @Override
    int kvOverCommittedRank(long capacity) {
        for (int i = 0; i < dp; i++) {
            if (ranks[i].kvFree < 0 || ranks[i].kvFree > capacity) {
                return i;
            }
        }
        return -1;
    }

    /** Sums the reservations of the requests still here (unfinished ones keep theirs) rank by rank. */
    @Override
    int kvLeakedRank(long capacity) {
        long[] reserved = new long[dp];
        for (Request q : held.values()) {
            if (q.decodeSlotsHeld) {
                reserved[q.decodeRank] += slotsFor(q);
            }
        }
        for (int i = 0; i < dp; i++) {
            if (ranks[i].kvFree + reserved[i] != capacity) {
                return i;
            }
        }
        return -1;
    }

    /** Accepted lengths drawn on this server, index 1..num_draft_tokens; null when it does not speculate. */
    long[] acceptedLengths() {
        return speculative == null ? null : speculative.gainedHistogram();
    }

    @Override
    ForwardKind forwardKind() {
        return ForwardKind.DECODE;
    }
}

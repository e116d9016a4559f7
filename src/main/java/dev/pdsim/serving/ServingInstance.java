package dev.pdsim.serving;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.diag.Numbers;
import dev.pdsim.model.ForwardKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * What prefill, decode and colocated servers share: the lock-step iteration loop of DP attention (every DP
 * rank builds its local batch, all join the MLP-sync all-gather, all run one forward together,
 * a rank without work running IDLE), and the ways a server dies (a raised exception, or a hung
 * collective that the watchdog eventually kills).
 */
abstract sealed class ServingInstance permits PrefillInstance, DecodeInstance, ColocatedInstance {
    final String name;
    final InstanceTopology topology;
    final InstanceCostModel cost;
    final ServingContext context;
    final ForwardPass forward;
    final int dp;
    /** Requests this server holds, for aborting them when it dies; insertion order keeps runs deterministic. */
    final Map<Long, Request> held = new LinkedHashMap<>();
    private InstanceStatus status = InstanceStatus.WARMING_UP;
    private long hungSinceNs;
    private boolean busy;
    private boolean wakeScheduled;
    private long iterations;
    private final RandomGenerator expertLoad;
    private final InstanceTrace trace;

    ServingInstance(InstanceTopology topology, InstanceCostModel cost, ServingContext context) {
        this.name = topology.name();
        this.topology = topology;
        this.cost = cost;
        this.context = context;
        this.forward = new ForwardPass(topology, cost, context.strategy());
        this.dp = topology.dpSize();
        this.expertLoad = context.randomStream("expert-load/" + name);
        this.trace = context.trace();
    }

    /** A request routed here (or a warmup request the server sends itself). */
    abstract void accept(Request r);

    /** Forgets a request this server no longer holds, releasing its resources here. */
    abstract void release(Request r);

    /**
     * Invariant: no rank holds more KV than its pool of {@code capacity} tokens, nor less than none
     * (a prefill rank accounts for every slot: free, a request's, or its prefix cache's).
     *
     * @return the first rank that breaks it, or -1
     */
    abstract int kvOverCommittedRank(long capacity);

    /**
     * Invariant at the end of a run: on every rank the free slots plus those its requests (and
     * prefix cache) still hold make the whole pool, so no release was lost or done twice.
     *
     * @return the first rank that breaks it, or -1
     */
    abstract int kvLeakedRank(long capacity);

    /** The forward mode of this server's batches, as SGLang's traceback names it. */
    abstract ForwardKind forwardKind();

    InstanceStatus status() {
        return status;
    }

    /** Its warmup request finished: the router may use it. */
    void warmedUp() {
        if (status != InstanceStatus.WARMING_UP) {
            throw new IllegalStateException(name + " warmed up while " + status);
        }
        status = InstanceStatus.READY;
    }

    /** Forward passes started so far. */
    long iterations() {
        return iterations;
    }

    boolean holds(Request r) {
        return held.containsKey(r.id);
    }

    /** Each rank's local batch for the next iteration; null when no rank has anything to do. */
    abstract RankBatch[] buildBatches();

    /** Time of the speculative draft forwards around the forward of {@code batches}; 0 without speculation. */
    long speculativeNs(RankBatch[] batches) {
        return 0;
    }

    /** Applies a completed forward: tokens computed, requests advanced, resources released. */
    abstract void completeIteration(RankBatch[] batches, long startNs, long endNs);

    /**
     * Captures the server's decode CUDA graphs at start-up, largest batch first, before it takes any
     * request (srt/model_executor/model_runner.py:297-300, cuda_graph_runner.py:408-432). Under TBO
     * every capture splits its batch, so a child that reads missing state fails here. The error is
     * not the RuntimeError capture turns into its own message (cuda_graph_runner.py:337-343): the
     * scheduler process dies as raised. Returns whether every capture succeeded; if one fails the
     * server fails when that capture's first eager run reaches the failing operation.
     * ASSUMPTION: a successful capture takes no simulated time (the clock starts once servers are up).
     */
    boolean captureCudaGraphs() {
        for (int batchSize : forward.captureOrder()) {
            ForwardResult run = forward.captureRun(batchSize);
            ForwardFailure f = run.failure();
            if (f != null) {
                context.schedule(context.now() + f.offsetNs(), Phase.ITERATION_END, e -> fail(f, batchSize));
                return false;
            }
        }
        return true;
    }

    /** Asks for an iteration as soon as the server is free. */
    final void wake() {
        if (!status.alive() || busy || wakeScheduled) {
            return;
        }
        wakeScheduled = true;
        context.schedule(context.now(), Phase.ITERATION_START, e -> {
            wakeScheduled = false;
            startIteration();
        });
    }

    private void startIteration() {
        if (!status.alive() || busy) {
            return;
        }
        RankBatch[] batches = buildBatches();
        if (batches == null) {
            return;
        }
        busy = true;
        iterations++;
        long start = context.now();
        int syncInt64PerRank = context.strategy().mlpSyncInt64PerRank();
        long syncNs = cost.mlpSyncNs(syncInt64PerRank);
        if (!anyWork(batches)) {
            // Every rank reported 0 tokens: no rank builds an IDLE batch and no forward runs
            // (srt/managers/scheduler.py:1898-1899, srt/disaggregation/decode.py:758-765); the
            // iteration is the MLP sync alone (e.g. a decode rank only prebuilding arrived requests).
            long end = start + syncNs;
            context.schedule(end, Phase.ITERATION_END, e -> {
                if (!status.alive()) {
                    return; // lost mid-iteration: nothing it computed is delivered
                }
                completeIteration(batches, start, end);
                busy = false;
                wake();
            });
            return;
        }
        boolean layerFidelity = context.layerFidelity();
        boolean wantSpans = layerFidelity || trace.detailed(this);
        ForwardResult result = forward.run(batches, wantSpans, expertImbalance(batches));
        if (context.checking() && result.tbo()) {
            checkCollectiveSizes(forward.collectiveSizeMismatch(batches));
        }
        long forwardStart = start + syncNs;
        if (result.spans() != null) {
            for (StageSpan span : result.spans()) {
                if (layerFidelity) {
                    context.schedule(forwardStart + span.startNs(), Phase.STAGE, e -> trace.stage(this, span, forwardStart));
                } else {
                    // Iteration fidelity: the trace still shows the operations, without engine events.
                    trace.stage(this, span, forwardStart);
                }
            }
        }
        context.corrupted(result.corruptedTokens());
        if (result.failure() != null) {
            ForwardFailure f = result.failure();
            context.schedule(forwardStart + f.offsetNs(), Phase.ITERATION_END, e -> fail(f, null));
            return;
        }
        long end = forwardStart + slowedDown(result.durationNs() + speculativeNs(batches), start);
        context.schedule(end, Phase.ITERATION_END, e -> {
            if (!status.alive()) {
                return; // lost mid-iteration: nothing it computed is delivered
            }
            trace.iteration(this, batches, start, end, result.tbo());
            completeIteration(batches, start, end);
            busy = false;
            wake();
        });
    }

    /**
     * The forward's time when one GPU is a straggler. DP ranks run in lock step and every GPU holds
     * experts that every rank's tokens reach, so each layer's collectives wait for the slow GPU: the
     * iteration costs what the busiest (here, slowest) rank costs. ASSUMPTION: the whole forward,
     * communication included, stretches by the slowdown (an upper bound: the collectives themselves
     * are not slower); profiling a throttled GPU in an EP group would settle the share.
     */
    private long slowedDown(long durationNs, long startNs) {
        double slowdown = context.stragglerSlowdown(this, startNs);
        return slowdown == 1.0 ? durationNs : Math.round(durationNs * slowdown);
    }

    /**
     * This iteration's expert load factor: tokens on the busiest expert-parallel rank over the
     * mean, log-normal around the cost model's expectation for this placement and batch size.
     * Drawn only when experts are spread over ranks, from this instance's own stream.
     */
    private double expertImbalance(RankBatch[] batches) {
        if (!cost.expertParallel()) {
            return 1.0;
        }
        long tokens = 0;
        for (RankBatch b : batches) {
            tokens += b.tokens();
        }
        double mean = cost.expertImbalanceMean(tokens);
        double sigma = cost.expertImbalanceSigma();
        double factor = mean * Math.exp(sigma * expertLoad.nextGaussian() - sigma * sigma / 2);
        return Math.max(1.0, factor);
    }

    /** @param captureBatchSize the size being captured when the failure came from a capture, else null */
    private void fail(ForwardFailure f, Integer captureBatchSize) {
        if (!status.alive()) {
            return; // it stopped (lost, or hung by an injected fault) before this forward reached the failing operation
        }
        long now = context.now();
        if (f.hang()) {
            hang();
            context.failed(this, f, now, captureBatchSize);
            double timeout = topology.args().watchdogTimeoutS();
            context.schedule(watchdogFiresNs(), Phase.WATCHDOG, e -> killByWatchdog("watchdog killed " + name + " after "
                    + Numbers.plain(timeout) + " s stuck in layer " + f.layer() + " " + f.stage().sglangName()));
            return;
        }
        status = InstanceStatus.CRASHED;
        context.failed(this, f, now, captureBatchSize);
        abortAll(name + " crashed: " + f.error() + " (layer " + f.layer() + " " + f.stage().sglangName() + ")");
    }

    /**
     * One of its nodes is lost. SGLang runs one scheduler process per rank, all in lock step: the
     * ranks left wait in their next NCCL collective for peers that are gone, so the server serves
     * nothing more (srt/managers/scheduler.py:2008-2040: its watchdog then SIGQUITs the server).
     * ASSUMPTION: the server is treated as dead from the moment the node is lost, so the requests
     * it holds end aborted then, not when the watchdog or an NCCL timeout would tear it down; what
     * would settle it is SGLang's log of a killed node, giving when its router sees the requests fail.
     *
     * @return whether it was alive to lose (a crashed or hung server is left as it is)
     */
    boolean lose(String reason) {
        if (!status.alive()) {
            return false;
        }
        status = InstanceStatus.LOST;
        abortAll(reason);
        return true;
    }

    /**
     * A collective of its current forward never completes: every rank waits in it, the forward in
     * flight delivers nothing, and the server serves nothing more until its watchdog kills it.
     *
     * @return whether it was alive to hang (a crashed, hung or lost server is left as it is)
     */
    boolean hang() {
        if (!status.alive()) {
            return false;
        }
        status = InstanceStatus.HUNG;
        hungSinceNs = context.now();
        return true;
    }

    /** When it hung; meaningful only while {@link #status} is {@link InstanceStatus#HUNG}. */
    long hungSinceNs() {
        return hungSinceNs;
    }

    /**
     * When the watchdog of a server that hangs now kills it: {@code --watchdog-timeout} seconds with
     * no forward completed while a batch is current (srt/managers/scheduler.py:2008-2021), after
     * which it SIGQUITs the server (scheduler.py:2038-2039). ASSUMPTION: exactly the timeout after
     * the hang; SGLang's thread looks only every timeout/2 s (scheduler.py:2022) and waits 5 s
     * before the signal, so the kill lands up to half a timeout plus 5 s later. Its log would settle it.
     */
    long watchdogFiresNs() {
        return context.now() + (long) Math.min(topology.args().watchdogTimeoutS() * 1e9, Long.MAX_VALUE / 4.0);
    }

    /** The watchdog killed the hung server: the requests it held end aborted with {@code reason}. */
    void killByWatchdog(String reason) {
        status = InstanceStatus.KILLED;
        abortAll(reason);
    }

    /** Ends every request this server holds as aborted, releasing what other servers hold for them. */
    void abortAll(String reason) {
        for (Request r : List.copyOf(held.values())) {
            context.abort(r, reason);
        }
        held.clear();
    }

    private void checkCollectiveSizes(CollectiveSizes.Mismatch m) {
        if (m != null) {
            throw new InvariantViolation(Invariant.COLLECTIVE_SIZES, context.now(), name, m.rank(), InvariantViolation.NONE,
                    m.detail());
        }
    }

    static boolean anyWork(RankBatch[] batches) {
        for (RankBatch b : batches) {
            if (b.kind() != ForwardKind.IDLE) {
                return true;
            }
        }
        return false;
    }
}

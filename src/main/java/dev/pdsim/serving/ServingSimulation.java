package dev.pdsim.serving;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.CostModel;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.cost.RooflineCostModel;
import dev.pdsim.diag.InputException;
import dev.pdsim.engine.RandomStreams;
import dev.pdsim.engine.Simulator;
import dev.pdsim.metadata.MetadataStrategies;
import dev.pdsim.metadata.MetadataStrategy;
import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.metrics.ServingMetrics;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.model.MemoryModel;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ServerArgs;
import dev.pdsim.workload.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Replays a scenario: builds its servers, warms each one up the way SGLang 0.4.8.post1 does
 * (spec section 5), starts user traffic once every server is ready or dead, and runs until the
 * traffic period and a drain have passed. Requests end in exactly one terminal state; those still
 * in flight when the run stops are aborted with the reason.
 */
public final class ServingSimulation {
    /** Longest the run keeps going after traffic stops, for in-flight requests to finish. */
    static final double MIN_DRAIN_S = 120;
    /** Output tokens of the warmup request ({@code max_new_tokens} 8) and its prompt. */
    static final int WARMUP_OUTPUT = 8;
    static final int WARMUP_INPUT = 4;

    final Simulator engine = new Simulator();
    final MetadataStrategy strategy;
    final CostModel costModel;
    final ServingMetrics metrics = new ServingMetrics();
    final boolean layerFidelity;
    final long kvBytesPerToken;
    final RandomStreams streams;
    long corruptedTokens;

    private final Scenario scenario;
    private final ReplayOptions options;
    private final List<PrefillInstance> prefills = new ArrayList<>();
    private final List<DecodeInstance> decodes = new ArrayList<>();
    private final List<ServingInstance> instances = new ArrayList<>();
    private final Map<String, Long> kvCapacity = new LinkedHashMap<>();
    private final Router router;
    private final RandomGenerator rooms;
    private final Workload workload;
    private final RequestSink sink;
    private final TraceSink trace;
    private final Map<Long, Request> inFlight = new LinkedHashMap<>();
    private final Map<ServingInstance, Integer> warmupPending = new LinkedHashMap<>();
    private long nextId;
    private long goodRequests;
    private long userInFlight;
    private long submitted;
    private long finished;
    private long aborted;
    private FailureReport firstFailure;
    private boolean trafficStarted;
    private boolean trafficEnded;
    private long trafficStartNs;
    private long trafficEndNs;
    private long drainDeadlineNs;

    private ServingSimulation(Scenario scenario, ReplayOptions options, RequestSink sink, TraceSink trace) {
        this.strategy = MetadataStrategies.of(scenario.strategy());
        this.scenario = scenario;
        this.options = options;
        this.sink = sink;
        this.trace = trace;
        this.layerFidelity = options.fidelity() == Fidelity.LAYER;
        this.kvBytesPerToken = scenario.model().kvBytesPerToken();
        this.costModel = new RooflineCostModel(scenario.model(), scenario.hardware());
        this.streams = new RandomStreams(scenario.seed());
        this.router = new Router(scenario.router(), streams.stream("router"));
        this.rooms = streams.stream("router.rooms");
        this.workload = Workload.of(scenario.workload(), streams, Phase.ARRIVAL);
        buildInstances();
    }

    /** Runs the scenario with its own strategy and seed; records stream to {@code sink}. */
    public static RunResult run(Scenario scenario, ReplayOptions options, RequestSink sink, TraceSink trace) {
        return new ServingSimulation(scenario, options, sink, trace).run();
    }

    private void buildInstances() {
        for (InstanceTopology t : InstanceTopology.deriveAll(scenario)) {
            InstanceCostModel cost = costModel.forInstance(t);
            long kv = kvCapacityPerRank(t);
            kvCapacity.put(t.name(), kv);
            ServingInstance i;
            if (t.role() == Role.PREFILL) {
                PrefillInstance p = new PrefillInstance(instances.size(), t, cost, this, kv);
                prefills.add(p);
                i = p;
            } else {
                DecodeInstance d = new DecodeInstance(instances.size(), t, cost, this, kv);
                decodes.add(d);
                i = d;
            }
            instances.add(i);
        }
    }

    private long kvCapacityPerRank(InstanceTopology t) {
        ServerArgs a = t.args();
        boolean expertParallel = a.enableDeepepMoe() || a.enableEpMoe();
        double weights = MemoryModel.weightBytesPerGpu(scenario.model(), a.tpSize(), t.attnTpSize(),
                Math.max(t.epSize(), a.tpSize()), Integer.valueOf(1).equals(a.moeDenseTpSize()), a.enableDpLmHead(),
                expertParallel ? a.epNumRedundantExperts() : 0);
        long tokens = MemoryModel.kvCapacityTokens(scenario.model(), scenario.hardware(), a.memFractionStatic(), weights,
                a.maxTotalTokens());
        if (tokens < 1024) {
            throw new InputException(scenario.instances().stream().filter(s -> s.role() == t.role()).findFirst()
                    .orElseThrow().where(), String.format(Locale.ROOT,
                    "%s: weights need %.1f GiB per GPU but mem_fraction_static %.2f of %.1f GiB leaves room for only %d "
                            + "KV tokens per rank; raise mem_fraction_static or shard over more GPUs",
                    t.name(), MemoryModel.toGiB(weights), a.memFractionStatic(), scenario.hardware().gpuMemoryGiB(),
                    Math.max(tokens, 0)));
        }
        return tokens;
    }

    private RunResult run() {
        if (options.check()) {
            engine.afterEachEvent(this::checkInvariants);
        }
        startWarmup();
        engine.runUntil(this::done);
        long end = engine.now();
        for (Request r : List.copyOf(inFlight.values())) {
            abort(r, stillInFlightReason(r, end));
        }
        if (options.check()) {
            checkInvariants();
            if (submitted != finished + aborted) {
                throw new IllegalStateException("invariant violated: submitted " + submitted + " != finished " + finished
                        + " + aborted " + aborted);
            }
        }
        return result(end);
    }

    private boolean done() {
        if (!trafficEnded) {
            return false;
        }
        return userInFlight == 0 || engine.now() >= drainDeadlineNs;
    }

    // ---- warmup (spec section 5) ----

    /**
     * Every disaggregated server sends itself {@code dp_size} 4-token requests with a fake bootstrap,
     * rooms {@code i * (2**63 // dp_size) + (i % tp_size)}; the DP controller sends each to rank
     * {@code room % dp_size}.
     */
    private void startWarmup() {
        for (ServingInstance inst : instances) {
            ServerArgs a = inst.topology.args();
            int dp = a.dpSize();
            long stride = Long.divideUnsigned(Long.MIN_VALUE, dp); // 2**63 // dp_size
            warmupPending.put(inst, dp);
            for (int i = 0; i < dp; i++) {
                Request r = new Request(nextId++, Request.Kind.WARMUP, 0, WARMUP_INPUT, WARMUP_OUTPUT);
                r.bootstrapRoom = i * stride + (i % a.tpSize());
                r.fakeBootstrap = true;
                inFlight.put(r.id, r);
                if (inst instanceof PrefillInstance p) {
                    p.accept(r);
                } else if (inst instanceof DecodeInstance d) {
                    d.accept(r);
                }
            }
        }
    }

    private void warmupDone(Request r) {
        ServingInstance inst = r.prefillInstance >= 0 ? instances.get(r.prefillInstance) : instances.get(r.decodeInstance);
        int left = warmupPending.merge(inst, -1, Integer::sum);
        if (left == 0 && inst.status == InstanceStatus.WARMING_UP && r.state == Request.State.FINISHED) {
            inst.status = InstanceStatus.READY;
        }
        startTrafficWhenSettled();
    }

    /** User traffic starts once no server is still warming up (each is ready, crashed or hung). */
    private void startTrafficWhenSettled() {
        if (trafficStarted || instances.stream().anyMatch(i -> i.status == InstanceStatus.WARMING_UP)) {
            return;
        }
        trafficStarted = true;
        trafficStartNs = engine.now();
        trafficEndNs = trafficStartNs + (long) (scenario.durationS() * 1e9);
        drainDeadlineNs = trafficEndNs + (long) (Math.max(MIN_DRAIN_S, scenario.durationS()) * 1e9);
        metrics.window(trafficStartNs, trafficEndNs);
        workload.start(engine, trafficStartNs, trafficEndNs, this::submit);
        engine.schedule(trafficEndNs, Phase.WATCHDOG, e -> trafficEnded = true);
        engine.schedule(drainDeadlineNs, Phase.WATCHDOG, e -> { });
    }

    // ---- request flow ----

    private void submit(int inputLen, int outputLen) {
        Request r = new Request(nextId++, Request.Kind.USER, engine.now(), inputLen, outputLen);
        submitted++;
        r.bootstrapRoom = rooms.nextLong() & Long.MAX_VALUE;
        DecodeInstance d = router.pick(decodes, false);
        if (d != null && d.topology.args().fakeTransfer()) {
            // SGLang's fake transfer backend: no prefill server, the KV is "there" at once.
            r.fakeBootstrap = true;
            inFlight.put(r.id, r);
            userInFlight++;
            d.accept(r);
            return;
        }
        PrefillInstance p = router.pick(prefills, true);
        if (p == null || d == null) {
            reject(r, p == null ? "no live prefill instance" + deadList(prefills) : "no live decode instance" + deadList(decodes));
            return;
        }
        inFlight.put(r.id, r);
        userInFlight++;
        d.accept(r);
        p.accept(r);
    }

    private void reject(Request r, String reason) {
        r.state = Request.State.ABORTED;
        r.reason = reason;
        r.finishNs = engine.now();
        aborted++;
        sink.accept(record(r));
        workload.requestDone(true);
    }

    private String deadList(List<? extends ServingInstance> list) {
        StringBuilder sb = new StringBuilder();
        for (ServingInstance i : list) {
            sb.append(sb.length() == 0 ? " (" : ", ").append(i.name).append(' ')
                    .append(i.status.name().toLowerCase(Locale.ROOT));
        }
        return sb.append(sb.length() == 0 ? "" : ")").toString();
    }

    void bootstrapReady(Request r) {
        if (!r.terminal()) {
            ((PrefillInstance) instances.get(r.prefillInstance)).bootstrapped(r);
        }
    }

    /** The prefill side finished sending a request's KV. */
    void kvArrived(Request r) {
        if (r.fakeBootstrap && r.kind == Request.Kind.WARMUP && r.decodeInstance < 0) {
            finish(r, engine.now()); // prefill warmup: nothing crosses the network, no decode side
            return;
        }
        DecodeInstance d = (DecodeInstance) instances.get(r.decodeInstance);
        if (!d.status.alive()) {
            abort(r, d.name + " is " + d.status.name().toLowerCase(Locale.ROOT) + "; KV has nowhere to go");
            return;
        }
        d.kvArrived(r);
    }

    void finish(Request r, long now) {
        if (r.terminal()) {
            throw new IllegalStateException("request " + r.id + " reached a second terminal state");
        }
        r.state = Request.State.FINISHED;
        r.finishNs = now;
        inFlight.remove(r.id);
        if (r.kind == Request.Kind.WARMUP) {
            sink.accept(record(r));
            warmupDone(r);
            return;
        }
        if (options.check() && r.generated != r.outputLen) {
            throw new IllegalStateException("invariant violated: request " + r.id + " finished with " + r.generated
                    + " of " + r.outputLen + " tokens");
        }
        finished++;
        userInFlight--;
        if (options.slo().met(r.firstTokenNs - r.arrivalNs, now - r.firstTokenNs, r.outputLen)) {
            goodRequests++;
        }
        metrics.latency().recordTtft(r.firstTokenNs - r.arrivalNs);
        metrics.latency().recordE2e(now - r.arrivalNs);
        sink.accept(record(r));
        workload.requestDone(false);
    }

    void abort(Request r, String reason) {
        if (r.terminal()) {
            return;
        }
        r.state = Request.State.ABORTED;
        r.reason = reason;
        r.finishNs = engine.now();
        inFlight.remove(r.id);
        if (r.prefillInstance >= 0) {
            ServingInstance p = instances.get(r.prefillInstance);
            p.held.remove(r.id);
            p.release(r);
        }
        if (r.decodeInstance >= 0) {
            DecodeInstance d = (DecodeInstance) instances.get(r.decodeInstance);
            r.generated = d.generatedSoFar(r);
            d.release(r);
        }
        if (r.kind == Request.Kind.WARMUP) {
            sink.accept(record(r));
            warmupDone(r);
            return;
        }
        aborted++;
        userInFlight--;
        sink.accept(record(r));
        workload.requestDone(false);
    }

    private String stillInFlightReason(Request r, long end) {
        String where = "";
        for (ServingInstance i : instances) {
            if (i.status == InstanceStatus.HUNG && i.held.containsKey(r.id)) {
                where = "; " + i.name + " hung since " + seconds(firstFailureTime(i)) + " s";
            }
        }
        return "still in flight when the run ended at " + seconds(end) + " s" + where;
    }

    private long firstFailureTime(ServingInstance i) {
        return firstFailure != null && firstFailure.instance().equals(i.name) ? (long) (firstFailure.timeS() * 1e9) : 0;
    }

    // ---- failures ----

    void recordFailure(ServingInstance inst, ForwardFailure f, long now) {
        List<Integer> tpRanks = new ArrayList<>();
        int attnTp = inst.topology.attnTpSize();
        for (int dpRank : f.dpRanks()) {
            for (int k = 0; k < attnTp; k++) {
                tpRanks.add(dpRank * attnTp + k);
            }
        }
        ForwardKind mode = inst instanceof PrefillInstance ? ForwardKind.EXTEND : ForwardKind.DECODE;
        double watchdog = inst.topology.args().watchdogTimeoutS();
        FailureReport report = new FailureReport(f.hang(), now / 1e9, inst.name, List.copyOf(tpRanks), f.layer(),
                f.stage().sglangName(), f.error(), SglangCallPath.toDpLocalInfo(mode, f.stage(), f.child() != null),
                f.child(), f.childTokens(), f.hang() ? now / 1e9 + watchdog : 0, !trafficStarted);
        if (firstFailure == null) {
            firstFailure = report;
        }
        if (trace != null) {
            for (int rank : tpRanks) {
                trace.instant(inst.name, rank, f.hang() ? "HANG " + f.stage().sglangName() : "CRASH " + f.error(), now,
                        "layer " + f.layer() + ", child " + f.child());
            }
        }
        startTrafficWhenSettled();
    }

    // ---- trace ----

    boolean traceDetail(ServingInstance inst) {
        return trace != null && inst.iterations <= options.traceDetailIterations();
    }

    void traceIteration(ServingInstance inst, RankBatch[] batches, long start, long end, boolean tbo) {
        if (trace == null) {
            return;
        }
        int attnTp = inst.topology.attnTpSize();
        for (int dpRank = 0; dpRank < batches.length; dpRank++) {
            RankBatch b = batches[dpRank];
            String name = b.kind() + (b.kind() == ForwardKind.IDLE ? "" : " " + b.tokens() + " tok") + (tbo ? " (TBO)" : "");
            for (int k = 0; k < attnTp; k++) {
                trace.slice(inst.name, dpRank * attnTp + k, name, "forward", start, end,
                        "requests " + b.requests() + ", iteration " + inst.iterations);
            }
        }
    }

    /** A layer operation: an engine event at layer fidelity, written straight to the trace otherwise. */
    void traceStage(ServingInstance inst, StageSpan span, long forwardStart) {
        if (trace == null || inst.iterations > options.traceDetailIterations()) {
            return;
        }
        String name = "L" + span.layer() + " " + span.stage().sglangName() + (span.child() == null ? "" : " [" + span.child() + "]");
        for (int rank = 0; rank < inst.topology.gpus(); rank++) {
            trace.slice(inst.name, rank, name, span.child() == null ? "layer" : "tbo-" + span.child(),
                    forwardStart + span.startNs(), forwardStart + span.endNs(), span.resource().name());
        }
    }

    // ---- invariants and results ----

    private void checkInvariants() {
        for (ServingInstance i : instances) {
            long cap = kvCapacity.get(i.name);
            boolean ok = i instanceof PrefillInstance p ? p.kvWithinCapacity(cap) : ((DecodeInstance) i).kvWithinCapacity(cap);
            if (!ok) {
                throw new IllegalStateException("invariant violated: KV slots of " + i.name + " over-committed at t="
                        + engine.now());
            }
        }
    }

    private RequestRecord record(Request r) {
        return new RequestRecord(r.id, r.kind == Request.Kind.USER ? "user" : "warmup", r.arrivalNs, r.inputLen,
                r.outputLen, r.bootstrapRoom, r.prefillInstance < 0 ? "" : instances.get(r.prefillInstance).name,
                r.prefillRank, r.decodeInstance < 0 ? "" : instances.get(r.decodeInstance).name, r.decodeRank,
                r.bootstrappedNs, r.prefillStartNs, r.prefillEndNs, r.kvStartNs, r.kvEndNs, r.decodeStartNs,
                r.firstTokenNs, r.finishNs, r.generated, r.state == Request.State.FINISHED ? "finished" : "aborted",
                r.reason);
    }

    private static String seconds(long ns) {
        return String.format(Locale.ROOT, "%.6f", ns / 1e9);
    }

    private RunResult result(long end) {
        int prefillNodes = prefills.stream().mapToInt(p -> p.topology.nodes()).sum();
        int decodeNodes = decodes.stream().mapToInt(d -> d.topology.nodes()).sum();
        double window = trafficStarted ? metrics.windowSeconds() : 0;
        double in = window > 0 && prefillNodes > 0 ? metrics.inputTokensInWindow() / window / prefillNodes : 0;
        double out = window > 0 && decodeNodes > 0 ? metrics.outputTokensInWindow() / window / decodeNodes : 0;
        String outcome = firstFailure == null ? "completed" : firstFailure.hang() ? "hung" : "crashed";
        Map<String, InstanceStatus> status = new LinkedHashMap<>();
        Map<String, Long> iterations = new LinkedHashMap<>();
        for (ServingInstance i : instances) {
            status.put(i.name, i.status);
            iterations.put(i.name, i.iterations);
        }
        return new RunResult(scenario.name(), strategy.name(), scenario.seed(), outcome, firstFailure, submitted, finished,
                aborted, corruptedTokens, in, out, metrics.latency().ttft(), metrics.latency().itl(),
                metrics.latency().e2e(), engine.eventsFired(), status, trafficStarted ? trafficStartNs / 1e9 : -1,
                end / 1e9, prefillNodes, decodeNodes, metrics.meanSyncBytes(), metrics.meanSyncMicros(), iterations,
                goodRequests, scenario.totalGpus());
    }
}

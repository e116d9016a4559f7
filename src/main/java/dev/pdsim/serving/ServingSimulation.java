package dev.pdsim.serving;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.CostModel;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.cost.RooflineCostModel;
import dev.pdsim.diag.Numbers;
import dev.pdsim.engine.Event;
import dev.pdsim.engine.PastEventException;
import dev.pdsim.engine.RandomStreams;
import dev.pdsim.engine.Simulator;
import dev.pdsim.metadata.MetadataStrategies;
import dev.pdsim.metadata.MetadataStrategy;
import dev.pdsim.metrics.LatencyStats;
import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.metrics.ServingMetrics;
import dev.pdsim.scenario.CollectiveHang;
import dev.pdsim.scenario.DegradedLink;
import dev.pdsim.scenario.Fault;
import dev.pdsim.scenario.KvTransferFailure;
import dev.pdsim.scenario.NodeLost;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ServerArgs;
import dev.pdsim.scenario.Straggler;
import dev.pdsim.workload.Prompt;
import dev.pdsim.workload.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Replays a scenario: builds its servers, warms each one up the way SGLang 0.4.8.post1 does
 * (spec section 5), starts user traffic once every server is ready or dead, and runs until the
 * traffic period and a drain have passed. Requests end in exactly one terminal state; those still
 * in flight when the run stops are unfinished, with the reason.
 *
 * <p>The servers see the simulation only as their {@link ServingContext}; which server a request
 * goes to, the request bookkeeping and the run's outcome stay here.
 */
public final class ServingSimulation implements ServingContext {
    /** Longest the run keeps going after traffic stops, for in-flight requests to finish. */
    private static final double MIN_DRAIN_S = 120;
    /** Output tokens of the warmup request ({@code max_new_tokens} 8) and its prompt. */
    private static final int WARMUP_OUTPUT = 8;
    private static final int WARMUP_INPUT = 4;
    /**
     * The one test seam: sees each request as it finishes, before its checks, on the thread running
     * the simulation, so a test can break a rule as a simulator bug would and watch the command line
     * report it. Nothing sets it outside tests: a no-op.
     */
    static final ThreadLocal<Consumer<Request>> ON_FINISH = ThreadLocal.withInitial(() -> r -> { });
    /**
     * Prompt tokens of a colocated server's warmup text, "The capital city of France is"
     * (srt/entrypoints/http_server.py:931-934). ASSUMPTION: 7 (six words and the BOS token of
     * DeepSeek's tokenizer); tokenizing the text would settle it, and a few tokens more or less
     * change the warmup by microseconds.
     */
    private static final int COLOCATED_WARMUP_INPUT = 7;
    private final Simulator engine = new Simulator();
    private final MetadataStrategy strategy;
    private final CostModel costModel;
    private final ServingMetrics metrics = new ServingMetrics();
    private final boolean layerFidelity;
    private final RandomStreams streams;
    private final InstanceTrace trace;
    private long corruptedTokens;

    private final Scenario scenario;
    private final ReplayOptions options;
    private final List<PrefillInstance> prefills = new ArrayList<>();
    private final List<DecodeInstance> decodes = new ArrayList<>();
    /** Decode speed of each finished user request, kept only when a server speculates. */
    private final List<Double> userTokensPerS = new ArrayList<>();
    private final List<ColocatedInstance> colocated = new ArrayList<>();
    private final List<ServingInstance> instances = new ArrayList<>();
    private final Map<String, Long> kvCapacity = new LinkedHashMap<>();
    private final Router router;
    private final RandomGenerator rooms;
    private final Workload workload;
    private final RequestSink sink;
    private final Map<Long, Request> inFlight = new LinkedHashMap<>();
    private final Map<ServingInstance, Integer> warmupPending = new LinkedHashMap<>();
    private final List<InjectedFault> faults = new ArrayList<>();
    private final KvTransferFaults kvTransferFaults;
    /** Faults whose time came while the run went on (identity: two faults may be written alike). */
    private final Set<Fault> reached = Collections.newSetFromMap(new IdentityHashMap<>());
    private long nextId;
    private long goodRequests;
    private long userInFlight;
    private long submitted;
    private long finished;
    private long aborted;
    private long unfinished;
    /** Times the router sent a failed request again (a request may count several). */
    private long retries;
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
        this.trace = new InstanceTrace(trace, options.traceDetailIterations(), options.fidelity() == Fidelity.LAYER);
        this.layerFidelity = options.fidelity() == Fidelity.LAYER;
        this.costModel = new RooflineCostModel(scenario.model(), scenario.hardware());
        this.streams = new RandomStreams(scenario.seed());
        this.router = new Router(scenario.router().policy(), streams.stream("router"));
        this.rooms = streams.stream("router.rooms");
        this.workload = Workload.of(scenario.workload(), streams, Phase.ARRIVAL);
        this.kvTransferFaults = KvTransferFaults.of(scenario.faults());
        buildInstances();
    }

    /** Runs the scenario with its own strategy and seed; records stream to {@code sink}. */
    public static RunResult run(Scenario scenario, ReplayOptions options, RequestSink sink, TraceSink trace) {
        return new ServingSimulation(scenario, options, sink, trace).run();
    }

    private void buildInstances() {
        for (InstanceTopology t : InstanceTopology.deriveAll(scenario)) {
            InstanceCostModel cost = costModel.forInstance(t);
            long kv = t.memory().kvPool().tokens();
            kvCapacity.put(t.name(), kv);
            ServingInstance i;
            if (t.role() == Role.PREFILL) {
                PrefillInstance p = new PrefillInstance(t, cost, this, kv);
                prefills.add(p);
                i = p;
            } else if (t.role() == Role.COLOCATED) {
                ColocatedInstance c = new ColocatedInstance(t, cost, this, kv, scenario.slo().itlNs());
                colocated.add(c);
                i = c;
            } else {
                DecodeInstance d = new DecodeInstance(t, cost, this, kv, scenario.slo().itlNs(), scenario.speculative());
                decodes.add(d);
                i = d;
            }
            instances.add(i);
        }
    }

    private RunResult run() {
        if (options.check()) {
            engine.afterEachEvent(this::checkKvNotOverCommitted);
        }
        scheduleFaults();
        startWarmup();
        try {
            engine.runUntil(this::done);
        } catch (PastEventException e) {
            throw InvariantViolation.timeWentBack(e);
        }
        long end = engine.now();
        for (Request r : List.copyOf(inFlight.values())) {
            unfinished(r, stillInFlightReason(r, end));
        }
        if (options.check()) {
            checkKvNotOverCommitted();
            checkKvNotLeaked();
            if (submitted != finished + aborted + unfinished) {
                throw InvariantViolation.of(Invariant.REQUEST_COUNTS, end, "submitted " + submitted + " != finished "
                        + finished + " + aborted " + aborted + " + unfinished " + unfinished);
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

    // ---- injected faults ----

    private void scheduleFaults() {
        for (Fault fault : scenario.faults()) {
            // A failed KV transfer acts when a transfer completes, not at a time of its own.
            if (fault instanceof Straggler s) {
                at(s, () -> record(s.describe(), s.instance(), () -> instance(s.instance()).status().alive()));
            } else if (fault instanceof NodeLost f) {
                ServingInstance inst = instance(f.instance());
                at(f, () -> {
                    record(f.describe(), inst.name, () -> inst.lose(f.describe()));
                    startTrafficWhenSettled();
                });
            } else if (fault instanceof DegradedLink l) {
                at(l, () -> record(l.describe(), l.link(), () -> true));
            } else if (fault instanceof CollectiveHang h) {
                ServingInstance inst = instance(h.instance());
                at(h, () -> {
                    if (record(h.describe(), inst.name, inst::hang)) {
                        engine.schedule(inst.watchdogFiresNs(), Phase.WATCHDOG, e -> killedByWatchdog(inst, h));
                    }
                    startTrafficWhenSettled();
                });
            }
        }
    }

    /**
     * Applies a fault now and records it with the user requests it aborted and those the router sent
     * again instead.
     *
     * @param hit applies it; whether it took effect (false on a server already stopped)
     * @return whether it took effect
     */
    private boolean record(String description, String where, BooleanSupplier hit) {
        long abortedBefore = aborted;
        long retriedBefore = retries;
        boolean took = hit.getAsBoolean();
        faults.add(new InjectedFault(description, engine.now() / 1e9, where, took, aborted - abortedBefore,
                retries - retriedBefore, true));
        return took;
    }

    /** Runs {@code action} at the fault's time, and marks the fault as reached. */
    private void at(Fault fault, Runnable action) {
        engine.schedule((long) (fault.atS() * 1e9), Phase.WATCHDOG, e -> {
            reached.add(fault);
            action.run();
        });
    }

    private void killedByWatchdog(ServingInstance inst, CollectiveHang h) {
        String reason = inst.name + " killed by the watchdog after "
                + Numbers.plain(inst.topology.args().watchdogTimeoutS()) + " s (" + h.describe() + ")";
        record(reason, inst.name, () -> {
            inst.killByWatchdog(reason);
            return true;
        });
    }

    /** The faults of the scenario that never acted: timed after the run ended, or never met a transfer to fail. */
    private List<InjectedFault> notReached() {
        List<InjectedFault> out = new ArrayList<>();
        for (Fault f : scenario.faults()) {
            boolean acted = f instanceof KvTransferFailure k ? kvTransferFaults.claimedAny(k) : reached.contains(f);
            if (!acted) {
                out.add(InjectedFault.notReached(f.describe(), f.atS(), f.target()));
            }
        }
        return out;
    }

    private ServingInstance instance(String name) {
        return instances.stream().filter(i -> i.name.equals(name)).findFirst().orElseThrow();
    }

    @Override
    public double stragglerSlowdown(ServingInstance inst, long nowNs) {
        double slowdown = 1.0;
        for (Fault fault : scenario.faults()) {
            if (fault instanceof Straggler s && s.instance().equals(inst.name) && nowNs >= (long) (s.atS() * 1e9)
                    && nowNs < (long) (s.toS() * 1e9)) {
                slowdown = Math.max(slowdown, s.slowdown());
            }
        }
        return slowdown;
    }

    // ---- warmup (spec section 5) ----

    /**
     * Every server first captures its decode CUDA graphs; each one that started sends itself one
     * request per DP rank: a disaggregated one 4 tokens with a fake bootstrap, a colocated one its
     * warmup text, which its DP controller deals out one per rank (http_server.py:917-954).
     */
    private void startWarmup() {
        for (ServingInstance inst : instances) {
            if (!inst.captureCudaGraphs()) {
                continue; // it dies starting up: no warmup request is ever sent to it
            }
            ServerArgs a = inst.topology.args();
            WarmupRooms rooms = new WarmupRooms(a.dpSize(), a.tpSize());
            warmupPending.put(inst, rooms.count());
            boolean disaggregated = !(inst instanceof ColocatedInstance);
            for (int i = 0; i < rooms.count(); i++) {
                Request r = new Request(nextId++, Request.Kind.WARMUP, 0,
                        Prompt.unique(disaggregated ? WARMUP_INPUT : COLOCATED_WARMUP_INPUT), WARMUP_OUTPUT);
                r.bootstrapRoom = disaggregated ? rooms.room(i) : 0;
                r.fakeBootstrap = disaggregated;
                inFlight.put(r.id, r);
                inst.accept(r);
            }
        }
    }

    private void warmupDone(Request r) {
        ServingInstance inst = r.colocated != null ? r.colocated : r.prefill != null ? r.prefill : r.decode;
        int left = warmupPending.merge(inst, -1, Integer::sum);
        if (left == 0 && inst.status() == InstanceStatus.WARMING_UP && r.state() == Request.State.FINISHED) {
            inst.warmedUp();
        }
        startTrafficWhenSettled();
    }

    /** User traffic starts once no server is still warming up (each is ready, crashed or hung). */
    private void startTrafficWhenSettled() {
        if (trafficStarted || instances.stream().anyMatch(i -> i.status() == InstanceStatus.WARMING_UP)) {
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

    private void submit(Prompt prompt, int outputLen) {
        Request r = new Request(nextId++, Request.Kind.USER, engine.now(), prompt, outputLen);
        submitted++;
        String refused = route(r);
        if (refused != null) {
            reject(r, refused);
        }
    }

    /**
     * The router sends {@code r} to a live prefill/decode pair with a fresh bootstrap room.
     *
     * @return why it could not (no live server of a role), or null when sent
     */
    private String route(Request r) {
        r.bootstrapRoom = rooms.nextLong() & Long.MAX_VALUE;
        DecodeInstance d;
        if (colocated.isEmpty()) {
            d = router.pick(decodes, false);
        } else {
            ServingInstance target = router.pickServing(colocated, decodes);
            if (target instanceof ColocatedInstance c) {
                inFlight.put(r.id, r);
                userInFlight++;
                c.accept(r);
                return null;
            }
            if (target == null) {
                return "no live colocated instance" + deadList(colocated)
                        + (decodes.isEmpty() ? "" : " nor decode instance" + deadList(decodes));
            }
            d = (DecodeInstance) target;
        }
        if (d != null && d.topology.args().fakeTransfer()) {
            // SGLang's fake transfer backend: no prefill server, the KV is "there" at once.
            r.fakeBootstrap = true;
            inFlight.put(r.id, r);
            userInFlight++;
            d.accept(r);
            return null;
        }
        PrefillInstance p = router.pick(prefills, true);
        if (p == null || d == null) {
            return p == null ? "no live prefill instance" + deadList(prefills) : "no live decode instance" + deadList(decodes);
        }
        inFlight.put(r.id, r);
        userInFlight++;
        d.accept(r);
        p.accept(r);
        return null;
    }

    private void reject(Request r, String reason) {
        r.abort(reason, engine.now());
        aborted++;
        sink.accept(record(r));
        workload.requestDone(true);
    }

    private String deadList(List<? extends ServingInstance> list) {
        StringBuilder sb = new StringBuilder();
        for (ServingInstance i : list) {
            sb.append(sb.length() == 0 ? " (" : ", ").append(i.name).append(' ')
                    .append(i.status().name().toLowerCase(Locale.ROOT));
        }
        return sb.append(sb.length() == 0 ? "" : ")").toString();
    }

    // ---- the context of the servers ----

    @Override
    public long now() {
        return engine.now();
    }

    @Override
    public void schedule(long atNs, int phase, Event event) {
        engine.schedule(atNs, phase, event);
    }

    @Override
    public MetadataStrategy strategy() {
        return strategy;
    }

    @Override
    public RandomGenerator randomStream(String component) {
        return streams.stream(component);
    }

    @Override
    public boolean checking() {
        return options.check();
    }

    @Override
    public boolean layerFidelity() {
        return layerFidelity;
    }

    @Override
    public ServingMetrics metrics() {
        return metrics;
    }

    @Override
    public void corrupted(long tokens) {
        corruptedTokens += tokens;
    }

    @Override
    public InstanceTrace trace() {
        return trace;
    }

    @Override
    public long kvTransferNs(Request r, int kvElementBytes, int attnTpSize, long startNs) {
        long ns = costModel.kvTransferNs(r.inputLen * scenario.model().kvBytesPerRankToken(kvElementBytes, attnTpSize));
        double factor = kvBandwidthFactor(r, startNs);
        return factor == 1.0 ? ns : Math.round(ns / factor);
    }

    /**
     * The share of its bandwidth {@code r}'s KV transfer gets when it starts at {@code startNs}: the
     * smallest of the degraded links it crosses then, 1 when none. ASSUMPTION: the whole transfer,
     * its fixed part included, runs at the rate of its start (it is not split at the window's edges);
     * transfers are short beside a window of seconds.
     */
    private double kvBandwidthFactor(Request r, long startNs) {
        double factor = 1.0;
        for (Fault fault : scenario.faults()) {
            if (fault instanceof DegradedLink l && l.carries(r.prefill.name, r.decode.name)
                    && startNs >= (long) (l.atS() * 1e9) && startNs < (long) (l.toS() * 1e9)) {
                factor = Math.min(factor, l.bandwidthFactor());
            }
        }
        return factor;
    }

    @Override
    public void bootstrapReady(Request r) {
        if (!r.terminal()) {
            r.prefill.bootstrapped(r);
        }
    }

    @Override
    public void kvArrived(Request r) {
        if (r.fakeBootstrap && r.kind == Request.Kind.WARMUP && r.decode == null) {
            finished(r, engine.now()); // prefill warmup: nothing crosses the network, no decode side
            return;
        }
        DecodeInstance d = r.decode;
        if (d.status() == InstanceStatus.HUNG) {
            // Its scheduler, stuck in a collective, never polls the transfer: the request waits there
            // until the watchdog kills the server or the run ends (the transfer queue is popped only by
            // the scheduler's event loop: srt/disaggregation/decode.py:637-644, 848-859).
            return;
        }
        if (!d.status().alive()) {
            abort(r, d.name + " is " + d.status().name().toLowerCase(Locale.ROOT) + "; KV has nowhere to go");
            return;
        }
        String injected = r.fakeBootstrap ? null : kvTransferFaults.claim(engine.now());
        if (injected != null) {
            String reason = "KV transfer from " + r.prefill.name + " to " + d.name + " failed (" + injected + ")";
            record(reason, r.prefill.name + " -> " + d.name, () -> {
                abort(r, reason);
                return true;
            });
            return;
        }
        d.kvArrived(r);
    }

    @Override
    public void finished(Request r, long now) {
        r.finish(now);
        inFlight.remove(r.id);
        ON_FINISH.get().accept(r);
        if (options.check()) {
            RequestTimeline.check(r, now);
        }
        if (r.kind == Request.Kind.WARMUP) {
            sink.accept(record(r));
            warmupDone(r);
            return;
        }
        if (options.check() && r.generated != r.outputLen) {
            throw InvariantViolation.of(Invariant.OUTPUT_TOKENS, now, r, "finished with " + r.generated + " of "
                    + r.outputLen + " tokens");
        }
        finished++;
        userInFlight--;
        long ttft = r.firstTokenNs - r.arrivalNs;
        // bench_serving's TPOT: (e2e - ttft) / (output_len - 1), for more than one output token
        // (python/sglang/bench_serving.py:1118-1119 at 69183f8).
        double tpot = r.outputLen > 1 ? (double) (now - r.firstTokenNs) / (r.outputLen - 1) : -1;
        if (scenario.slo().met(ttft, tpot, r.itlWithinSlo)) {
            goodRequests++;
        }
        metrics.latency().recordTtft(ttft);
        if (tpot > 0 && r.decode != null && r.decode.acceptedLengths() != null) {
            userTokensPerS.add(1e9 / tpot);
        }
        if (tpot >= 0) {
            metrics.latency().recordTpot(Math.round(tpot));
        }
        metrics.latency().recordE2e(now - r.arrivalNs);
        metrics.finishedRequest(r.inputLen, r.outputLen);
        sink.accept(record(r));
        workload.requestDone(false);
    }

    @Override
    public void abort(Request r, String reason) {
        if (r.terminal()) {
            return;
        }
        boolean retry = r.kind == Request.Kind.USER && r.attempt < scenario.router().retries();
        Request next = retry ? r.retry(reason, engine.now()) : null;
        if (!retry) {
            r.abort(reason, engine.now());
        }
        inFlight.remove(r.id);
        if (r.prefill != null) {
            r.prefill.release(r);
        }
        if (r.decode != null) {
            r.generated = r.decode.generatedSoFar(r);
            r.decode.release(r);
        }
        if (r.colocated != null) {
            r.colocated.release(r);
        }
        if (r.kind == Request.Kind.WARMUP) {
            sink.accept(record(r));
            warmupDone(r);
            return;
        }
        userInFlight--;
        if (retry) {
            resend(next);
            return;
        }
        aborted++;
        sink.accept(record(r));
        workload.requestDone(false);
    }

    /**
     * The router sends a failed request again, from scratch, keeping its arrival (so its TTFT and
     * E2E include the lost work). ASSUMPTION: the router learns of the failure when it happens and
     * resends at once; a real one would wait for an error or a timeout. With no live pair left the
     * request ends aborted, as a new one would be.
     */
    private void resend(Request next) {
        retries++;
        String refused = route(next);
        if (refused != null) {
            reject(next, next.retriedBecause + "; retry " + next.attempt + " found " + refused);
        }
    }

    /** The run stopped before {@code r} ended: it is neither served nor refused. */
    private void unfinished(Request r, String reason) {
        if (r.decode != null) {
            r.generated = r.decode.generatedSoFar(r);
        }
        r.unfinished(reason, engine.now());
        inFlight.remove(r.id);
        sink.accept(record(r));
        if (r.kind == Request.Kind.USER) {
            unfinished++;
            userInFlight--;
        }
    }

    private String stillInFlightReason(Request r, long end) {
        String where = "";
        for (ServingInstance i : instances) {
            if (i.status() == InstanceStatus.HUNG && i.holds(r)) {
                where = "; " + i.name + " hung since " + seconds(i.hungSinceNs()) + " s";
            }
        }
        return "still in flight when the run ended at " + seconds(end) + " s" + where;
    }

    // ---- failures ----

    @Override
    public void failed(ServingInstance inst, ForwardFailure f, long now, Integer captureBatchSize) {
        List<Integer> tpRanks = new ArrayList<>();
        int attnTp = inst.topology.attnTpSize();
        for (int dpRank : f.dpRanks()) {
            for (int k = 0; k < attnTp; k++) {
                tpRanks.add(dpRank * attnTp + k);
            }
        }
        double watchdog = inst.topology.args().watchdogTimeoutS();
        FailureReport report = new FailureReport(f.hang(), now / 1e9, inst.name, List.copyOf(tpRanks), f.layer(),
                f.stage().sglangName(), f.error(), f.callPath(),
                f.child(), f.childTokens(), f.hang() ? now / 1e9 + watchdog : 0,
                captureBatchSize != null ? FailurePhase.CUDA_GRAPH_CAPTURE
                        : trafficStarted ? FailurePhase.SERVING : FailurePhase.WARMUP,
                captureBatchSize == null ? 0 : captureBatchSize);
        if (firstFailure == null) {
            firstFailure = report;
        }
        trace.failure(inst, tpRanks, f, now);
        startTrafficWhenSettled();
    }

    // ---- invariants and results ----

    private void checkKvNotOverCommitted() {
        for (ServingInstance i : instances) {
            int rank = i.kvOverCommittedRank(kvCapacity.get(i.name));
            if (rank >= 0) {
                throw new InvariantViolation(Invariant.KV_SLOTS, engine.now(), i.name, rank, InvariantViolation.NONE,
                        "free slots below zero, or not every slot accounted for");
            }
        }
    }

    private void checkKvNotLeaked() {
        for (ServingInstance i : instances) {
            int rank = i.kvLeakedRank(kvCapacity.get(i.name));
            if (rank >= 0) {
                throw new InvariantViolation(Invariant.KV_SLOTS, engine.now(), i.name, rank, InvariantViolation.NONE,
                        "at the end of the run free + held slots != pool of " + kvCapacity.get(i.name));
            }
        }
    }

    /** A colocated request names its server as both its prefill and its decode side. */
    private RequestRecord record(Request r) {
        String prefillSide = r.colocated != null ? r.colocated.name : r.prefill == null ? "" : r.prefill.name;
        String decodeSide = r.colocated != null ? r.colocated.name : r.decode == null ? "" : r.decode.name;
        return new RequestRecord(r.id, r.kind == Request.Kind.USER ? "user" : "warmup", r.arrivalNs, r.inputLen,
                r.outputLen, r.bootstrapRoom, prefillSide, r.prefillRank, decodeSide, r.decodeRank,
                r.bootstrappedNs, r.prefillStartNs, r.prefillEndNs, r.kvStartNs, r.kvEndNs, r.decodeStartNs,
                r.firstTokenNs, r.finishNs(), r.generated, r.state().name().toLowerCase(Locale.ROOT), reason(r));
    }

    /** Why it ended as it did; for a request the router retried, how many times, and after what for a finished one. */
    private static String reason(Request r) {
        if (r.attempt == 0) {
            return r.reason();
        }
        String retries = r.attempt + (r.attempt == 1 ? " retry" : " retries");
        return r.state() == Request.State.FINISHED ? "finished after " + retries + "; the last failure: " + r.retriedBecause
                : r.reason() + " (after " + retries + ")";
    }

    private static String seconds(long ns) {
        return String.format(Locale.ROOT, "%.6f", ns / 1e9);
    }

    private RunResult result(long end) {
        // A colocated server's nodes both prefill and decode: they count on each side.
        int colocatedNodes = colocated.stream().mapToInt(c -> c.topology.nodes()).sum();
        int prefillNodes = prefills.stream().mapToInt(p -> p.topology.nodes()).sum() + colocatedNodes;
        int decodeNodes = decodes.stream().mapToInt(d -> d.topology.nodes()).sum() + colocatedNodes;
        double window = trafficStarted ? metrics.windowSeconds() : 0;
        double in = window > 0 && prefillNodes > 0 ? metrics.inputTokensInWindow() / window / prefillNodes : 0;
        double out = window > 0 && decodeNodes > 0 ? metrics.outputTokensInWindow() / window / decodeNodes : 0;
        Map<String, InstanceStatus> status = new LinkedHashMap<>();
        Map<String, Long> iterations = new LinkedHashMap<>();
        for (ServingInstance i : instances) {
            status.put(i.name, i.status());
            iterations.put(i.name, i.iterations());
        }
        LatencyStats latency = metrics.latency();
        return new RunResult(scenario.name(), strategy.name(), scenario.seed(), Outcome.of(firstFailure), firstFailure,
                new RunResult.RequestCounts(submitted, finished, aborted, unfinished, retries), corruptedTokens, in, out,
                new RunResult.Latencies(latency.ttft(), latency.tpot(), latency.itl(), latency.e2e()), engine.eventsFired(), status,
                trafficStarted ? trafficStartNs / 1e9 : -1, end / 1e9, prefillNodes, decodeNodes, iterations,
                metrics.finishedInputTokens(), metrics.finishedOutputTokens(), goodRequests, scenario.slo(),
                scenario.totalGpus(), prefixCacheUse(), faultsInTimeOrder(), speculativeUse());
    }

    /** Those that happened as they happened, then those the run never reached (all timed after the others). */
    private List<InjectedFault> faultsInTimeOrder() {
        List<InjectedFault> all = new ArrayList<>(faults);
        all.addAll(notReached());
        return List.copyOf(all);
    }

    /** Summed over the decode servers that speculate; null when none does. */
    private SpeculativeUse speculativeUse() {
        long[] lengths = null;
        double analyticSum = 0;
        long verifies = 0;
        for (DecodeInstance d : decodes) {
            long[] own = d.acceptedLengths();
            if (own == null) {
                continue;
            }
            // Each server's analytic mean for its own draft count, weighted by its verifies.
            long ownVerifies = Arrays.stream(own).sum();
            analyticSum += ownVerifies * scenario.speculative().meanAcceptedLength(own.length - 2);
            verifies += ownVerifies;
            lengths = lengths == null ? own : add(lengths, own);
        }
        if (lengths == null) {
            return null;
        }
        double analytic = verifies == 0 ? scenario.speculative().meanAcceptedLength(lengths.length - 2)
                : analyticSum / verifies;
        return new SpeculativeUse(lengths, analytic,
                userTokensPerS.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static long[] add(long[] a, long[] b) {
        long[] sum = new long[Math.max(a.length, b.length)];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = (i < a.length ? a[i] : 0) + (i < b.length ? b[i] : 0);
        }
        return sum;
    }

    /** Per prefill and colocated instance, when the workload's prompts share prefixes; without them nothing can hit. */
    private List<PrefixCacheUse> prefixCacheUse() {
        if (!scenario.workload().sharesPrefixes()) {
            return List.of();
        }
        List<PrefixCacheUse> use = new ArrayList<>(prefills.stream().map(PrefillInstance::prefixCacheUse).toList());
        colocated.forEach(c -> use.add(c.prefixCacheUse()));
        return List.copyOf(use);
    }
}

package dev.pdsim.serving;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.RooflineCostModel;
import dev.pdsim.engine.Event;
import dev.pdsim.engine.PastEventException;
import dev.pdsim.engine.Simulator;
import dev.pdsim.metadata.CollectiveResult;
import dev.pdsim.metadata.MetadataStrategies;
import dev.pdsim.metadata.MetadataStrategy;
import dev.pdsim.metrics.ServingMetrics;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.workload.Prompt;
import java.util.List;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Each invariant of the --check catalogue, broken on purpose, is caught and named (request
 * transitions: {@link RequestTest}).
 */
class InvariantCatalogueTest {

    private static Request ordered() {
        Request r = new Request(3, Request.Kind.USER, 100, Prompt.unique(64), 4);
        r.bootstrappedNs = 110;
        r.prefillStartNs = 120;
        r.prefillEndNs = 130;
        r.kvStartNs = 130;
        r.kvEndNs = 140;
        r.decodeStartNs = 150;
        r.firstTokenNs = 160;
        r.finish(200);
        return r;
    }

    @Test
    void anOrderedTimelinePasses() {
        assertDoesNotThrow(() -> RequestTimeline.check(ordered(), 200));
    }

    @Test
    void aPrefillThatEndsBeforeItStartsBreaksTheTimeline() {
        Request r = ordered();
        r.prefillEndNs = 115;
        InvariantViolation e = assertThrows(InvariantViolation.class, () -> RequestTimeline.check(r, 200));
        assertEquals(Invariant.REQUEST_TIMELINE, e.invariant());
        assertEquals("invariant request_timeline violated at t=0.000000200 s, request 3: a request's timestamps are"
                + " ordered (prefill end 115 ns < prefill start 120 ns)", e.getMessage());
    }

    @Test
    void unsetTimestampsAreSkippedButTheOnesSetMustStillBeOrdered() {
        Request r = new Request(4, Request.Kind.USER, 100, Prompt.unique(64), 4);
        r.bootstrappedNs = 110;
        r.abort("rejected", 90);
        InvariantViolation e = assertThrows(InvariantViolation.class, () -> RequestTimeline.check(r, 90));
        assertEquals(Invariant.REQUEST_TIMELINE, e.invariant());
        assertEquals("invariant request_timeline violated at t=0.000000090 s, request 4: a request's timestamps are"
                + " ordered (finish 90 ns < bootstrap 110 ns)", e.getMessage());
    }

    @Test
    void decodingBeforeTheKvArrivedIsItsOwnRule() {
        Request r = ordered();
        r.kvEndNs = 155;
        InvariantViolation e = assertThrows(InvariantViolation.class, () -> RequestTimeline.check(r, 200));
        assertEquals(Invariant.DECODE_AFTER_KV, e.invariant());
        assertEquals("invariant decode_after_kv violated at t=0.000000200 s, request 3: no decode step before the"
                + " request's KV arrived (decode start 150 ns < KV end 155 ns)", e.getMessage());
    }

    @Test
    void aDecodeRankThatLosesAReservationLeaksSlots() {
        DecodeInstance d = decodeInstance();
        Request r = new Request(5, Request.Kind.USER, 0, Prompt.unique(100), 10);
        d.accept(r);
        assertEquals(-1, d.kvLeakedRank(POOL), "its reservation is held by a request it holds");
        assertEquals(-1, d.kvOverCommittedRank(POOL));
        d.held.remove(r.id); // forgotten without releasing its slots
        assertEquals(0, d.kvLeakedRank(POOL));
    }

    @Test
    void aDecodeRankThatReleasesTwiceHasMoreFreeSlotsThanItsPool() {
        DecodeInstance d = decodeInstance();
        Request r = new Request(6, Request.Kind.USER, 0, Prompt.unique(100), 10);
        d.accept(r);
        d.release(r);
        assertEquals(-1, d.kvLeakedRank(POOL));
        r.decodeSlotsHeld = true; // a stale flag: the release below gives the slots back a second time
        d.release(r);
        assertEquals(0, d.kvOverCommittedRank(POOL));
        assertEquals(0, d.kvLeakedRank(POOL));
    }

    @Test
    void anEventInThePastStopsTheEngineAndIsReportedAsTimeGoingBack() {
        Simulator engine = new Simulator();
        engine.schedule(10, Phase.ARRIVAL, e -> engine.schedule(5, Phase.ARRIVAL, x -> { }));
        PastEventException e = assertThrows(PastEventException.class, () -> engine.runUntil(() -> false));
        InvariantViolation v = InvariantViolation.timeWentBack(e);
        assertEquals(Invariant.TIME_MONOTONIC, v.invariant());
        assertEquals("invariant time_monotonic violated at t=0.000000010 s: simulated time never goes back (cannot"
                + " schedule an event at t=5 ns: it is before now, t=10 ns (5 ns in the past))", v.getMessage());
    }

    @Test
    void childrenThatDoNotAddUpToTheirRanksBatchBreakTheCollectiveSizes() {
        RankBatch[] batches = {RankBatch.decode(4, 400), RankBatch.decode(3, 300)};
        assertNull(CollectiveSizes.check(batches, new long[] {2, 2}, new long[] {2, 1}, CollectiveResult.CLEAN,
                CollectiveResult.CLEAN));
        CollectiveSizes.Mismatch m = CollectiveSizes.check(batches, new long[] {2, 2}, new long[] {2, 2},
                CollectiveResult.CLEAN, CollectiveResult.CLEAN);
        assertNotNull(m);
        assertEquals(1, m.rank());
        assertEquals("children A and B carry 2 + 2 tokens, its batch 3", m.detail());
    }

    @Test
    void aGatherWhoseRanksDisagreeMustBeReportedAsAHang() {
        RankBatch[] batches = {RankBatch.decode(4, 400), RankBatch.decode(4, 400)};
        long[] half = {2, 2};
        CollectiveResult disagreeing = new CollectiveResult(List.of(), null, false, new long[] {8, 9}, 0);
        CollectiveSizes.Mismatch m = CollectiveSizes.check(batches, half, half, CollectiveResult.CLEAN, disagreeing);
        assertNotNull(m);
        assertEquals(1, m.rank());
        assertEquals("child B's DP gather expects 9 rows here and 8 on rank 0, yet no hang was reported", m.detail());

        CollectiveResult hangWithoutCause = new CollectiveResult(List.of(), null, true, new long[] {8, 8}, 0);
        assertNotNull(CollectiveSizes.check(batches, half, half, hangWithoutCause, CollectiveResult.CLEAN));

        CollectiveResult hang = new CollectiveResult(List.of(), null, true, new long[] {8, 9}, 0);
        assertNull(CollectiveSizes.check(batches, half, half, hang, CollectiveResult.CLEAN),
                "a hang is the strategy's outcome, reported as the result");
    }

    @Test
    void aViolationNamesTimeInstanceRankRequestAndRule() {
        InvariantViolation e = new InvariantViolation(Invariant.KV_SLOTS, 1_500_000_000L, "decode-0", 3, 42, "why");
        assertEquals("invariant kv_slots violated at t=1.500000000 s, instance decode-0, rank 3, request 42: KV slots"
                + " are neither over-committed nor leaked (why)", e.getMessage());
    }

    // ---- a decode server outside a simulation ----

    private static final long POOL = 10_000;

    private static DecodeInstance decodeInstance() {
        Scenario s = ScenarioLoader.parse("t.yaml", """
                model: deepseek-r1
                hardware: h100
                strategy: patched
                duration_s: 20
                workload: {type: poisson, rate: 2, input_len: 100, output_len: 10}
                instances:
                  - role: prefill
                    nnodes: 2
                    tp_size: 16
                  - role: decode
                    nnodes: 2
                    tp_size: 16
                """);
        InstanceTopology t = InstanceTopology.deriveAll(s).stream().filter(x -> x.role() == Role.DECODE)
                .findFirst().orElseThrow();
        RooflineCostModel cost = new RooflineCostModel(s.model(), s.hardware());
        return new DecodeInstance(t, cost.forInstance(t), new QuietContext(s), POOL, Long.MAX_VALUE, s.speculative());
    }

    /** Time stands still at 0 and nothing scheduled ever runs: the server's bookkeeping alone. */
    private record QuietContext(Scenario scenario) implements ServingContext {
        @Override
        public long now() {
            return 0;
        }

        @Override
        public void schedule(long atNs, int phase, Event event) {
        }

        @Override
        public MetadataStrategy strategy() {
            return MetadataStrategies.of(scenario.strategy());
        }

        @Override
        public RandomGenerator randomStream(String component) {
            return new MersenneTwister(1);
        }

        @Override
        public boolean checking() {
            return true;
        }

        @Override
        public boolean layerFidelity() {
            return false;
        }

        @Override
        public ServingMetrics metrics() {
            return new ServingMetrics();
        }

        @Override
        public void corrupted(long tokens) {
        }

        @Override
        public InstanceTrace trace() {
            return new InstanceTrace(null, 0, false);
        }

        @Override
        public long kvTransferNs(Request r, int kvElementBytes, int attnTpSize, long startNs) {
            return 0;
        }

        @Override
        public void bootstrapReady(Request r) {
        }

        @Override
        public void kvArrived(Request r) {
        }

        @Override
        public double stragglerSlowdown(ServingInstance inst, long nowNs) {
            return 1.0;
        }

        @Override
        public void finished(Request r, long nowNs) {
        }

        @Override
        public void abort(Request r, String reason) {
        }

        @Override
        public void failed(ServingInstance inst, ForwardFailure f, long nowNs, Integer captureBatchSize) {
        }
    }
}

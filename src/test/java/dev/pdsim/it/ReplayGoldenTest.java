package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.report.ReplayRun;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.Strategy;
import dev.pdsim.serving.FailurePhase;
import dev.pdsim.serving.Fidelity;
import dev.pdsim.serving.InstanceStatus;
import dev.pdsim.serving.Outcome;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** End-to-end replays of the shipped scenarios, seeded, with every invariant checked after each event. */
class ReplayGoldenTest {
    private static final ReplayOptions CHECKED = ReplayOptions.DEFAULT.withCheck(true);
    /** The traceback of the report, down to get_dp_local_info (srt/layers/dp_attention.py:172). */
    private static final List<String> REPORTED_CALL_PATH = List.of(
            "tp_worker_overlap_thread.forward_thread_func", "tp_worker.forward_batch_generation", "model_runner.forward",
            "model_runner.forward_extend", "deepseek_v2.DeepseekV2ForCausalLM.forward", "deepseek_v2.DeepseekV2Model.forward",
            "two_batch_overlap.model_forward_maybe_tbo", "two_batch_overlap.execute_overlapped_operations",
            "operations._StageExecutor.next", "deepseek_v2.DeepseekV2DecoderLayer.op_comm_prepare_mlp",
            "communicator.prepare_mlp", "communicator._gather_hidden_states_and_residual",
            "dp_attention.dp_gather_partial", "dp_attention._dp_gather", "dp_attention.get_dp_local_info");

    static Scenario scenario(String file, String strategy, double durationS) {
        return ScenarioLoader.load(Path.of("scenarios", file)).withStrategy(Strategy.byName(strategy, "test"))
                .withDuration(durationS);
    }

    static RunResult run(Scenario s) {
        return ServingSimulation.run(s, CHECKED, RequestSink.NONE, null);
    }

    @Test
    void reportedLaunchWithReleasedMetadataCrashesInWarmupAtLayer3OnEveryPrefillRank() {
        RunResult r = run(scenario("reported-xpyd.yaml", "buggy", 60));
        assertEquals(Outcome.CRASHED, r.outcome());
        var f = r.failure();
        assertNotNull(f);
        assertFalse(f.hang());
        assertEquals(FailurePhase.WARMUP, f.phase(), "crash must come from the warmup request, before user traffic");
        assertEquals("prefill-0", f.instance());
        assertEquals(IntStream.range(0, 16).boxed().toList(), f.ranks());
        assertEquals(3, f.layer());
        assertEquals("comm_prepare_mlp", f.operation());
        assertEquals("TypeError: cumsum() received an invalid combination of arguments - got (NoneType, dim=int)", f.error());
        assertEquals(REPORTED_CALL_PATH, f.callPath());
        // Traffic starts once every server is ready or dead: prefill-0 dies at about 1 ms, decode-0 is ready at 0.16 s.
        assertTrue(r.trafficStartS() >= 0, "user traffic starts after the crash");
        assertTrue(f.timeS() <= r.trafficStartS(), "crash at " + f.timeS() + " s, traffic from " + r.trafficStartS() + " s");
        assertEquals(InstanceStatus.CRASHED, r.instanceStatus().get("prefill-0"));
        assertEquals(InstanceStatus.READY, r.instanceStatus().get("decode-0"), "the decode instance stays up");
        assertTrue(r.submitted() > 100, "user traffic still arrives: " + r.submitted());
        assertEquals(0, r.finished());
        assertEquals(r.submitted(), r.aborted(), "every user request is accounted for as aborted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tbo-off", "deepep"})
    void workaroundsServeTheReportedLaunchCleanly(String strategy) {
        RunResult r = run(scenario("reported-xpyd.yaml", strategy, 120));
        assertEquals(Outcome.COMPLETED, r.outcome(), strategy);
        assertNull(r.failure());
        assertTrue(r.submitted() > 300, "submitted " + r.submitted());
        assertEquals(r.submitted(), r.finished(), "every request finished");
        assertEquals(0, r.aborted());
        assertEquals(0, r.corruptedTokens());
        assertTrue(r.inputTokensPerSPerNode() > 0 && r.outputTokensPerSPerNode() > 0);
        assertTrue(r.latency().ttft().p50() > 0 && r.latency().itl().p50() > 0 && r.latency().e2e().p99() >= r.latency().e2e().p50());
    }

    /**
     * Metadata fixes alone do not make the reported (non-DeepEP) TBO prefill serve at this tag: the
     * TBO MoE operations read attributes DeepseekV2MoE sets only with --enable-deepep-moe
     * (srt/models/deepseek_v2.py:322-336, 546). The warmup's children are even (child A empty on
     * every rank), so the None check's gather into the child-sized buffer passes too
     * (srt/two_batch_overlap.py:353-358 with --moe-dense-tp-size 1) and both die at layer 3's
     * op_dispatch_a.
     */
    @ParameterizedTest
    @ValueSource(strings = {"patched", "none-check"})
    void metadataFixesStillCrashTheReportedLaunchInWarmupAtLayer3(String strategy) {
        RunResult r = run(scenario("reported-xpyd.yaml", strategy, 30));
        assertEquals(Outcome.CRASHED, r.outcome(), strategy);
        assertEquals(FailurePhase.WARMUP, r.failure().phase());
        assertEquals(3, r.failure().layer());
        assertEquals("dispatch_a", r.failure().operation());
        assertEquals("AttributeError: 'DeepseekV2MoE' object has no attribute 'ep_size'", r.failure().error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reported-xpyd-tbo-off.yaml", "reported-xpyd-deepep.yaml"})
    void releasedMetadataDoesNotCrashWithoutTboOrWithDeepEp(String file) {
        RunResult r = run(scenario(file, "buggy", 60));
        assertEquals(Outcome.COMPLETED, r.outcome(), file);
        assertEquals(r.submitted(), r.finished());
    }

    /** Without DP attention, DeepEP or moe_dense_tp_size 1 there is no MLP sync, so no TBO split (srt/utils.py:2343-2344, scheduler.py:1894-1912). */
    @Test
    void releasedMetadataDoesNotCrashWithoutDpAttention() {
        Scenario s = ScenarioLoader.parse("dp1.yaml", """
                seed: 3
                strategy: buggy
                duration_s: 30
                workload: {type: poisson, rate: 1, input_len: 1000, output_len: 50}
                instances:
                  - role: prefill
                    nnodes: 2
                    tp_size: 16
                    enable_two_batch_overlap: true
                  - role: decode
                    nnodes: 2
                    tp_size: 16
                """);
        assertEquals(1, s.instances().get(0).args().dpSize());
        assertFalse(s.instances().get(0).args().enableDpAttention());
        RunResult r = run(s);
        assertEquals(Outcome.COMPLETED, r.outcome());
        assertEquals(r.submitted(), r.finished());
    }

    /**
     * Causality in disaggregated decode (srt/disaggregation/decode.py:767-861): an iteration's poll
     * sees only KV that has arrived when it starts, so a request's decode starts no earlier than
     * the first iteration that starts after its KV transfer ended.
     */
    @Test
    void noRequestJoinsADecodeBatchBeforeItsKvArrived() {
        List<RequestRecord> records = new ArrayList<>();
        RequestSink sink = RequestSink.into(records);
        ServingSimulation.run(scenario("reported-xpyd.yaml", "tbo-off", 30), CHECKED, sink, null);
        List<RequestRecord> decoded = records.stream()
                .filter(r -> r.decodeStartNs() >= 0 && r.kvTransferEndNs() >= 0).toList();
        assertTrue(decoded.size() > 50, "decoded " + decoded.size());
        for (var r : decoded) {
            assertTrue(r.decodeStartNs() >= r.kvTransferEndNs(), "request " + r.id() + " decodes at " + r.decodeStartNs()
                    + " before its KV arrived at " + r.kvTransferEndNs());
        }
    }

    @Test
    void sameScenarioAndSeedGiveByteIdenticalOutputs(@TempDir Path tmp) throws Exception {
        Scenario s = scenario("reported-xpyd-busy.yaml", "deepep", 30);
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        ReplayRun.write(s, CHECKED, a, null);
        ReplayRun.write(s, CHECKED, b, null);
        for (String f : List.of("summary.json", "requests.csv")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        Path c = Files.createDirectory(tmp.resolve("c"));
        ReplayRun.write(s.withSeed(2), CHECKED, c, null);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.resolve("requests.csv")),
                Files.readAllBytes(c.resolve("requests.csv"))), "another seed draws other requests");
    }

    @ParameterizedTest
    @ValueSource(strings = {"buggy", "patched", "none-check"})
    void layerFidelityAgreesWithIterationFidelityOnEverythingButEventCount(String strategy) {
        Scenario s = scenario("reported-xpyd-busy.yaml", strategy, 20);
        RunResult it = run(s);
        RunResult layer = ServingSimulation.run(s, CHECKED.withFidelity(Fidelity.LAYER), RequestSink.NONE, null);
        assertEquals(it.outcome(), layer.outcome());
        assertEquals(it.finished(), layer.finished());
        assertEquals(it.aborted(), layer.aborted());
        assertEquals(it.inputTokensPerSPerNode(), layer.inputTokensPerSPerNode());
        assertEquals(it.outputTokensPerSPerNode(), layer.outputTokensPerSPerNode());
        assertEquals(it.latency(), layer.latency());
        assertEquals(it.endS(), layer.endS());
        if (it.failure() != null) {
            assertEquals(it.failure().timeS(), layer.failure().timeS());
            assertEquals(it.failure().layer(), layer.failure().layer());
        }
        assertTrue(layer.events() > it.events(), "layer fidelity adds per-operation events");
    }
}

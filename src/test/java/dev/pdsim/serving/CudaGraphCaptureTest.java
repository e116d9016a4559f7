package dev.pdsim.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.RooflineCostModel;
import dev.pdsim.metadata.BuggyInitStrategy;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Decode start-up with CUDA graphs: what is captured, the capture crash under TBO, and which
 * serving forwards replay a graph (srt/model_executor/cuda_graph_runner.py).
 */
class CudaGraphCaptureTest {
    private static final ReplayOptions CHECKED = ReplayOptions.DEFAULT.withCheck(true);

    /** One prefill of 2 x 8 GPUs without TBO, and one decode of 2 x 8 GPUs with DP attention and {@code decodeFields}. */
    private static Scenario scenario(String decodeFields) {
        return ScenarioLoader.parse("t.yaml", """
                model: deepseek-r1
                hardware: h100
                strategy: buggy
                duration_s: 20
                workload: {type: poisson, rate: 2, input_len: 500, output_len: 20}
                instances:
                  - role: prefill
                    nnodes: 2
                    tp_size: 16
                    dp_size: 16
                    enable_dp_attention: true
                  - role: decode
                    nnodes: 2
                    tp_size: 16
                    dp_size: 16
                    enable_dp_attention: true
                """ + decodeFields.indent(4));
    }

    private static InstanceTopology decodeOf(Scenario s) {
        return InstanceTopology.deriveAll(s).stream().filter(t -> t.role() == Role.DECODE).findFirst().orElseThrow();
    }

    @Test
    void aDecodeWithTboAndDpAttentionWithoutDeepEpDiesCapturingItsLargestGraph() {
        Scenario s = scenario("enable_two_batch_overlap: true");
        List<Integer> captured = decodeOf(s).captureBatchSizes();
        // cuda_graph_runner.py:170-171: under TBO every captured batch must split, so size 1 goes.
        assertFalse(captured.contains(1), captured.toString());
        assertEquals(160, captured.get(captured.size() - 1), "H100 default list up to 160 (:145)");

        RunResult r = ServingSimulation.run(s, CHECKED, RequestSink.NONE, null);
        FailureReport f = r.failure();
        assertNotNull(f);
        assertEquals(FailurePhase.CUDA_GRAPH_CAPTURE, f.phase());
        // Capture runs largest first (:408-413), so the first capture to fail is the largest.
        assertEquals(160, f.captureBatchSize());
        assertEquals("decode-0", f.instance());
        assertEquals(IntStream.range(0, 16).boxed().toList(), f.ranks());
        assertEquals(3, f.layer());
        assertEquals("comm_prepare_mlp", f.operation());
        assertTrue(f.error().startsWith("TypeError: cumsum()"), f.error());
        assertEquals("scheduler.run_scheduler_process", f.callPath().get(0));
        assertTrue(f.callPath().contains("cuda_graph_runner.capture_one_batch_size"), f.callPath().toString());
        assertFalse(f.callPath().contains("model_runner.forward_decode"), "capture calls the model directly");
        assertEquals("dp_attention.get_dp_local_info", f.callPath().get(f.callPath().size() - 1));
        // Both children of a 160-request capture hold 80 on every rank.
        assertTrue(Arrays.stream(f.childTokens()).allMatch(t -> t == 80), Arrays.toString(f.childTokens()));
        assertEquals(InstanceStatus.CRASHED, r.instanceStatus().get("decode-0"));
        assertEquals(InstanceStatus.READY, r.instanceStatus().get("prefill-0"), "the prefill warms up on its own");
        assertTrue(f.timeS() < 0.1, "it dies at start-up: " + f.timeS());
    }

    @Test
    void withoutCudaGraphsTheSameDecodeDiesAtItsFirstDecodeForward() {
        RunResult r = ServingSimulation.run(scenario("enable_two_batch_overlap: true\ndisable_cuda_graph: true"),
                CHECKED, RequestSink.NONE, null);
        FailureReport f = r.failure();
        assertNotNull(f);
        assertEquals(FailurePhase.WARMUP, f.phase(), "the warmup request is its first decode");
        assertEquals(0, f.captureBatchSize());
        assertEquals("decode-0", f.instance());
        assertEquals("comm_prepare_mlp", f.operation());
        assertEquals("tp_worker_overlap_thread.forward_thread_func", f.callPath().get(0));
        assertTrue(f.callPath().contains("model_runner.forward_decode"), f.callPath().toString());
    }

    @Test
    void withoutTboTheDecodeCapturesAndServes() {
        Scenario s = scenario("cuda_graph_bs: [1, 2, 4, 8, 64]");
        assertEquals(List.of(1, 2, 4, 8, 64), decodeOf(s).captureBatchSizes(), "--cuda-graph-bs replaces the list (:140)");
        RunResult r = ServingSimulation.run(s, CHECKED, RequestSink.NONE, null);
        assertNull(r.failure());
        assertTrue(r.finished() > 0);
    }

    private static RankBatch[] decodes(int ranks, int perRank) {
        RankBatch[] b = new RankBatch[ranks];
        Arrays.fill(b, RankBatch.decode(perRank, perRank * 1000L));
        return b;
    }

    @Test
    void underDpAttentionTheGraphIsLookedUpByTheSumOverRanks() {
        CudaGraphReplay replay = new CudaGraphReplay(decodeOf(scenario("")));
        // require_mlp_tp_gather (moe_dense_tp_size unset): the sum over 16 ranks (:343-348).
        assertTrue(replay.replays(decodes(16, 10), false), "160 in all");
        assertFalse(replay.replays(decodes(16, 11), false), "176 in all, over the largest graph");
        RankBatch[] mixed = decodes(16, 1);
        mixed[3] = new RankBatch(ForwardKind.EXTEND, new int[] {4}, new int[] {0}, 0, 0);
        assertFalse(replay.replays(mixed, false), "one extending rank: can_run_dp_cuda_graph is 0");
    }

    @Test
    void withDenseTp1DeepEpAndADpLmHeadEachRankLooksUpItsOwnBatch() {
        CudaGraphReplay replay = new CudaGraphReplay(decodeOf(scenario("""
                moe_dense_tp_size: 1
                enable_dp_lm_head: true
                enable_deepep_moe: true
                deepep_mode: low_latency""")));
        assertTrue(replay.replays(decodes(16, 160), false));
        assertFalse(replay.replays(decodes(16, 161), false));
    }

    @Test
    void withoutPaddingOnlyACapturedSizeReplays() {
        CudaGraphReplay replay = new CudaGraphReplay(decodeOf(scenario("disable_cuda_graph_padding: true")));
        // Without padding the list is 1..32 then 48..160 step 16 (:144-145).
        assertTrue(replay.replays(decodes(16, 2), false), "32 is captured");
        RankBatch[] sum33 = decodes(16, 2);
        sum33[0] = RankBatch.decode(3, 3000);
        assertFalse(replay.replays(sum33, false), "33 is not, though it is below the largest (160)");
    }

    @Test
    void aDecodeStepThatReplaysNoGraphPaysEveryKernelLaunch() {
        Scenario s = scenario("");
        InstanceTopology t = decodeOf(s);
        ForwardPass pass = new ForwardPass(t, new RooflineCostModel(s.model(), s.hardware()).forInstance(t),
                new BuggyInitStrategy());
        long at9 = pass.run(decodes(16, 9), false, 1.0).durationNs();
        long at10 = pass.run(decodes(16, 10), false, 1.0).durationNs();
        long at11 = pass.run(decodes(16, 11), false, 1.0).durationNs();
        assertTrue(at10 - at9 < 500_000, "one more request per rank inside a graph: " + (at10 - at9) + " ns");
        assertTrue(at11 - at10 > 1_000_000, "past the largest graph every kernel is launched: " + (at11 - at10) + " ns");
    }
}

package dev.pdsim.cost;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.model.BatchShape;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No operation takes longer than physics allows: at any batch, a kernel's GPU time is at most the
 * larger of its FLOPs at {@value #FLOOR_FRACTION} of the profile's dense BF16 peak and every byte
 * it touches at the profile's streaming HBM rate (peak x hbm_efficiency), plus its launch. An
 * operation runs its kernels one after the other (FlashMLA then the absorbed projections, a GEMM
 * then its activation casts), so its GPU time is at most the sum of its kernels' bounds, at most
 * its FLOPs' time plus its bytes' time at those rates; launches and per-call latencies come on
 * top. Checked on every shipped and calibration scenario, for decode batches of 1 to 512 requests
 * per DP rank at 1 to 8,192 cached tokens, and prefill chunks of 1 to 16,384 tokens per rank.
 */
class PhysicalBoundTest {
    /**
     * ASSUMPTION: a compute-bound Hopper kernel of this model's shapes sustains at least a quarter
     * of the dense BF16 peak (an eighth of FP8's): DeepGEMM's smallest published compute-bound rows
     * reach 500+ TFLOPS FP8, FlashAttention-3 330 TFLOPS BF16 on 1K-token causal prompts, FlashMLA
     * 660 TFLOPS. Below it a kernel is bound by its bytes or its launch, which the bound counts.
     */
    private static final double FLOOR_FRACTION = 0.25;
    private static final int[] DECODE_REQUESTS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    private static final int[] DECODE_CONTEXTS = {1, 512, 2048, 8192};
    private static final int[] PREFILL_TOKENS = {1, 16, 256, 2048, 16384};

    static Stream<Path> scenarios() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Path.of("scenarios"), Path.of("scenarios", "calibration"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void noOperationOutlastsItsFlopsAndBytes(Path file) {
        Scenario scenario = ScenarioLoader.load(file);
        HardwareProfile hw = scenario.hardware();
        double floorFlopsPerNs = FLOOR_FRACTION * hw.peak().bf16Tflops() * 1e3;
        double bytesPerNs = hw.peak().hbmTbps() * 1e3 * hw.achieved().hbmEfficiency();
        RooflineCostModel model = new RooflineCostModel(scenario.model(), hw);
        List<String> violations = new ArrayList<>();
        for (InstanceTopology t : InstanceTopology.deriveAll(scenario)) {
            if (!t.name().endsWith("-0")) {
                continue;
            }
            InstanceCostModel cost = model.forInstance(t);
            for (BatchShape s : shapes(t, cost)) {
                for (LayerStage stage : LayerStage.values()) {
                    for (boolean moe : new boolean[] {true, false}) {
                        StageCost c = cost.stageCost(stage, moe, s);
                        double bound = c.flops() / floorFlopsPerNs + c.hbmBytes() / bytesPerNs;
                        long gpu = c.computeNs() + c.memoryNs();
                        if (stage == LayerStage.EXPERTS && moe && c.hbmBytes() > reachableExpertBytes(scenario, t, s)) {
                            violations.add(String.format("%s %s experts at %d tokens per rank touch %.3g B, more than the "
                                    + "weights of the experts their copies can reach (%.3g B)", t.name(), s.kind(),
                                    s.maxRankTokens(), c.hbmBytes(), reachableExpertBytes(scenario, t, s)));
                        }
                        // Each roofline term is truncated to whole nanoseconds on its own.
                        if (gpu > bound + 4) {
                            violations.add(String.format("%s %s %s (moe %b) at %d tokens per rank: %.1f us of GPU time, "
                                    + "bound %.1f us (%.3g FLOP, %.3g B)", t.name(), s.kind(), stage, moe, s.maxRankTokens(),
                                    gpu / 1e3, bound / 1e3, c.flops(), c.hbmBytes()));
                        }
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), violations.size() + " violations, first: " + violations.stream().limit(3).toList());
    }

    /**
     * DeepSeek-V3 on one 8 x H200 node with --tp 8, one request: the fused MoE reads the 8 routed
     * experts' 1/8 slices (5.5 MB each), about 11 us per layer at 85% of 4.8 TB/s, not every expert.
     */
    @Test
    void tensorParallelMoeAtOneTokenReadsOnlyTheRoutedExperts() {
        Scenario s = ScenarioLoader.parse("tp8-h200.yaml", String.join("\n", "name: tp8-h200", "model: deepseek-v3",
                "hardware: h200", "duration_s: 10", "workload: {type: concurrency, concurrency: 1, input_len: 1000, output_len: 100}",
                "instances:", "  - {role: decode, nnodes: 1, tp_size: 8, disaggregation_transfer_backend: fake}", ""));
        InstanceTopology t = InstanceTopology.deriveAll(s).get(0);
        InstanceCostModel cost = new RooflineCostModel(s.model(), s.hardware()).forInstance(t);
        StageCost experts = cost.stageCost(LayerStage.EXPERTS, true, new BatchShape(ForwardKind.DECODE, 1, 1, 1, 1000, 1.0));
        double routedSlices = 8.0 * s.model().expertParams() / 8;
        double allSlices = 256.0 * s.model().expertParams() / 8;
        double bytesPerNs = s.hardware().peak().hbmTbps() * 1e3 * s.hardware().achieved().hbmEfficiency();
        assertTrue(experts.computeNs() + experts.memoryNs() < 1.1 * routedSlices / bytesPerNs,
                experts + " against " + routedSlices / bytesPerNs + " ns for the routed experts' slices");
        assertTrue(experts.totalNs() < 0.1 * allSlices / bytesPerNs, "far below reading every expert once");
    }

    /**
     * What the routed experts of one rank can touch, worked out from the layout alone: the weights
     * of at most as many of its resident experts as there are token copies (every token gathered to
     * the rank, times top-k, bounds the copies of any rank), plus a generous 64 KB of activations per
     * copy. Tensor-parallel MoE holds 1/tp of every expert; expert-parallel MoE whole experts.
     */
    private static double reachableExpertBytes(Scenario scenario, InstanceTopology t, BatchShape s) {
        var m = scenario.model();
        boolean expertParallel = t.args().enableDeepepMoe() || t.args().enableEpMoe();
        int ranks = t.args().tpSize();
        double resident = expertParallel ? (double) (m.routedExperts() + t.args().epNumRedundantExperts()) / ranks
                : m.routedExperts();
        double perExpert = expertParallel ? m.expertParams() : (double) m.expertParams() / ranks;
        double copies = (double) s.totalTokens() * m.topK();
        return Math.min(copies, resident) * perExpert + copies * 65_536;
    }

    private static List<BatchShape> shapes(InstanceTopology t, InstanceCostModel cost) {
        List<BatchShape> shapes = new ArrayList<>();
        int dp = t.dpSize();
        for (int n : DECODE_REQUESTS) {
            for (int context : DECODE_CONTEXTS) {
                shapes.add(new BatchShape(ForwardKind.DECODE, n, (long) n * dp, n, (long) n * context,
                        cost.expertImbalanceMean((long) n * dp)));
            }
        }
        for (int tokens : PREFILL_TOKENS) {
            int seq = Math.min(tokens, 2048);
            int prompts = tokens / seq;
            shapes.add(new BatchShape(ForwardKind.EXTEND, tokens, (long) tokens * dp, prompts,
                    (long) prompts * seq * ((seq + 1) / 2), cost.expertImbalanceMean((long) tokens * dp)));
        }
        return shapes;
    }
}

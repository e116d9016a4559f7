package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.Strategy;
import dev.pdsim.serving.Outcome;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What SGLang 0.4.8.post1 does with two-batch overlap on Qwen3-MoE. It runs TBO there
 * ({@code Qwen2MoeModel.forward} calls {@code model_forward_maybe_tbo}, srt/models/qwen2_moe.py:450-458,
 * with Qwen3's own operations, srt/operations_strategy.py:45-53, 137-207), so the reported DP-gather
 * crash happens on it too; but its MoE block sets {@code top_k} only with DeepEP
 * (srt/models/qwen3_moe.py:130-150), so even with the patch TBO without DeepEP raises in
 * {@code op_select_experts} on every rank. With DeepEP it serves.
 */
class Qwen3MoeTboVerdictTest {
    private static final Path FILE = Path.of("scenarios", "models", "qwen3-235b-a22b.yaml");
    private static final ReplayOptions CHECKED = ReplayOptions.DEFAULT.withCheck(true);

    /** The shipped scenario with the prefill's experts over EP MoE instead of DeepEP: TBO without DeepEP. */
    private static Scenario withoutDeepEp(String strategy) throws IOException {
        String yaml = Files.readString(FILE, StandardCharsets.UTF_8);
        String prefillDeepEp = "    enable_two_batch_overlap: true\n    enable_deepep_moe: true\n    deepep_mode: normal\n";
        assertTrue(yaml.contains(prefillDeepEp));
        String edited = yaml.replace(prefillDeepEp, "    enable_two_batch_overlap: true\n    enable_ep_moe: true\n");
        return ScenarioLoader.parse(FILE.toString(), edited).withStrategy(Strategy.byName(strategy, "test"))
                .withDuration(30);
    }

    private static RunResult run(Scenario s) {
        return ServingSimulation.run(s, CHECKED, RequestSink.NONE, null);
    }

    @Test
    void releasedMetadataCrashesInTheDpGatherOfLayer0ThroughQwen3sCode() throws IOException {
        RunResult r = run(withoutDeepEp("buggy"));
        assertEquals(Outcome.CRASHED, r.outcome());
        var f = r.failure();
        assertNotNull(f);
        assertFalse(f.hang());
        assertEquals("prefill-0", f.instance());
        // Every Qwen3-MoE layer is sparse, so the TBO region starts at layer 0.
        assertEquals(0, f.layer());
        assertEquals("comm_prepare_mlp", f.operation());
        assertEquals("TypeError: cumsum() received an invalid combination of arguments - got (NoneType, dim=int)", f.error());
        assertTrue(f.callPath().containsAll(java.util.List.of("qwen3_moe.Qwen3MoeForCausalLM.forward",
                "qwen2_moe.Qwen2MoeModel.forward", "two_batch_overlap.model_forward_maybe_tbo",
                "qwen3_moe.Qwen3MoeDecoderLayer.op_comm_prepare_mlp", "dp_attention.get_dp_local_info")), f.callPath().toString());
        assertTrue(f.callPath().stream().noneMatch(c -> c.startsWith("deepseek_v2.")), f.callPath().toString());
    }

    @Test
    void patchedMetadataStillRaisesOnTopKInSelectExpertsOnEveryRank() throws IOException {
        RunResult r = run(withoutDeepEp("patched"));
        assertEquals(Outcome.CRASHED, r.outcome());
        var f = r.failure();
        assertNotNull(f);
        assertEquals(0, f.layer());
        assertEquals("select_experts", f.operation());
        assertEquals("AttributeError: 'Qwen3MoeSparseMoeBlock' object has no attribute 'top_k'", f.error());
        assertEquals(IntStream.range(0, 16).boxed().toList(), f.ranks());
        assertEquals("qwen3_moe.Qwen3MoeSparseMoeBlock.op_select_experts", f.callPath().get(f.callPath().size() - 1));
    }

    @Test
    void withoutTboTheSameLaunchServes() throws IOException {
        RunResult r = run(withoutDeepEp("tbo-off"));
        assertEquals(Outcome.COMPLETED, r.outcome(), String.valueOf(r.failure()));
        assertEquals(r.requests().submitted(), r.requests().finished());
    }

    /**
     * Decode TBO with DeepEP low-latency runs Qwen3's decode order, whose last yield closes each
     * layer (srt/operations_strategy.py:183-207): it serves, at other step times than without TBO.
     */
    @Test
    void decodeTboWithDeepEpServesInQwen3sOrder() throws IOException {
        String yaml = Files.readString(FILE, StandardCharsets.UTF_8);
        String decodeDeepEp = "    deepep_mode: low_latency\n";
        assertTrue(yaml.contains(decodeDeepEp));
        Scenario tbo = ScenarioLoader.parse(FILE.toString(), yaml.replace(decodeDeepEp,
                decodeDeepEp + "    enable_two_batch_overlap: true\n")).withDuration(30);
        Scenario plain = ScenarioLoader.load(FILE).withDuration(30);
        RunResult withTbo = run(tbo);
        RunResult without = run(plain);
        assertEquals(Outcome.COMPLETED, withTbo.outcome(), String.valueOf(withTbo.failure()));
        assertEquals(withTbo.requests().submitted(), withTbo.requests().finished());
        assertTrue(!withTbo.latency().equals(without.latency()), "decode TBO changes the decode steps");
    }

    @Test
    void withDeepEpTheReleasedMetadataServesSinceNoTboChildGathers() {
        RunResult r = run(ScenarioLoader.load(FILE).withStrategy(Strategy.byName("buggy", "test")).withDuration(30));
        assertEquals(Outcome.COMPLETED, r.outcome(), String.valueOf(r.failure()));
        assertTrue(r.requests().finished() > 0);
        assertEquals(r.requests().submitted(), r.requests().finished());
        assertEquals(0, r.corruptedTokens());
    }
}

package dev.pdsim.scenario;

import dev.pdsim.model.MlaAttention;
import dev.pdsim.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The first shape assertion SGLang 0.4.8.post1 hits while it builds a MoE model sharded over a
 * server's ranks, or null when the model builds (DeepSeek's layers; Qwen3-MoE's sparse blocks pick
 * the same MoE classes, srt/models/qwen3_moe.py:105). SGLang accepts such arguments, then
 * dies in {@code ModelRunner.load_model} on every rank, before the server is up: a layout pdsim must
 * not simulate as if it served. The model is built layer by layer, attention before MLP, so the
 * checks run in that order and only the first failure is reported, as SGLang's traceback gives it.
 *
 * <p>Which MoE layer class a server builds (srt/layers/moe/ep_moe/layer.py, {@code get_moe_impl_class}):
 * {@code DeepEPMoE} with {@code --enable-deepep-moe}, else {@code EPMoE} with {@code --enable-ep-moe},
 * else {@code FusedMoE}, which splits every expert's intermediate size over the whole TP group.
 * ({@code --enable-flashinfer-moe} would pick FusedMoE first, but it needs ModelOpt FP4 weights,
 * refused earlier.)
 *
 * @param tp            {@code --tp-size}
 * @param attentionTp   attention TP size: tp / dp under DP attention, else tp
 * @param denseMlpTp    the dense MLP layers' TP size: 1 with {@code --moe-dense-tp-size 1}, else tp
 * @param moeClass      the MoE layer class the flags select
 * @param redundant     {@code --ep-num-redundant-experts}
 * @param fp8BlockN     the checkpoint's FP8 weight block size, or 0 when its weights are not block-quantized
 */
record ModelShardingCheck(int tp, int attentionTp, int denseMlpTp, MoeClass moeClass, int redundant, int fp8BlockN) {

    /** The MoE layer implementation SGLang builds. */
    enum MoeClass {
        FUSED_MOE, EP_MOE, DEEPEP_MOE
    }

    /** A start-up failure: the flag to blame and what SGLang raises, where, and what would build. */
    record Failure(String flag, String message) {
    }

    Failure firstFailure(ModelSpec m) {
        Failure f = attention(m);
        if (f == null && m.firstKDenseReplace() > 0) {
            f = denseMlp(m);
        }
        if (f == null && m.moeLayers() > 0) {
            f = moe(m);
        }
        return f;
    }

    /**
     * DeepseekV2AttentionMLA asserts that the heads split over attention TP (srt/models/deepseek_v2.py:658);
     * grouped-query attention has its own head rules, checked with the model's other GQA rules.
     */
    private Failure attention(ModelSpec m) {
        if (!(m.attention() instanceof MlaAttention) || m.numHeads() % attentionTp == 0) {
            return null;
        }
        return new Failure("tp-size", "attention TP size " + attentionTp + " does not split the " + m.numHeads()
                + " attention heads of " + m.name() + ": SGLang fails at start-up building layer 0's attention "
                + "(AssertionError, srt/models/deepseek_v2.py:658); attention TP sizes that build: "
                + divisors(m.numHeads()));
    }

    /**
     * Layers before {@code first_k_dense_replace} build a DeepseekV2MLP over the dense TP size
     * (srt/models/deepseek_v2.py:1648-1660): a merged gate/up column-parallel layer, whose split must
     * be whole (srt/layers/linear.py:374) and, for FP8 block weights, a multiple of the block
     * (srt/layers/quantization/fp8.py:249-258).
     */
    private Failure denseMlp(ModelSpec m) {
        String fix = "; --moe-dense-tp-size 1 keeps the dense layers whole";
        return split(m.denseIntermediate(), denseMlpTp, "tp-size", "layer 0's dense MLP (intermediate size "
                + m.denseIntermediate() + " split over TP " + denseMlpTp + ")", "srt/layers/linear.py:374",
                "srt/layers/quantization/fp8.py:249-258", fix);
    }

    /** The first MoE layer ({@code first_k_dense_replace}): its experts, then its unfused shared expert. */
    private Failure moe(ModelSpec m) {
        String layer = "layer " + m.firstKDenseReplace() + "'s ";
        if (moeClass == MoeClass.FUSED_MOE) {
            // FusedMoE asserts the split is whole (srt/layers/moe/fused_moe_triton/layer.py:423), then the FP8
            // MoE method wants it a multiple of the block (srt/layers/quantization/fp8.py:505-520).
            return split(m.moeIntermediate(), tp, "tp-size", layer + "routed experts (FusedMoE, expert "
                            + "intermediate size " + m.moeIntermediate() + " split over TP " + tp + ")",
                    "srt/layers/moe/fused_moe_triton/layer.py:423", "srt/layers/quantization/fp8.py:505-512",
                    "; or spread whole experts over the ranks with --enable-deepep-moe");
        }
        // EPMoE and DeepEPMoE give each rank a whole number of the physical experts
        // (srt/layers/moe/ep_moe/layer.py:184); shared-expert fusion is off in both modes
        // (srt/models/deepseek_v2.py:1937-1941), so the count is routed + redundant.
        int physical = m.routedExperts() + redundant;
        if (physical % tp != 0) {
            return new Failure(redundant > 0 ? "ep-num-redundant-experts" : "tp-size", physical
                    + " physical experts (" + m.routedExperts() + " routed + " + redundant + " redundant) do not "
                    + "split over EP size " + tp + ": SGLang fails at start-up building " + layer + "experts ("
                    + (moeClass == MoeClass.DEEPEP_MOE ? "DeepEPMoE" : "EPMoE") + ", AssertionError, "
                    + "srt/layers/moe/ep_moe/layer.py:184); --ep-num-redundant-experts values that build: "
                    + redundantThatSplit(m.routedExperts()));
        }
        if (moeClass == MoeClass.EP_MOE && m.sharedExperts() > 0) {
            // Without DeepEP the shared expert is a DeepseekV2MLP over the whole TP group (:303-318).
            int shared = m.moeIntermediate() * m.sharedExperts();
            return split(shared, tp, "tp-size", layer + "shared expert (EP MoE keeps it split over TP " + tp
                    + ", intermediate size " + shared + ")", "srt/layers/linear.py:374",
                    "srt/layers/quantization/fp8.py:249-258", "; --enable-deepep-moe keeps it whole on each rank");
        }
        return null;
    }

    /** A size split over {@code parts} ranks: whole, then a multiple of the FP8 block. */
    private Failure split(int size, int parts, String flag, String what, String wholeRule, String blockRule,
                          String fix) {
        if (size % parts != 0) {
            return new Failure(flag, what + " is not divisible: SGLang fails at start-up (AssertionError, " + wholeRule
                    + "); TP sizes that build it: " + splits(size) + fix);
        }
        if (fp8BlockN > 0 && (size / parts) % fp8BlockN != 0) {
            return new Failure(flag, what + " leaves " + size / parts + " per rank, not a multiple of the FP8 weight "
                    + "block " + fp8BlockN + ": SGLang fails at start-up (ValueError, " + blockRule + "); TP sizes "
                    + "that build it: " + splits(size) + fix);
        }
        return null;
    }

    /** The TP sizes that split {@code size} whole and into whole FP8 blocks. */
    private String splits(int size) {
        List<String> ok = new ArrayList<>();
        for (int parts = 1; parts <= size; parts++) {
            if (size % parts == 0 && (fp8BlockN == 0 || (size / parts) % fp8BlockN == 0)) {
                ok.add(Integer.toString(parts));
            }
        }
        return String.join(", ", ok);
    }

    /** The first few redundant-expert counts that make routed + redundant a multiple of tp. */
    private String redundantThatSplit(int routed) {
        int first = (tp - routed % tp) % tp;
        return first + ", " + (first + tp) + ", " + (first + 2 * tp) + ", ...";
    }

    private static String divisors(int n) {
        List<String> d = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (n % i == 0) {
                d.add(Integer.toString(i));
            }
        }
        return String.join(", ", d);
    }
}

package dev.pdsim.cluster;

import static dev.pdsim.cluster.LayerStage.*;

import dev.pdsim.model.ModelSpec;
import java.util.List;

/**
 * The operation order of a MoE layer under two-batch overlap, from SGLang 0.4.8.post1's
 * {@code _compute_moe_deepseek_blog_prefill} and {@code _compute_moe_deepseek_blog_decode}, and
 * the Qwen3-MoE variants (srt/operations_strategy.py:80-207), which have no shared expert and in
 * decode yield after the layer's last operation rather than before {@code op_output}.
 * Child B starts {@code childBDelay} yield points after child A (0 for prefill, 2 for decode).
 */
public record TboStagePlan(String forwardMode, List<LayerStage> stages, int childBDelay) {

    public static final TboStagePlan PREFILL = new TboStagePlan("EXTEND", List.of(
            COMM_PREPARE_ATTN, ATTN_PREPARE, ATTN_CORE, COMM_PREPARE_MLP, GATE, SELECT_EXPERTS, DISPATCH_A,
            YIELD, DISPATCH_B, EXPERTS, COMBINE_A,
            YIELD, SHARED_EXPERTS, COMBINE_B, OUTPUT, COMM_POSTPROCESS_LAYER), 0);

    public static final TboStagePlan DECODE = new TboStagePlan("DECODE", List.of(
            COMM_PREPARE_ATTN, ATTN_PREPARE,
            YIELD, ATTN_CORE, COMM_PREPARE_MLP, GATE, SELECT_EXPERTS,
            YIELD, DISPATCH_A, SHARED_EXPERTS,
            YIELD, DISPATCH_B, EXPERTS, COMBINE_A,
            YIELD, COMBINE_B,
            YIELD, OUTPUT, COMM_POSTPROCESS_LAYER), 2);

    public static final TboStagePlan QWEN3_MOE_PREFILL = new TboStagePlan("EXTEND", List.of(
            COMM_PREPARE_ATTN, ATTN_PREPARE, ATTN_CORE, COMM_PREPARE_MLP, GATE, SELECT_EXPERTS, DISPATCH_A,
            YIELD, DISPATCH_B, EXPERTS, COMBINE_A,
            YIELD, COMBINE_B, OUTPUT, COMM_POSTPROCESS_LAYER), 0);

    public static final TboStagePlan QWEN3_MOE_DECODE = new TboStagePlan("DECODE", List.of(
            COMM_PREPARE_ATTN, ATTN_PREPARE,
            YIELD, ATTN_CORE, COMM_PREPARE_MLP, GATE, SELECT_EXPERTS,
            YIELD, DISPATCH_A,
            YIELD, DISPATCH_B, EXPERTS, COMBINE_A,
            YIELD, COMBINE_B, OUTPUT, COMM_POSTPROCESS_LAYER,
            YIELD), 2);

    /**
     * The plan SGLang picks by the class of the model's decoder layers ({@code init_new_tbo},
     * srt/operations_strategy.py:30-55): Qwen3-MoE's, else DeepSeek-V2/V3's.
     */
    public static TboStagePlan of(String architecture, boolean prefill) {
        if (architecture.equals(ModelSpec.QWEN3_MOE_ARCHITECTURE)) {
            return prefill ? QWEN3_MOE_PREFILL : QWEN3_MOE_DECODE;
        }
        return prefill ? PREFILL : DECODE;
    }

    public long yieldPoints() {
        return stages.stream().filter(s -> s == YIELD).count();
    }

    /** The communication a stage performs in a given layer, or NONE. */
    public static Transition communicationOf(LayerStage stage, LayerScatterModes layer) {
        return switch (stage) {
            case COMM_PREPARE_ATTN -> layer.prepareAttn();
            case COMM_PREPARE_MLP -> layer.prepareMlp();
            case COMM_POSTPROCESS_LAYER -> layer.postprocessLayer();
            default -> Transition.NONE;
        };
    }
}

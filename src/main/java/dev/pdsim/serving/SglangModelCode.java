package dev.pdsim.serving;

import dev.pdsim.model.ModelSpec;

/**
 * The SGLang 0.4.8.post1 classes a model's TBO forward runs through, as a traceback names them
 * ({@code module.Class}), and what their MoE block lacks without {@code --enable-deepep-moe}.
 *
 * @param selectExpertsAttribute the DeepEP-only attribute {@code op_select_experts} reads first
 * @param emptyChildReadsIt      whether a rank whose child has no tokens reads it too; otherwise
 *                               that rank first fails on {@code ep_size} in {@code op_dispatch_a}
 */
record SglangModelCode(String causalLm, String model, String decoderLayer, String moe, String selectExpertsAttribute,
                       boolean emptyChildReadsIt) {

    /**
     * DeepSeek-V2/V3: {@code DeepseekV2MoE} sets {@code top_k} always but {@code renormalize},
     * {@code ep_size} and the group fields only with DeepEP (srt/models/deepseek_v2.py:320-336); an
     * empty child skips {@code select_experts} (:522-546).
     */
    static final SglangModelCode DEEPSEEK_V2 = new SglangModelCode("deepseek_v2.DeepseekV2ForCausalLM",
            "deepseek_v2.DeepseekV2Model", "deepseek_v2.DeepseekV2DecoderLayer", "deepseek_v2.DeepseekV2MoE",
            "renormalize", false);

    /**
     * Qwen3-MoE: {@code Qwen3MoeSparseMoeBlock} sets {@code top_k}, {@code renormalize} and
     * {@code ep_size} only with DeepEP (srt/models/qwen3_moe.py:130-150), and {@code op_select_experts}
     * reads {@code self.top_k} whether the child has tokens or not (:254-278). The model's forward
     * is {@code Qwen2MoeModel}'s (srt/models/qwen2_moe.py:431-460, inherited at qwen3_moe.py:655-667).
     */
    static final SglangModelCode QWEN3_MOE = new SglangModelCode("qwen3_moe.Qwen3MoeForCausalLM",
            "qwen2_moe.Qwen2MoeModel", "qwen3_moe.Qwen3MoeDecoderLayer", "qwen3_moe.Qwen3MoeSparseMoeBlock",
            "top_k", true);

    static SglangModelCode of(String architecture) {
        return architecture.equals(ModelSpec.QWEN3_MOE_ARCHITECTURE) ? QWEN3_MOE : DEEPSEEK_V2;
    }

    /** What Python raises when the MoE block's {@code attribute} was never set. */
    String attributeError(String attribute) {
        return "AttributeError: '" + moe.substring(moe.indexOf('.') + 1) + "' object has no attribute '" + attribute + "'";
    }
}

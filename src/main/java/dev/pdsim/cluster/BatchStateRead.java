package dev.pdsim.cluster;

/**
 * The forward-batch state a communicator step or MoE operation reads besides the hidden states
 * (SGLang 0.4.8.post1). On a TBO child batch some of it is missing ({@code filter_batch},
 * srt/two_batch_overlap.py:349-380), so these reads are where a child fails.
 */
public enum BatchStateRead {
    /** Nothing beyond the hidden states. */
    NONE,
    /**
     * An attention-TP all-gather into {@code gathered_buffer[:num_tokens]}: {@code _scattered_to_tp_attn_full}
     * (srt/layers/communicator.py:284-298) or {@code _gather} (:506-523).
     */
    GATHERED_BUFFER_SLICE,
    /**
     * {@code _gather_hidden_states_and_residual} with DP attention (srt/layers/communicator.py:368-398):
     * {@code dp_gather_partial} into the whole {@code gathered_buffer}, through {@code get_dp_local_info}
     * (the counts, srt/layers/dp_attention.py:171-177) and {@code global_tokens.fill_(0)} (:234).
     */
    DP_GATHER,
    /**
     * The residual all-gather into {@code gathered_buffer[:num_tokens]} (srt/layers/communicator.py:378-387),
     * then the DP gather: a SCATTERED residual with attention-TP > 1 entering a FULL MLP.
     */
    RESIDUAL_GATHER_AND_DP_GATHER,
    /** {@code _scatter_hidden_states} (srt/layers/communicator.py:489-504): buffer slice, then {@code dp_scatter}. */
    DP_SCATTER,
    /**
     * {@code op_select_experts} / {@code op_dispatch_a} read {@code renormalize}, {@code topk_group}, ...,
     * {@code ep_size}, attributes {@code DeepseekV2MoE} sets only with {@code --enable-deepep-moe}
     * (srt/models/deepseek_v2.py:322-336 against :526-546); {@code Qwen3MoeSparseMoeBlock} sets
     * {@code top_k} only then too (srt/models/qwen3_moe.py:130-150 against :254-278).
     */
    DEEPEP_MOE_ATTRIBUTES
}

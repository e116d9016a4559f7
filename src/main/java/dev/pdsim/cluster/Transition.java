package dev.pdsim.cluster;

/**
 * The communication that moves hidden states from one {@link ScatterMode} to another. The DP gather
 * and scatter read {@code forward_batch.global_num_tokens_gpu} through {@code get_dp_local_info}:
 * they are where a batch without global counts fails.
 */
public enum Transition {
    NONE("-", false),
    ATTN_TP_ALL_REDUCE("all-reduce in attention-TP group", false),
    ATTN_TP_ALL_GATHER("all-gather in attention-TP group", false),
    ATTN_TP_REDUCE_SCATTER("reduce-scatter in attention-TP group", false),
    DP_GATHER("DP gather (dp_gather_partial: all-reduce over the TP group)", true),
    DP_SCATTER("DP scatter (dp_scatter: copy own slice back)", true);

    private final String description;
    private final boolean readsGlobalTokenCounts;

    Transition(String description, boolean readsGlobalTokenCounts) {
        this.description = description;
        this.readsGlobalTokenCounts = readsGlobalTokenCounts;
    }

    public String description() {
        return description;
    }

    /** True for the collectives that call {@code get_dp_local_info(forward_batch)}. */
    public boolean readsGlobalTokenCounts() {
        return readsGlobalTokenCounts;
    }

    /**
     * The communication that moves complete hidden states between two modes: none between modes of
     * the same group size (srt/layers/communicator.py:235-236, 262-263, 449-452). {@code attnTpSize == 1}
     * makes SCATTERED and TP_ATTN_FULL the same placement, so moving between them costs nothing.
     * The all-reduce of attention's partial sums is {@code prepare_mlp}'s alone
     * ({@link LayerScatterModes#prepareMlp}).
     */
    public static Transition between(ScatterMode from, ScatterMode to, int attnTpSize) {
        if (from == to) {
            return NONE;
        }
        if (to == ScatterMode.FULL) {
            return DP_GATHER;
        }
        if (from == ScatterMode.FULL) {
            return DP_SCATTER;
        }
        if (attnTpSize == 1) {
            return NONE;
        }
        return to == ScatterMode.TP_ATTN_FULL ? ATTN_TP_ALL_GATHER : ATTN_TP_REDUCE_SCATTER;
    }
}

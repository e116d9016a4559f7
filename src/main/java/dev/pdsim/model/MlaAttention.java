package dev.pdsim.model;

/**
 * DeepSeek-V2/V3's multi-head latent attention: the query through a rank-{@code qLoraRank} down
 * projection, keys and values through one rank-{@code kvLoraRank} latent that is all the KV cache
 * keeps, with a shared rope key.
 */
public record MlaAttention(int qLoraRank, int kvLoraRank, int qkRopeHeadDim, int qkNopeHeadDim, int vHeadDim)
        implements Attention {

    @Override
    public long paramsPerLayer(int hiddenSize, int heads) {
        return replicatedParamsPerLayer(hiddenSize) + shardedParamsPerLayer(hiddenSize, heads);
    }

    /**
     * The down projections q_a and kv_a (with the rope key), which SGLang fuses into one
     * {@code ReplicatedLinear}: every attention-TP rank holds them whole (srt/models/deepseek_v2.py:666-672).
     */
    public long replicatedParamsPerLayer(int hiddenSize) {
        return (long) hiddenSize * (qLoraRank + kvLoraRank + qkRopeHeadDim);
    }

    /** q_b, kv_b (column-parallel) and o (row-parallel): split over the attention-TP group (srt/models/deepseek_v2.py:674-719). */
    public long shardedParamsPerLayer(int hiddenSize, int heads) {
        long qkHead = qkNopeHeadDim + qkRopeHeadDim;
        return (long) qLoraRank * heads * qkHead
                + (long) kvLoraRank * heads * (qkNopeHeadDim + vHeadDim)
                + (long) heads * vHeadDim * hiddenSize;
    }

    /** The latent and the rope key, whole on every rank: {@code kv_lora_rank + qk_rope_head_dim} (model_runner.py:835-841). */
    @Override
    public long kvValuesPerTokenLayer(int attnTpSize) {
        return kvLoraRank + qkRopeHeadDim;
    }
}

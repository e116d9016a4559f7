package dev.pdsim.model;

/**
 * Grouped-query attention (Qwen3-MoE): {@code numKvHeads} key and value heads of {@code headDim},
 * each shared by a group of query heads, cached per head.
 */
public record GqaAttention(int numKvHeads, int headDim) implements Attention {

    /** q, k and v ({@code QKVParallelLinear}) and o, each head {@code headDim} wide (srt/models/qwen3_moe.py:385-406). */
    @Override
    public long paramsPerLayer(int hiddenSize, int heads) {
        return (long) hiddenSize * headDim * (2L * heads + 2L * numKvHeads);
    }

    /**
     * KV heads one attention-TP rank holds: split when there are at least as many as ranks, else
     * one, replicated ({@code max(1, kv_heads // tp)}: srt/models/qwen3_moe.py:367-376,
     * srt/configs/model_config.py:320-327).
     */
    public int kvHeadsPerRank(int attnTpSize) {
        return Math.max(1, numKvHeads / attnTpSize);
    }

    /**
     * One rank's projection parameters: its query heads' share of q and o, its KV heads of k and v
     * (replicated heads are held whole on each rank that shares them).
     */
    public double paramsPerRank(int hiddenSize, int heads, int attnTpSize) {
        return (double) hiddenSize * headDim * (2.0 * heads / attnTpSize + 2.0 * kvHeadsPerRank(attnTpSize));
    }

    /** A key and a value per KV head the rank holds (srt/model_executor/model_runner.py:842-849). */
    @Override
    public long kvValuesPerTokenLayer(int attnTpSize) {
        return 2L * kvHeadsPerRank(attnTpSize) * headDim;
    }
}

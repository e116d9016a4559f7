package dev.pdsim.model;

/**
 * How much KV cache a rank holds: {@code mem_fraction_static} of the GPU, less the weights that
 * rank keeps, divided by the KV bytes of one token, capped by {@code --max-total-tokens}.
 *
 * <p>Weights per GPU: attention (attention-TP sharded), dense MLPs (replicated when
 * {@code moe_dense_tp_size} is 1, else TP sharded), embedding and LM head (sharded over the
 * attention-TP group with {@code --enable-dp-lm-head}, else over TP), and the routed plus shared
 * experts sharded over the MoE group (EP with DeepEP/EP-MoE, else TP). Attention and dense weights
 * are FP8 (1 byte), embeddings BF16.
 */
public final class MemoryModel {
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double BF16_BYTES = 2.0;

    private MemoryModel() {
    }

    /** Bytes of weights on one GPU of an instance with this layout. */
    public static double weightBytesPerGpu(ModelSpec m, int tpSize, int attnTpSize, int moeShards,
                                           boolean denseReplicated, boolean dpLmHead, int redundantExperts) {
        double attention = (double) m.attentionParamsPerLayer() * m.numLayers() / attnTpSize;
        double dense = (double) m.denseMlpParams() * m.firstKDenseReplace() / (denseReplicated ? 1 : tpSize);
        double vocab = BF16_BYTES * m.vocabParams() / (dpLmHead ? attnTpSize : tpSize);
        double experts = (double) m.expertParams() * m.moeLayers() * (m.routedExperts() + redundantExperts
                + m.sharedExperts()) / moeShards;
        return attention + dense + vocab + experts;
    }

    /**
     * KV-cache tokens one rank can hold, or a negative number when the weights alone do not fit in
     * the static memory fraction.
     */
    public static long kvCapacityTokens(ModelSpec m, HardwareProfile hw, double memFractionStatic,
                                        double weightBytesPerGpu, Integer maxTotalTokens) {
        double free = memFractionStatic * hw.gpuMemoryGiB() * GIB - weightBytesPerGpu;
        long tokens = (long) Math.floor(free / m.kvBytesPerToken());
        if (tokens <= 0 || maxTotalTokens == null) {
            return tokens;
        }
        return Math.min(tokens, maxTotalTokens);
    }

    public static double toGiB(double bytes) {
        return bytes / GIB;
    }
}

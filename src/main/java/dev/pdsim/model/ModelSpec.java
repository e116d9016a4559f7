package dev.pdsim.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Architecture of a mixture-of-experts model (values from its config.json): DeepSeek-V3's shape with
 * MLA attention, or Qwen3-MoE's with grouped-query attention, every layer sparse and no shared expert.
 *
 * @param numHeads       {@code num_attention_heads}, the query heads
 * @param attention      the attention's own shape (MLA ranks, or GQA KV heads)
 * @param firstKDenseReplace layers before this index use a dense MLP; the rest are MoE. SGLang's
 *                           TBO region also starts here.
 * @param expertGroups   {@code n_group}: routed experts form this many contiguous groups
 * @param topKGroups     {@code topk_group}: a token's experts come from at most this many groups
 *                       (group-limited routing, which with groups laid out by node limits the nodes
 *                       a token is sent to)
 * @param maxPositionEmbeddings the model's context length when {@code --context-length} is not
 *                       given (SGLang's {@code ModelConfig.context_len})
 * @param routing        how the served tokens spread over the experts (a scenario's {@code routing})
 * @param weights        how the checkpoint stores its linear layers; the embedding, the LM head and
 *                       the norms stay BF16 in every format pdsim knows
 * @param weightBytes    the checkpoint's size in bytes, for reference (each GPU's share is built from
 *                       the parameter counts, {@code MemoryModel.weightsPerGpu})
 * @param architecture   the config.json's {@code architectures[0]}, which SGLang checks before fusing
 *                       the shared expert into the routed ones
 * @param mtpLayers      the config.json's {@code num_nextn_predict_layers}: the multi-token-prediction
 *                       layers the checkpoint ships, which MTP speculative decoding drafts with
 */
public record ModelSpec(String name, int numLayers, int firstKDenseReplace, int hiddenSize, int numHeads,
                        Attention attention, int routedExperts, int sharedExperts, int topK, int moeIntermediate,
                        int denseIntermediate, int vocabSize, double weightBytes,
                        int expertGroups, int topKGroups, int maxPositionEmbeddings, ExpertRouting routing,
                        WeightFormat weights, String architecture, int mtpLayers) {

    /** DeepSeek-V3's and R1's {@code architectures[0]}; R1 and Kimi-K2 share it. */
    public static final String DEEPSEEK_V3_ARCHITECTURE = "DeepseekV3ForCausalLM";

    /** Qwen3-MoE's {@code architectures[0]}, which SGLang builds with srt/models/qwen3_moe.py. */
    public static final String QWEN3_MOE_ARCHITECTURE = "Qwen3MoeForCausalLM";

    /** Bytes of a BF16 value: activations, the KV cache at {@code --kv-cache-dtype auto}. */
    public static final int ACTIVATION_BYTES = 2;

    /**
     * DeepSeek's FP8 release (deepseek-ai/DeepSeek-V3): 671B parameters, FP8 with block scales, plus
     * BF16 embedding, LM head and norms: ~ 690 GB.
     */
    public static final ModelSpec DEEPSEEK_V3 = new ModelSpec("deepseek-v3", 61, 3, 7168, 128,
            new MlaAttention(1536, 512, 64, 128, 128), 256, 1, 8, 2048, 18432, 129280, 690e9, 8, 4, 163_840,
            ExpertRouting.SKEWED, WeightFormat.FP8_BLOCK_128, DEEPSEEK_V3_ARCHITECTURE, 1);

    /** R1 is V3's architecture with other weights in the same FP8 format; the simulator sees no difference but the name. */
    public static final ModelSpec DEEPSEEK_R1 = DEEPSEEK_V3.withName("deepseek-r1");

    private static final Map<String, ModelSpec> BY_NAME = Map.of("deepseek-v3", DEEPSEEK_V3,
            "deepseek-r1", DEEPSEEK_R1);

    public ModelSpec withName(String newName) {
        return new ModelSpec(newName, numLayers, firstKDenseReplace, hiddenSize, numHeads, attention, routedExperts,
                sharedExperts, topK, moeIntermediate, denseIntermediate, vocabSize, weightBytes, expertGroups, topKGroups,
                maxPositionEmbeddings, routing, weights, architecture, mtpLayers);
    }

    public ModelSpec withRouting(ExpertRouting newRouting) {
        return new ModelSpec(name, numLayers, firstKDenseReplace, hiddenSize, numHeads, attention, routedExperts,
                sharedExperts, topK, moeIntermediate, denseIntermediate, vocabSize, weightBytes, expertGroups, topKGroups,
                maxPositionEmbeddings, newRouting, weights, architecture, mtpLayers);
    }

    /**
     * Whether SGLang may fuse the shared expert into the routed experts' kernel: only for
     * DeepSeek-V3's own shape, 256 routed experts and one shared, on that architecture
     * (srt/models/deepseek_v2.py:1918-1949); the MoE backend may still turn it off.
     */
    public boolean sharedExpertFusable() {
        return architecture.equals(DEEPSEEK_V3_ARCHITECTURE) && routedExperts == 256 && sharedExperts == 1;
    }

    /** Attention projection parameters of one layer (MLA: q_a, q_b, kv_a, kv_b and o; GQA: q, k, v and o). */
    public long attentionParamsPerLayer() {
        return attention.paramsPerLayer(hiddenSize, numHeads);
    }

    /** Gate, up and down projections of one routed (or shared) expert. */
    public long expertParams() {
        return 3L * hiddenSize * moeIntermediate;
    }

    public long denseMlpParams() {
        return 3L * hiddenSize * denseIntermediate;
    }

    public int moeLayers() {
        return numLayers - firstKDenseReplace;
    }

    /** Embedding plus LM head. */
    public long vocabParams() {
        return 2L * vocabTableParams();
    }

    /** One vocabulary table: the embedding or the LM head. */
    public long vocabTableParams() {
        return (long) vocabSize * hiddenSize;
    }

    /**
     * The KV cache of one token over all layers with {@code elementBytes} per value on one rank of an
     * attention-TP group of {@code attnTpSize}: the KV pool's cell, and what that rank sends a decode
     * instance. At attention-TP 1 every KV head, once.
     */
    public long kvBytesPerRankToken(int elementBytes, int attnTpSize) {
        return attention.kvValuesPerTokenLayer(attnTpSize) * numLayers * elementBytes;
    }

    public boolean isMoeLayer(int layer) {
        return layer >= firstKDenseReplace;
    }

    public static Optional<ModelSpec> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static List<String> names() {
        return List.of("deepseek-v3", "deepseek-r1");
    }
}

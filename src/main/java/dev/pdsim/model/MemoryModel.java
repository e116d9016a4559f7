package dev.pdsim.model;

import java.util.ArrayList;
import java.util.List;

/**
 * GPU memory of one rank as SGLang 0.4.8.post1 lays it out: the weights this rank holds, part by
 * part, and the KV pool that {@code mem_fraction_static} leaves after them.
 *
 * <p>Projections, experts and dense MLPs take the checkpoint's bytes per weight ({@link WeightFormat},
 * block scales included), the embedding and LM head two bytes (BF16). ASSUMPTION: norms, the router
 * gate and the BF16 copies of kv_b that MLA makes after loading (a few hundred MB) are left out.
 * Comparing with {@code torch.cuda.memory_allocated()} after {@code load_model} would settle it.
 */
public final class MemoryModel {
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final int BF16_BYTES = 2;

    private MemoryModel() {
    }

    /** How a launch spreads the MoE layers over the TP group. */
    public enum MoeBackend {
        /** FusedMoE: every expert split over TP, the shared expert fused in as one more expert. */
        TENSOR_PARALLEL,
        /** {@code --enable-ep-moe}: whole experts per rank, shared expert fusion off. */
        EXPERT_PARALLEL,
        /** {@code --enable-deepep-moe}: whole experts per rank, shared expert replicated. */
        DEEPEP
    }

    /**
     * What decides which weights a rank holds.
     *
     * @param denseReplicated  {@code --moe-dense-tp-size 1}: dense MLPs whole on every rank
     * @param redundantExperts {@code --ep-num-redundant-experts}, physical experts beyond the routed ones
     */
    public record WeightLayout(int tpSize, int attnTpSize, boolean dpAttention, boolean dpLmHead,
                               boolean denseReplicated, MoeBackend moe, int redundantExperts) {
    }

    /** One part of the model on one GPU: its bytes and how it is placed ("replicated", "1/16 (TP 16)"). */
    public record WeightPart(String part, double bytes, String placement) {
    }

    /**
     * The weights on one GPU by part, in a fixed order: routed experts, shared experts, attention
     * (replicated and sharded projections), dense MLP, embedding, LM head.
     */
    public static List<WeightPart> weightsPerGpu(ModelSpec m, WeightLayout l) {
        long perExpert = m.expertParams() * m.moeLayers();
        double q = m.weights().bytesPerParam();
        // Shared expert fusion is on for DeepSeek-V3/R1 unless DeepEP or EP MoE turns it off
        // (srt/models/deepseek_v2.py:1918-1949): the shared expert is then one more FusedMoE expert.
        // Unfused under FusedMoE it is a TP-split MLP of its own: the same bytes either way.
        boolean fused = l.moe() == MoeBackend.TENSOR_PARALLEL && m.sharedExpertFusable();
        // Physical experts: routed + fused shared + redundant (srt/models/deepseek_v2.py:270-274);
        // FusedMoE splits each over TP, EP MoE and DeepEP give each rank num_experts / ep_size whole
        // experts, with ep_size = tp_size (srt/server_args.py:245-249, 401-412): the same bytes.
        int routed = m.routedExperts() + l.redundantExperts();
        WeightPart experts = new WeightPart("routed experts (" + routed + " incl. " + l.redundantExperts() + " redundant)",
                q * perExpert * routed / l.tpSize(), sharded(l.moe() == MoeBackend.TENSOR_PARALLEL
                ? "each expert split over TP" : "whole experts over EP", l.tpSize()));
        WeightPart shared = switch (l.moe()) {
            case TENSOR_PARALLEL -> new WeightPart(fused ? "shared expert (fused into the MoE)" : "shared expert",
                    q * perExpert * m.sharedExperts() / l.tpSize(), sharded("split over TP", l.tpSize()));
            // DeepEP builds the shared expert with tp_size 1 (srt/models/deepseek_v2.py:303-316).
            case DEEPEP -> new WeightPart("shared expert", q * perExpert * m.sharedExperts(),
                    "replicated (DeepEP)");
            case EXPERT_PARALLEL -> new WeightPart("shared expert", q * perExpert * m.sharedExperts()
                    / l.tpSize(), sharded("split over TP", l.tpSize()));
        };
        // Dense layers use the whole TP group unless moe_dense_tp_size is 1 (srt/models/deepseek_v2.py:1647-1660).
        WeightPart dense = new WeightPart("dense MLP (layers 0-" + (m.firstKDenseReplace() - 1) + ")",
                q * m.denseMlpParams() * m.firstKDenseReplace() / (l.denseReplicated() ? 1 : l.tpSize()),
                l.denseReplicated() ? "replicated (moe_dense_tp_size 1)" : sharded("split over TP", l.tpSize()));
        // The embedding is split over TP only without DP attention (srt/models/deepseek_v2.py:1802-1806).
        WeightPart embedding = new WeightPart("embedding",
                (double) BF16_BYTES * m.vocabTableParams() / (l.dpAttention() ? 1 : l.tpSize()),
                l.dpAttention() ? "replicated (DP attention)" : sharded("split over TP", l.tpSize()));
        // The LM head is split over the attention-TP group with --enable-dp-lm-head, else over TP
        // (srt/models/deepseek_v2.py:1897-1903).
        int headShards = l.dpLmHead() ? l.attnTpSize() : l.tpSize();
        WeightPart lmHead = new WeightPart("LM head", (double) BF16_BYTES * m.vocabTableParams() / headShards,
                sharded(l.dpLmHead() ? "split over attention-TP" : "split over TP", headShards));
        List<WeightPart> parts = new ArrayList<>(List.of(experts, shared));
        parts.addAll(attention(m, l.attnTpSize()));
        parts.addAll(List.of(dense, embedding, lmHead));
        // A model without a shared expert or dense layers (Qwen3-MoE) has no such part.
        parts.removeIf(p -> p == shared && m.sharedExperts() == 0 || p == dense && m.firstKDenseReplace() == 0);
        return List.copyOf(parts);
    }

    /** The attention projections of every layer on one rank of an attention-TP group of {@code attnTp}. */
    private static List<WeightPart> attention(ModelSpec m, int attnTp) {
        double q = m.weights().bytesPerParam();
        String split = sharded("split over attention-TP", attnTp);
        if (m.attention() instanceof GqaAttention gqa) {
            return List.of(new WeightPart("attention q/k/v/o projections",
                    q * gqa.paramsPerRank(m.hiddenSize(), m.numHeads(), attnTp) * m.numLayers(),
                    gqa.kvHeadsPerRank(attnTp) * attnTp > gqa.numKvHeads()
                            ? split + ", each KV head on " + attnTp / gqa.numKvHeads() + " ranks" : split));
        }
        MlaAttention mla = (MlaAttention) m.attention();
        return List.of(
                new WeightPart("attention q_a/kv_a projections",
                        q * mla.replicatedParamsPerLayer(m.hiddenSize()) * m.numLayers(), "replicated"),
                new WeightPart("attention q_b/kv_b/o projections",
                        q * mla.shardedParamsPerLayer(m.hiddenSize(), m.numHeads()) * m.numLayers() / attnTp, split));
    }

    private static String sharded(String how, int ways) {
        return ways == 1 ? "whole (" + how.substring(how.lastIndexOf(' ') + 1) + " 1)" : how + " " + ways;
    }

    public static double totalBytes(List<WeightPart> parts) {
        return parts.stream().mapToDouble(WeightPart::bytes).sum();
    }

    /**
     * The KV pool of one rank.
     *
     * @param profiledTokens what memory leaves, before {@code --max-total-tokens} and page rounding
     *                       (SGLang derives the default request slots from it)
     * @param tokens         the pool as SGLang allocates it; SGLang refuses to start when it is 0 or less
     */
    public record KvPool(long profiledTokens, long tokens) {
    }

    /**
     * {@code profile_max_num_token} and the caps of {@code init_memory_pool}
     * (srt/model_executor/model_runner.py:818-853, 917-935): the memory left under the static fraction
     * after the weights, over the cell of one token on one rank of an attention-TP group of
     * {@code attnTpSize} (MLA: {@code (kv_lora_rank + qk_rope_head_dim) x layers x element size}
     * bytes; GQA: a key and a value per KV head the rank holds), then capped by
     * {@code --max-total-tokens} and rounded down to whole pages.
     */
    public static KvPool kvPool(ModelSpec m, int attnTpSize, double gpuMemoryGiB, double memFractionStatic,
                                double weightBytes, int kvElementBytes, Integer maxTotalTokens, int pageSize) {
        // rest = available_after_weights - total * (1 - fraction) = fraction * total - weights
        double restBytes = memFractionStatic * gpuMemoryGiB * GIB - weightBytes;
        long profiled = (long) Math.floor(restBytes / m.kvBytesPerRankToken(kvElementBytes, attnTpSize));
        long tokens = maxTotalTokens == null ? profiled : Math.min(profiled, maxTotalTokens);
        return new KvPool(profiled, Math.floorDiv(tokens, pageSize) * pageSize);
    }

    /**
     * The pool grown by {@code headroomTokens} before {@code --max-total-tokens} and page rounding,
     * as speculative decoding grows it for draft and verify tokens
     * (srt/model_executor/model_runner.py:894-924); its memory is the reserve SGLang sets aside for
     * the draft (srt/server_args.py:308-310).
     */
    public static KvPool withHeadroom(KvPool pool, long headroomTokens, Integer maxTotalTokens, int pageSize) {
        long grown = pool.profiledTokens() + headroomTokens;
        long tokens = maxTotalTokens == null ? grown : Math.min(grown, maxTotalTokens);
        return new KvPool(pool.profiledTokens(), Math.floorDiv(tokens, pageSize) * pageSize);
    }

    /**
     * KV-pool slots a sequence of {@code tokens} holds: whole pages. SGLang's paged allocator gives
     * a sequence {@code ceil(seq_len / page_size)} pages (srt/mem_cache/allocator.py:175-177,
     * {@code alloc_extend_kernel}; at commit 69183f8), so a page is never shared between requests.
     */
    public static long slotsHeld(long tokens, int pageSize) {
        return -Math.floorDiv(-tokens, pageSize) * pageSize;
    }

    /**
     * Request slots ({@code req_to_token_pool.size}) when {@code --max-running-requests} is not
     * given: 512 per context length of profiled tokens, clamped to 2048..4096
     * (srt/model_executor/model_runner.py:880-889).
     */
    public static int defaultRequestSlots(long profiledTokens, int contextLength) {
        long perContext = (long) ((double) profiledTokens / contextLength * 512);
        return (int) Math.min(Math.max(perContext, 2048), 4096);
    }

    public static double toGiB(double bytes) {
        return bytes / GIB;
    }
}

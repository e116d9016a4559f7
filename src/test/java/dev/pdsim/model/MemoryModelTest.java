package dev.pdsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.model.MemoryModel.KvPool;
import dev.pdsim.model.MemoryModel.MoeBackend;
import dev.pdsim.model.MemoryModel.WeightLayout;
import dev.pdsim.model.MemoryModel.WeightPart;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Weights per GPU by part and the KV pool, as SGLang 0.4.8.post1 lays them out for DeepSeek-V3. */
class MemoryModelTest {
    private static final ModelSpec V3 = ModelSpec.DEEPSEEK_V3;
    private static final double GIB = 1024.0 * 1024 * 1024;
    /** Bytes of one FP8 weight with its share of the block scale. */
    private static final double Q = V3.weights().bytesPerParam();
    private static final double H100_GIB = HardwareProfile.H100.gpuMemoryGiB();

    /** The reported prefill: tp 16, DP attention (attention TP 1), dense replicated, DP LM head, TP MoE. */
    private static final WeightLayout REPORTED = new WeightLayout(16, 1, true, true, true, MoeBackend.TENSOR_PARALLEL, 0);

    private static double total(WeightLayout l) {
        return MemoryModel.totalBytes(MemoryModel.weightsPerGpu(V3, l));
    }

    private static WeightPart part(WeightLayout l, String prefix) {
        return MemoryModel.weightsPerGpu(V3, l).stream().filter(p -> p.part().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void kvCellOfDeepSeekV3() {
        // (kv_lora_rank + qk_rope_head_dim) x layers x element size (srt/model_executor/model_runner.py:835-842)
        assertEquals(70_272, V3.kvBytesPerRankToken(2, 1));
        assertEquals(35_136, V3.kvBytesPerRankToken(1, 1));
        // The latent is whole on every attention-TP rank.
        assertEquals(70_272, V3.kvBytesPerRankToken(2, 16));
    }

    @Test
    void attentionSplitsIntoReplicatedAndShardedProjections() {
        // q_a + kv_a (fused ReplicatedLinear, srt/models/deepseek_v2.py:666-672), q_b + kv_b + o (attention-TP, :674-719)
        assertEquals(7168L * (1536 + 512 + 64), ((MlaAttention) V3.attention()).replicatedParamsPerLayer(V3.hiddenSize()));
        assertEquals(1536L * 128 * 192 + 512L * 128 * 256 + 128L * 128 * 7168, ((MlaAttention) V3.attention()).shardedParamsPerLayer(V3.hiddenSize(), V3.numHeads()));
        WeightLayout attnTp2 = new WeightLayout(16, 2, true, true, true, MoeBackend.TENSOR_PARALLEL, 0);
        assertEquals(part(REPORTED, "attention q_a").bytes(), part(attnTp2, "attention q_a").bytes());
        assertEquals(part(REPORTED, "attention q_b").bytes() / 2, part(attnTp2, "attention q_b").bytes(), 1.0);
    }

    @Test
    void embeddingIsReplicatedUnderDpAttentionAndSplitOverTpWithout() {
        // VocabParallelEmbedding(enable_tp = not enable_dp_attention) (srt/models/deepseek_v2.py:1802-1806)
        double table = 2.0 * V3.vocabTableParams();
        assertEquals(table, part(REPORTED, "embedding").bytes());
        WeightLayout noDpAttention = new WeightLayout(16, 16, false, false, true, MoeBackend.TENSOR_PARALLEL, 0);
        assertEquals(table / 16, part(noDpAttention, "embedding").bytes(), 1.0);
    }

    @Test
    void lmHeadIsSplitOverAttentionTpWithDpLmHeadElseOverTp() {
        // ParallelLMHead(use_attn_tp_group = enable_dp_lm_head) (srt/models/deepseek_v2.py:1897-1903)
        double table = 2.0 * V3.vocabTableParams();
        assertEquals(table, part(REPORTED, "LM head").bytes());
        WeightLayout noDpLmHead = new WeightLayout(16, 1, true, false, true, MoeBackend.TENSOR_PARALLEL, 0);
        assertEquals(table / 16, part(noDpLmHead, "LM head").bytes(), 1.0);
    }

    @Test
    void sharedExpertIsReplicatedWithDeepEpAndSplitOverTpOtherwise() {
        // DeepEP: DeepseekV2MLP with tp_size 1 (srt/models/deepseek_v2.py:303-316); else fused into FusedMoE (:1918-1949)
        double one = Q * V3.expertParams() * V3.moeLayers();
        WeightLayout deepEp = new WeightLayout(16, 1, true, true, true, MoeBackend.DEEPEP, 0);
        assertEquals(one, part(deepEp, "shared expert").bytes(), 1.0);
        assertEquals("replicated (DeepEP)", part(deepEp, "shared expert").placement());
        assertEquals(one / 16, part(REPORTED, "shared expert").bytes(), 1.0);
        WeightLayout epMoe = new WeightLayout(16, 1, true, true, true, MoeBackend.EXPERT_PARALLEL, 0);
        assertEquals(one / 16, part(epMoe, "shared expert").bytes(), 1.0);
    }

    @Test
    void redundantExpertsAreAllocatedWhateverTheMoeBackend() {
        // num_experts = n_routed + fused shared + ep_num_redundant_experts (srt/models/deepseek_v2.py:270-274)
        WeightLayout redundant = new WeightLayout(16, 1, true, true, true, MoeBackend.TENSOR_PARALLEL, 16);
        assertEquals(16.0 * Q * V3.expertParams() * V3.moeLayers() / 16, total(redundant) - total(REPORTED), 1.0);
    }

    @Test
    void denseMlpIsReplicatedWithMoeDenseTpSizeOne() {
        // enable_moe_dense_fully_dp() -> tp_size 1 for the dense MLP (srt/models/deepseek_v2.py:1647-1660)
        double dense = Q * V3.denseMlpParams() * V3.firstKDenseReplace();
        assertEquals(dense, part(REPORTED, "dense MLP").bytes(), 1.0);
        WeightLayout sharded = new WeightLayout(16, 1, true, true, false, MoeBackend.TENSOR_PARALLEL, 0);
        assertEquals(dense / 16, part(sharded, "dense MLP").bytes(), 1.0);
    }

    @Test
    void fullyShardedWeightsAddUpToTheModelSize() {
        // tp 8 without DP attention: everything but q_a/kv_a split 8 ways
        double perGpu = total(new WeightLayout(8, 8, false, false, false, MoeBackend.TENSOR_PARALLEL, 0));
        double replicatedExtra = 7.0 * ((MlaAttention) V3.attention()).replicatedParamsPerLayer(V3.hiddenSize()) * V3.numLayers();
        assertTrue(Math.abs(perGpu * 8 - replicatedExtra - V3.weightBytes()) / V3.weightBytes() < 0.05,
                "8 x " + perGpu + " vs ~690 GB");
        // with DP attention every rank holds the whole attention and embedding: more than an H100 has
        double dpAttention = total(new WeightLayout(8, 1, true, true, false, MoeBackend.TENSOR_PARALLEL, 0));
        assertTrue(dpAttention > H100_GIB * GIB, "tp 8 dp 8 on one H100 node: " + MemoryModel.toGiB(dpAttention));
    }

    @Test
    void kvPoolIsTheStaticFractionLeftAfterWeightsOverTheCell() {
        // rest = available - total * (1 - fraction); int(rest * 2^30 // cell) (srt/model_executor/model_runner.py:849-853)
        double weights = total(REPORTED);
        KvPool pool = MemoryModel.kvPool(V3, 1, H100_GIB, 0.85, weights, 2, null, 1);
        long expected = (long) Math.floor((0.85 * H100_GIB * GIB - weights) / 70_272);
        assertEquals(expected, pool.profiledTokens());
        assertEquals(expected, pool.tokens());
        KvPool fp8 = MemoryModel.kvPool(V3, 1, H100_GIB, 0.85, weights, 1, null, 1);
        assertEquals((long) Math.floor((0.85 * H100_GIB * GIB - weights) / 35_136), fp8.tokens());
    }

    @Test
    void maxTotalTokensCapsAndPagesRoundDown() {
        // min(profiled, max_total_tokens) (:917-924), then // page_size * page_size (:926-930)
        double weights = total(REPORTED);
        KvPool capped = MemoryModel.kvPool(V3, 1, H100_GIB, 0.85, weights, 2, 131_072, 1);
        assertEquals(131_072, capped.tokens());
        assertTrue(capped.profiledTokens() > 131_072);
        assertEquals(131_008, MemoryModel.kvPool(V3, 1, H100_GIB, 0.85, weights, 2, 131_071, 64).tokens());
        long profiled = MemoryModel.kvPool(V3, 1, H100_GIB, 0.85, weights, 2, null, 1).tokens();
        assertEquals(profiled / 128 * 128, MemoryModel.kvPool(V3, 1, H100_GIB, 0.85, weights, 2, null, 128).tokens());
    }

    @Test
    void fp8WeightsCarryAFloat32ScalePer128By128Block() {
        // weight_block_size [128, 128], float32 scales (srt/layers/quantization/fp8.py:286-293)
        WeightPart experts = part(REPORTED, "routed experts");
        double params = (double) V3.expertParams() * V3.moeLayers() * V3.routedExperts() / 16;
        assertEquals(params * (1 + 4.0 / 16384), experts.bytes(), 1.0);
        // the LM head is BF16 whatever the checkpoint's format
        assertEquals(2.0 * V3.vocabTableParams(), part(REPORTED, "LM head").bytes(), 1.0);
    }

    @Test
    void aSequenceHoldsWholePages() {
        // ceil(seq_len / page_size) pages per sequence (srt/mem_cache/allocator.py:175-177, alloc_extend_kernel)
        assertEquals(1000, MemoryModel.slotsHeld(1000, 1));
        assertEquals(1024, MemoryModel.slotsHeld(1000, 64));
        assertEquals(64, MemoryModel.slotsHeld(64, 64));
        assertEquals(128, MemoryModel.slotsHeld(65, 64));
        assertEquals(0, MemoryModel.slotsHeld(0, 128));
    }

    @Test
    void weightsAboveTheStaticFractionLeaveANegativePoolThatACapCannotFix() {
        double weights = 0.9 * H100_GIB * GIB;
        assertTrue(MemoryModel.kvPool(V3, 1, H100_GIB, 0.85, weights, 2, null, 1).tokens() < 0);
        assertTrue(MemoryModel.kvPool(V3, 1, H100_GIB, 0.85, weights, 2, 131_072, 1).tokens() < 0);
    }

    @Test
    void defaultRequestSlotsAre512PerContextClampedTo2048Through4096() {
        // min(max(int(tokens / context_len * 512), 2048), 4096) (srt/model_executor/model_runner.py:880-889)
        assertEquals(2048, MemoryModel.defaultRequestSlots(500_000, 163_840));
        assertEquals(3125, MemoryModel.defaultRequestSlots(50_000, 8192));
        assertEquals(4096, MemoryModel.defaultRequestSlots(600_000, 8192));
        assertEquals(2048, MemoryModel.defaultRequestSlots(-5, 8192));
    }

    @Test
    void partsComeInAFixedOrder() {
        List<String> names = MemoryModel.weightsPerGpu(V3, REPORTED).stream().map(WeightPart::part).toList();
        assertEquals(7, names.size());
        assertTrue(names.get(0).startsWith("routed experts") && names.get(6).equals("LM head"), names.toString());
    }
}

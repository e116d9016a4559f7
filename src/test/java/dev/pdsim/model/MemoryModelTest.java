package dev.pdsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Weights and KV capacity per GPU (spec section 1: the reported prefill fits on H100s). */
class MemoryModelTest {
    private static final ModelSpec V3 = ModelSpec.DEEPSEEK_V3;
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The reported prefill: tp 16, attention TP 1, MoE sharded 16 ways, dense replicated, DP LM head. */
    private static double reportedPrefillWeights() {
        return MemoryModel.weightBytesPerGpu(V3, 16, 1, 16, true, true, 0);
    }

    @Test
    void kvBytesPerTokenOfDeepSeekV3() {
        assertEquals(70_272, V3.kvBytesPerToken());
        assertEquals((512 + 64) * 2, V3.kvBytesPerTokenPerLayer());
        assertEquals(V3.kvBytesPerToken(), ModelSpec.DEEPSEEK_R1.kvBytesPerToken());
    }

    @Test
    void attentionParamsPerLayerAreAbout187M() {
        long p = V3.attentionParamsPerLayer();
        assertTrue(p >= 185_000_000L && p <= 190_000_000L, "attention params per layer " + p);
        // q_a + q_b + kv_a + kv_b + o of DeepSeek-V3's config
        assertEquals(7168L * 1536 + 1536L * 128 * 192 + 7168L * 576 + 512L * 128 * 256 + 128L * 128 * 7168, p);
    }

    @Test
    void reportedPrefillFitsAnH100WithCapacityCappedByMaxTotalTokens() {
        double weights = reportedPrefillWeights();
        assertTrue(weights > 0);
        assertTrue(weights < 0.85 * HardwareProfile.H100.gpuMemoryGiB() * GIB,
                "weights " + MemoryModel.toGiB(weights) + " GiB must fit in 0.85 of the GPU");
        long uncapped = MemoryModel.kvCapacityTokens(V3, HardwareProfile.H100, 0.85, weights, null);
        assertTrue(uncapped > 131_072, "room for more than max_total_tokens: " + uncapped);
        assertEquals(131_072, MemoryModel.kvCapacityTokens(V3, HardwareProfile.H100, 0.85, weights, 131_072));
    }

    @Test
    void capacityIsTheFreeStaticMemoryOverKvBytesPerToken() {
        double weights = reportedPrefillWeights();
        double free = 0.85 * HardwareProfile.H100.gpuMemoryGiB() * GIB - weights;
        long expected = (long) Math.floor(free / 70_272);
        assertEquals(expected, MemoryModel.kvCapacityTokens(V3, HardwareProfile.H100, 0.85, weights, null));
        assertEquals(expected, MemoryModel.kvCapacityTokens(V3, HardwareProfile.H100, 0.85, weights, Integer.MAX_VALUE));
        assertEquals(1, MemoryModel.kvCapacityTokens(V3, HardwareProfile.H100, 0.85, weights, 1));
    }

    @Test
    void eightGpusWithTp8DoNotHoldDeepSeekV3() {
        // no DP attention: attention and vocab sharded over tp 8, dense sharded, experts over 8 GPUs
        double weights = MemoryModel.weightBytesPerGpu(V3, 8, 8, 8, false, false, 0);
        assertTrue(weights > 0.85 * HardwareProfile.H100.gpuMemoryGiB() * GIB,
                "~690 GB over 8 GPUs is more than 0.85 x 80 GiB each: " + MemoryModel.toGiB(weights));
        assertTrue(MemoryModel.kvCapacityTokens(V3, HardwareProfile.H100, 0.85, weights, null) <= 0);
        assertTrue(MemoryModel.kvCapacityTokens(V3, HardwareProfile.H100, 0.85, weights, 131_072) <= 0,
                "max_total_tokens must not turn a misfit into capacity");
        assertTrue(MemoryModel.kvCapacityTokens(V3, HardwareProfile.H100, 0.95, weights, null) <= 0);
    }

    @Test
    void fullyShardedWeightsAddUpToTheModelSize() {
        // tp 8 with everything sharded 8 ways holds 1/8 of the model on each GPU (vocab in BF16)
        double perGpu = MemoryModel.weightBytesPerGpu(V3, 8, 8, 8, false, false, 0);
        double total = perGpu * 8;
        assertTrue(Math.abs(total - V3.weightBytes()) / V3.weightBytes() < 0.05,
                "8 x " + perGpu + " = " + total + " vs ~690 GB");
    }

    @Test
    void layoutChoicesMoveWeightsTheRightWay() {
        double base = reportedPrefillWeights();
        assertTrue(MemoryModel.weightBytesPerGpu(V3, 16, 1, 16, false, true, 0) < base, "sharding dense layers saves");
        assertTrue(MemoryModel.weightBytesPerGpu(V3, 16, 1, 16, true, false, 0) < base,
                "vocab over TP instead of the attention-TP group saves");
        assertTrue(MemoryModel.weightBytesPerGpu(V3, 16, 1, 16, true, true, 16) > base, "redundant experts cost");
        assertTrue(MemoryModel.weightBytesPerGpu(V3, 16, 2, 16, true, true, 0) < base, "attention TP 2 shards attention");
        assertTrue(MemoryModel.weightBytesPerGpu(V3, 32, 1, 32, true, true, 0) < base, "more MoE shards save");
        // the redundant experts add exactly 16 experts of every MoE layer over the 16 shards
        assertEquals(16.0 * V3.expertParams() * V3.moeLayers() / 16,
                MemoryModel.weightBytesPerGpu(V3, 16, 1, 16, true, true, 16) - base, 1.0);
    }

    @Test
    void lessMemoryFractionMeansLessCapacity() {
        double weights = reportedPrefillWeights();
        long at85 = MemoryModel.kvCapacityTokens(V3, HardwareProfile.H100, 0.85, weights, null);
        long at80 = MemoryModel.kvCapacityTokens(V3, HardwareProfile.H100, 0.80, weights, null);
        assertTrue(at80 < at85);
        assertEquals(Math.floor(0.05 * HardwareProfile.H100.gpuMemoryGiB() * GIB / 70_272), at85 - at80, 1.0);
    }
}

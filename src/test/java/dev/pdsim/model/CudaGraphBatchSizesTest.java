package dev.pdsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.model.CudaGraphBatchSizes.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code get_batch_sizes_to_capture} (srt/model_executor/cuda_graph_runner.py:138-181), step by step. */
class CudaGraphBatchSizesTest {
    private static final int H100_MIB = 81_559;
    private static final int H200_MIB = 143_771;

    private static List<Integer> capture(Integer maxBs, boolean tbo, int slots, int gpuMib) {
        return CudaGraphBatchSizes.capture(new Inputs(null, false, false, gpuMib, slots, tbo, maxBs));
    }

    private static List<Integer> range(int from, int toExclusive, int step) {
        return IntStream.iterate(from, b -> b < toExclusive, b -> b + step).boxed().toList();
    }

    private static List<Integer> defaults() {
        List<Integer> bs = new ArrayList<>(List.of(1, 2, 4, 8));
        bs.addAll(range(16, 161, 8));
        return bs;
    }

    @Test
    void defaultListUpTo160BelowNinetyGib() {
        // :142-148
        assertEquals(defaults(), capture(null, false, 4096, H100_MIB));
    }

    @Test
    void gpusAboveNinetyGibAlsoCaptureUpTo256() {
        // :158-160 (H200, H20)
        List<Integer> expected = new ArrayList<>(defaults());
        expected.addAll(range(168, 257, 8));
        assertEquals(expected, capture(null, false, 4096, H200_MIB));
    }

    @Test
    void theB200TierIsWrittenIn1000s() {
        // :161-163: gpu_mem > 160 * 1000 MiB, not 160 * 1024
        assertTrue(capture(null, false, 4096, 163_000).contains(512));
        assertTrue(!capture(null, false, 4096, 159_000).contains(512));
    }

    @Test
    void twoBatchOverlapDropsSizesBelowTwo() {
        // :170-171: both TBO children need a request
        List<Integer> bs = capture(null, true, 4096, H100_MIB);
        assertEquals(2, bs.get(0));
        assertEquals(defaults().size() - 1, bs.size());
    }

    @Test
    void cudaGraphMaxBsCutsAndExtendsInSteps16() {
        // :173-178
        assertEquals(96, capture(100, false, 4096, H100_MIB).get(capture(100, false, 4096, H100_MIB).size() - 1));
        List<Integer> up = capture(200, false, 4096, H100_MIB);
        assertEquals(List.of(152, 160, 176, 192), up.subList(up.size() - 4, up.size()));
    }

    @Test
    void theRequestPoolAddsItsSizeAndCapsTheList() {
        // :165-168 and :179
        List<Integer> bs = capture(null, false, 100, H100_MIB);
        assertEquals(100, bs.get(bs.size() - 1));
        assertTrue(bs.stream().allMatch(b -> b <= 100));
    }

    @Test
    void explicitListAndSpeculativeAndNoPaddingLists() {
        // :140 (--cuda-graph-bs), :149-156 (speculative), :144-145 (--disable-cuda-graph-padding)
        assertEquals(List.of(3, 5), CudaGraphBatchSizes.capture(new Inputs(List.of(5, 3, 5), false, false, H100_MIB, 4096,
                false, null)));
        List<Integer> spec = CudaGraphBatchSizes.capture(new Inputs(null, true, false, H100_MIB, 4096, false, null));
        assertTrue(spec.containsAll(List.of(1, 8, 10, 32, 40, 56, 80, 160)) && !spec.contains(9) && !spec.contains(64));
        List<Integer> noPad = CudaGraphBatchSizes.capture(new Inputs(null, false, true, H100_MIB, 4096, false, null));
        assertTrue(noPad.containsAll(range(1, 33, 1)) && noPad.contains(48) && !noPad.contains(40));
    }

    @Test
    void nothingLeftFailsAsSglangDoes() {
        // TBO leaves [2, ...]; --cuda-graph-max-bs 1 leaves nothing: max() of an empty list (:175)
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> capture(1, true, 4096, H100_MIB));
        assertTrue(e.getMessage().contains("max() arg is an empty sequence"), e.getMessage());
        // --cuda-graph-bs 1 under TBO leaves nothing for the final assert (:181)
        IllegalStateException pool = assertThrows(IllegalStateException.class, () -> CudaGraphBatchSizes.capture(
                new Inputs(List.of(1), false, false, H100_MIB, 1, true, null)));
        assertTrue(pool.getMessage().contains("AssertionError"), pool.getMessage());
    }
}

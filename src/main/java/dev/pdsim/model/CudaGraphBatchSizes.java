package dev.pdsim.model;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The batch sizes a decode server captures CUDA graphs for, chosen as
 * {@code get_batch_sizes_to_capture} does (srt/model_executor/cuda_graph_runner.py:138-181).
 */
public final class CudaGraphBatchSizes {
    private static final int MIB_90_GIB = 90 * 1024;
    /** The B200/MI300 tier is written with 1000, not 1024 (cuda_graph_runner.py:162). */
    private static final int MIB_160_GB = 160 * 1000;

    private CudaGraphBatchSizes() {
    }

    /**
     * What shapes the choice.
     *
     * @param cudaGraphBs      {@code --cuda-graph-bs}, or null for the default list
     * @param speculative      a {@code --speculative-algorithm} is set
     * @param disablePadding   {@code --disable-cuda-graph-padding}
     * @param gpuMemoryMib     {@code get_device_memory_capacity()} in MiB
     * @param requestSlots     {@code req_to_token_pool.size}: {@code --max-running-requests} as given
     *                         (not divided by the DP size), else its memory-derived default
     * @param twoBatchOverlap  {@code --enable-two-batch-overlap}: both TBO children need a request
     * @param cudaGraphMaxBs   {@code --cuda-graph-max-bs}, or null
     */
    public record Inputs(List<Integer> cudaGraphBs, boolean speculative, boolean disablePadding, int gpuMemoryMib,
                         int requestSlots, boolean twoBatchOverlap, Integer cudaGraphMaxBs) {
    }

    /**
     * The sorted, distinct sizes, or an {@link IllegalStateException} naming the failure when SGLang
     * would fail while choosing them (an empty list: {@code max()} of nothing or its final assert).
     */
    public static List<Integer> capture(Inputs in) {
        List<Integer> bs = new ArrayList<>();
        if (in.cudaGraphBs() != null) {
            bs.addAll(in.cudaGraphBs());
        } else {
            if (!in.speculative()) {
                if (in.disablePadding()) {
                    addRange(bs, 1, 33, 1);
                    addRange(bs, 48, 161, 16);
                } else {
                    bs.addAll(List.of(1, 2, 4, 8));
                    addRange(bs, 16, 161, 8);
                }
            } else {
                addRange(bs, 1, 9, 1);
                addRange(bs, 10, 33, 2);
                addRange(bs, 40, 64, 8);
                addRange(bs, 80, 161, 16);
            }
            if (in.gpuMemoryMib() > MIB_90_GIB) { // H200, H20 (:158-160)
                addRange(bs, 160, 257, 8);
            }
            if (in.gpuMemoryMib() > MIB_160_GB) { // B200, MI300 (:161-163)
                addRange(bs, 256, 513, 16);
            }
        }
        if (max(bs) > in.requestSlots()) { // :165-168
            bs.add(in.requestSlots());
        }
        if (in.twoBatchOverlap()) { // :170-171
            bs.removeIf(b -> b < 2);
        }
        Integer maxBs = in.cudaGraphMaxBs();
        if (maxBs != null && maxBs != 0) { // Python truthiness: 0 means no limit (:173-178)
            bs.removeIf(b -> b > maxBs);
            if (bs.isEmpty()) {
                throw new IllegalStateException("no capture size is left at or below --cuda-graph-max-bs " + maxBs
                        + " (ValueError: max() arg is an empty sequence, cuda_graph_runner.py:175)");
            }
            int top = max(bs);
            if (top < maxBs) {
                addRange(bs, top, maxBs + 1, 16);
            }
        }
        bs.removeIf(b -> b > in.requestSlots()); // :179
        TreeSet<Integer> sorted = new TreeSet<>(bs);
        if (sorted.isEmpty() || sorted.first() <= 0) { // :181
            throw new IllegalStateException("no positive capture size is left (AssertionError: capture_bs="
                    + sorted + ", cuda_graph_runner.py:181)");
        }
        return List.copyOf(sorted);
    }

    private static void addRange(List<Integer> bs, int from, int toExclusive, int step) {
        IntStream.iterate(from, b -> b < toExclusive, b -> b + step).forEach(bs::add);
    }

    private static int max(List<Integer> bs) {
        return bs.stream().mapToInt(Integer::intValue).max().orElseThrow(() -> new IllegalStateException(
                "no capture size (ValueError: max() arg is an empty sequence)"));
    }
}

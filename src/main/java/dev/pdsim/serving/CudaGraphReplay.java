package dev.pdsim.serving;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.scenario.ServerArgs;
import java.util.Arrays;
import java.util.List;

/**
 * Whether a forward replays one of the CUDA graphs the server captured at start-up, as
 * {@code CudaGraphRunner.can_run} decides (srt/model_executor/cuda_graph_runner.py:341-392,
 * called from model_runner.py:1245-1250); a forward that cannot launches every kernel itself.
 *
 * <p>The batch size a graph is looked up by is the sum over all DP ranks when the MLP input is
 * all-gathered ({@code require_mlp_tp_gather}, :343-348), else the rank's own batch. With padding
 * (the default) any size up to the largest captured one replays, padded to the next captured size;
 * with {@code --disable-cuda-graph-padding} only a captured size does (:352-356). Under DP attention
 * every rank must run DECODE or IDLE ({@code can_run_dp_cuda_graph}, the minimum over ranks,
 * srt/managers/scheduler.py:1854-1857, 1890, 1915-1917), and under TBO the batch must split (:383-385).
 *
 * <p>ASSUMPTION: the padded rows cost nothing extra (decode GEMMs at these row counts are bound
 * by their weight bytes); what the graph saves is the per-kernel launch. Without
 * {@code require_mlp_tp_gather} each rank decides alone; pdsim lets the busiest rank decide, as
 * it sets the lock-step iteration's length.
 */
final class CudaGraphReplay {
    private final int[] captured;
    private final boolean exactSizeOnly;
    private final boolean sizeIsGlobalSum;
    private final boolean twoBatchOverlap;

    CudaGraphReplay(InstanceTopology topology) {
        ServerArgs a = topology.args();
        List<Integer> sizes = topology.captureBatchSizes();
        this.captured = sizes.stream().mapToInt(Integer::intValue).toArray();
        this.exactSizeOnly = a.disableCudaGraphPadding();
        this.sizeIsGlobalSum = requiresMlpTpGather(a);
        this.twoBatchOverlap = a.enableTwoBatchOverlap();
    }

    /**
     * {@code require_mlp_tp_gather} (srt/utils.py:2302-2322): under DP attention the MLP input is
     * all-gathered, unless {@code moe_dense_tp_size} is set no larger than the attention-TP size
     * ({@code tp_size / dp_size}) together with a DP LM head and DeepEP.
     */
    static boolean requiresMlpTpGather(ServerArgs a) {
        if (!a.enableDpAttention()) {
            return false;
        }
        if (a.moeDenseTpSize() == null || !a.enableDpLmHead() || !a.enableDeepepMoe()) {
            return true;
        }
        return a.moeDenseTpSize() > a.tpSize() / a.dpSize();
    }

    /** Whether the server captured any graph. */
    boolean any() {
        return captured.length > 0;
    }

    /** The largest captured batch size, 0 if none. */
    private int largest() {
        return captured.length == 0 ? 0 : captured[captured.length - 1];
    }

    /** Whether this forward of per-rank {@code batches} replays a graph; {@code tboSplits} says whether TBO engages. */
    boolean replays(RankBatch[] batches, boolean tboSplits) {
        if (captured.length == 0 || (twoBatchOverlap && !tboSplits)) {
            return false;
        }
        long sum = 0;
        long busiest = 0;
        for (RankBatch b : batches) {
            if (b.kind() == ForwardKind.EXTEND) {
                return false; // EXTEND never replays a graph; under the MLP sync one extending rank stops all
            }
            // A verify graph is captured per request, its rows included (cuda_graph_runner.py:235-242).
            long size = b.kind() == ForwardKind.DECODE ? b.decodeSequences() : 0;
            sum += size;
            busiest = Math.max(busiest, size);
        }
        long size = sizeIsGlobalSum ? sum : busiest;
        if (exactSizeOnly) {
            return Arrays.binarySearch(captured, (int) Math.min(size, Integer.MAX_VALUE)) >= 0;
        }
        return size <= largest();
    }
}

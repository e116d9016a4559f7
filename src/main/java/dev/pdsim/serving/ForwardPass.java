package dev.pdsim.serving;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.cluster.TboStagePlan;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.metadata.DpGatherCheck;
import dev.pdsim.metadata.MetadataStrategy;
import dev.pdsim.model.BatchShape;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.scenario.ServerArgs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One forward pass of an instance, all DP ranks in lock-step: dense layers on the parent batch,
 * then the MoE layers either on the parent or, under two-batch overlap, as two child micro-batches
 * whose operations interleave the way SGLang's {@code execute_overlapped_operations} launches them
 * ({@link TboRegion}).
 * Every DP gather and scatter is checked with what each rank brings ({@link DpGatherCheck}).
 *
 * <p>The same computation serves both fidelities: layer fidelity asks for the spans and turns each
 * into an event, iteration fidelity takes only the totals, so they agree by construction.
 */
final class ForwardPass {
    /** Non-TBO order of a MoE layer's operations (the prefill TBO order without yields). */
    private static final List<LayerStage> MOE_SERIAL = TboStagePlan.PREFILL.stages().stream()
            .filter(s -> s != LayerStage.YIELD).toList();
    private static final List<LayerStage> DENSE_SERIAL = List.of(LayerStage.COMM_PREPARE_ATTN,
            LayerStage.ATTN_PREPARE, LayerStage.ATTN_CORE, LayerStage.COMM_PREPARE_MLP, LayerStage.DENSE_MLP,
            LayerStage.COMM_POSTPROCESS_LAYER);

    private final InstanceTopology topology;
    private final InstanceCostModel cost;
    private final int firstMoe;
    private final int layers;
    private final TboRegion tboRegion;
    private final CudaGraphReplay graphs;
    /** What a forward costs when it replays no CUDA graph. */
    private final InstanceCostModel eagerCost;

    ForwardPass(InstanceTopology topology, InstanceCostModel cost, MetadataStrategy strategy) {
        this.topology = topology;
        this.cost = cost;
        this.graphs = new CudaGraphReplay(topology);
        this.eagerCost = cost.eager();
        this.layers = topology.layers().size();
        int k = 0;
        while (k < layers && !topology.layers().get(k).sparse()) {
            k++;
        }
        this.firstMoe = k;
        this.tboRegion = new TboRegion(topology, cost, strategy, firstMoe);
    }

    /**
     * TBO engages when the launch enables it, every rank can run it (false only for EXTEND with
     * DeepEP low-latency) and all gathered forward modes agree, IDLE counting as DECODE
     * (srt/two_batch_overlap.py:163-212). The split is decided only inside the MLP sync
     * (srt/managers/scheduler.py:1894-1912), so a server that runs none never splits.
     */
    boolean tboEngages(RankBatch[] batches) {
        if (!topology.args().enableTwoBatchOverlap() || !requiresMlpSync(topology.args())) {
            return false;
        }
        boolean lowLatencyDeepEp = topology.args().enableDeepepMoe() && !topology.args().deepEpNormalKernels();
        ForwardKind agreed = null;
        for (RankBatch b : batches) {
            if (b.kind() == ForwardKind.EXTEND && lowLatencyDeepEp) {
                return false;
            }
            ForwardKind k = b.kind() == ForwardKind.IDLE ? ForwardKind.DECODE : b.kind();
            if (agreed != null && agreed != k) {
                return false;
            }
            agreed = k;
        }
        return true;
    }

    /** {@code require_mlp_sync} (srt/utils.py:2302-2344): DP attention, DeepEP or {@code moe_dense_tp_size == 1}. */
    static boolean requiresMlpSync(ServerArgs args) {
        return args.enableDpAttention() || args.enableDeepepMoe() || Integer.valueOf(1).equals(args.moeDenseTpSize());
    }

    /**
     * A serving forward: it replays a captured CUDA graph when {@link CudaGraphReplay} says so,
     * else launches every kernel.
     *
     * @param expertImbalance this iteration's load of the busiest expert-parallel rank over the mean
     */
    ForwardResult run(RankBatch[] batches, boolean recordSpans, double expertImbalance) {
        boolean tbo = tboEngages(batches);
        InstanceCostModel c = graphs.replays(batches, tbo) ? cost : eagerCost;
        return run(batches, tbo, c, recordSpans, expertImbalance, SglangCallPath.Entry.SERVING);
    }

    /**
     * One forward of DeepSeek's MTP layer over per-rank {@code batches}: one MoE decoder layer, then
     * the LM head it shares with the target (srt/models/deepseek_nextn.py), replaying the draft's
     * graphs when the target's would. ASSUMPTION: its input projection of the embedding and hidden
     * state (eh_proj, two small norms) costs nothing next to the layer, and each pass pays the
     * scheduler's per-forward overhead as the target's does; a profile of the draft would settle both.
     */
    long mtpLayerNs(RankBatch[] batches) {
        InstanceCostModel c = graphs.replays(batches, false) ? cost : eagerCost;
        BatchShape shape = shape(batches, 1.0);
        long t = c.outsideLayersNs(shape);
        for (LayerStage stage : MOE_SERIAL) {
            t += c.stageNs(stage, true, shape);
        }
        return t;
    }

    /** Whether this server captured CUDA graphs at start-up. */
    boolean capturesGraphs() {
        return graphs.any();
    }

    /** The batch sizes captured, largest first: the order of capture (srt/model_executor/cuda_graph_runner.py:408-413). */
    List<Integer> captureOrder() {
        List<Integer> order = new ArrayList<>(topology.captureBatchSizes());
        Collections.reverse(order);
        return order;
    }

    /**
     * The first of the two eager runs that precede capturing the graph of {@code batchSize}
     * ({@code capture_one_batch_size}, srt/model_executor/cuda_graph_runner.py:457-582): every rank
     * a DECODE of {@code batchSize} requests whose sequence length is the backend's fill value (1),
     * split into TBO children whenever TBO is on ({@code TboCudaGraphRunnerPlugin}, srt/two_batch_overlap.py:110-129).
     */
    ForwardResult captureRun(int batchSize) {
        RankBatch[] batches = new RankBatch[topology.dpSize()];
        Arrays.fill(batches, RankBatch.decode(batchSize, batchSize));
        return run(batches, topology.args().enableTwoBatchOverlap(), eagerCost, false, 1.0,
                SglangCallPath.Entry.CUDA_GRAPH_CAPTURE);
    }

    private ForwardResult run(RankBatch[] batches, boolean tbo, InstanceCostModel forwardCost, boolean recordSpans,
                              double expertImbalance, SglangCallPath.Entry entry) {
        List<StageSpan> spans = recordSpans ? new ArrayList<>() : null;
        BatchShape parent = shape(batches, expertImbalance);
        int parentLayers = tbo ? firstMoe : layers;
        long t = 0;
        for (int layer = 0; layer < parentLayers; layer++) {
            boolean moe = topology.layers().get(layer).sparse();
            List<LayerStage> stages = moe ? MOE_SERIAL : DENSE_SERIAL;
            if (moe && spans == null) {
                // Every MoE layer costs the same on the same batch: multiply instead of looping.
                long perLayer = 0;
                for (LayerStage stage : stages) {
                    perLayer += forwardCost.stageNs(stage, true, parent);
                }
                t += perLayer * (parentLayers - layer);
                break;
            }
            for (LayerStage stage : stages) {
                long d = forwardCost.stageNs(stage, moe, parent);
                if (spans != null) {
                    spans.add(new StageSpan(layer, stage, null, t, t + d, forwardCost.resourceOf(stage)));
                }
                t += d;
            }
        }
        if (!tbo) {
            return finish(forwardCost, parent, false, t, null, 0, spans);
        }
        tboRegion.run(batches, parent, t, spans, expertImbalance, forwardCost, entry);
        return finish(forwardCost, parent, true, tboRegion.endNs(), tboRegion.failure(), tboRegion.corruptedRows(), spans);
    }

    /** After a pass over {@code batches} that split them (TBO): whether its collective sizes agree; null when they do. */
    CollectiveSizes.Mismatch collectiveSizeMismatch(RankBatch[] batches) {
        return tboRegion.collectiveSizeMismatch(batches);
    }

    private static ForwardResult finish(InstanceCostModel cost, BatchShape parent, boolean tbo, long layersNs,
                                 ForwardFailure failure, long corrupted, List<StageSpan> spans) {
        if (failure != null) {
            return new ForwardResult(failure.offsetNs(), tbo, failure, corrupted, spans);
        }
        return new ForwardResult(layersNs + cost.outsideLayersNs(parent), tbo, null, corrupted, spans);
    }

    /** Cost-model view of a set of per-rank batches: busiest rank for local work, total for gathered work. */
    static BatchShape shape(RankBatch[] batches, double expertImbalance) {
        BatchShapeFold fold = new BatchShapeFold();
        for (RankBatch b : batches) {
            b.addTo(fold);
        }
        return fold.shape(expertImbalance);
    }
}

package dev.pdsim.serving;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cluster.LayerScatterModes;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.cluster.TboStagePlan;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.metadata.CollectiveResult;
import dev.pdsim.metadata.DpGatherCheck;
import dev.pdsim.metadata.MetadataStrategy;
import dev.pdsim.model.BatchShape;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.model.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * One forward pass of an instance, all DP ranks in lock-step: dense layers on the parent batch,
 * then the MoE layers either on the parent or, under two-batch overlap, as two child micro-batches
 * whose operations interleave the way SGLang's {@code execute_overlapped_operations} launches them.
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
    private final MetadataStrategy strategy;
    private final int firstMoe;
    private final int layers;

    ForwardPass(InstanceTopology topology, InstanceCostModel cost, MetadataStrategy strategy) {
        this.topology = topology;
        this.cost = cost;
        this.strategy = strategy;
        this.layers = topology.layers().size();
        int k = 0;
        while (k < layers && !topology.layers().get(k).sparse()) {
            k++;
        }
        this.firstMoe = k;
    }

    /**
     * TBO engages when the launch enables it, every rank can run it (false only for EXTEND with
     * DeepEP low-latency) and all gathered forward modes agree, IDLE counting as DECODE.
     */
    boolean tboEngages(RankBatch[] batches) {
        if (!topology.args().enableTwoBatchOverlap()) {
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

    /**
     * @param expertImbalance this iteration's load of the busiest expert-parallel rank over the mean
     */
    ForwardResult run(RankBatch[] batches, boolean recordSpans, double expertImbalance) {
        boolean tbo = tboEngages(batches);
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
                    perLayer += cost.stageNs(stage, true, parent);
                }
                t += perLayer * (parentLayers - layer);
                break;
            }
            for (LayerStage stage : stages) {
                long d = cost.stageNs(stage, moe, parent);
                if (spans != null) {
                    spans.add(new StageSpan(layer, stage, null, t, t + d, cost.resourceOf(stage)));
                }
                t += d;
            }
        }
        if (!tbo) {
            return finish(parent, false, t, null, 0, spans);
        }
        return overlapped(batches, parent, t, spans, expertImbalance);
    }

    private ForwardResult finish(BatchShape parent, boolean tbo, long layersNs,
                                 ForwardFailure failure, long corrupted, List<StageSpan> spans) {
        if (failure != null) {
            return new ForwardResult(failure.offsetNs(), tbo, failure, corrupted, spans);
        }
        return new ForwardResult(layersNs + cost.outsideLayersNs(parent), tbo, null, corrupted, spans);
    }

    /**
     * The TBO region: both children's operations of all MoE layers, cut into stages at the yield
     * points and launched A, B, A, B, ... (child B {@code delay} stages late). Each operation starts
     * when its child's previous operation has ended and its resource (SMs or network) is free.
     */
    private ForwardResult overlapped(RankBatch[] batches, BatchShape parent, long start, List<StageSpan> spans,
                                     double expertImbalance) {
        TboStagePlan plan = batches[0].kind() == ForwardKind.EXTEND ? TboStagePlan.PREFILL : TboStagePlan.DECODE;
        int dp = batches.length;
        RankBatch[][] children = new RankBatch[2][dp];
        long[][] childTokens = new long[2][dp];
        for (int r = 0; r < dp; r++) {
            children[0][r] = batches[r].child(true);
            children[1][r] = batches[r].child(false);
            childTokens[0][r] = children[0][r].tokens();
            childTokens[1][r] = children[1][r].tokens();
        }
        double parentMean = cost.expertParallel() ? cost.expertImbalanceMean(parent.totalTokens()) : 1.0;
        BatchShape[] shapes = {shape(children[0], childImbalance(expertImbalance, parentMean, childTokens[0])),
                shape(children[1], childImbalance(expertImbalance, parentMean, childTokens[1]))};
        CollectiveResult[] checks = new CollectiveResult[2];
        for (int c = 0; c < 2; c++) {
            checks[c] = topology.dpSize() > 1
                    ? DpGatherCheck.run(strategy, childTokens[c], strategy.childGlobalCounts(childTokens[c]))
                    : CollectiveResult.CLEAN;
        }
        // Durations of one MoE layer's operations for each child; every MoE layer is the same.
        List<LayerStage> ops = plan.stages();
        long[][] dur = new long[2][ops.size()];
        Resource[] res = new Resource[ops.size()];
        boolean[] readsCounts = new boolean[ops.size()];
        LayerScatterModes moeModes = topology.layers().get(firstMoe);
        for (int i = 0; i < ops.size(); i++) {
            LayerStage s = ops.get(i);
            res[i] = cost.resourceOf(s);
            readsCounts[i] = TboStagePlan.communicationOf(s, moeModes).readsGlobalTokenCounts();
            // Only SGLang's prefill operations strategy caps DeepGEMM's SMs; the decode one does not.
            double slowdown = res[i] == Resource.COMPUTE && plan == TboStagePlan.PREFILL ? cost.prefillTboComputeSlowdown() : 1.0;
            for (int c = 0; c < 2; c++) {
                dur[c][i] = (long) (cost.stageNs(s, true, shapes[c]) * slowdown);
            }
        }
        int moeLayers = layers - firstMoe;
        int yieldsPerLayer = (int) plan.yieldPoints();
        int stagesTotal = moeLayers * yieldsPerLayer + 1;
        int delay = plan.childBDelay();
        boolean[] async = new boolean[ops.size()];
        boolean[] awaitsTransfer = new boolean[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            async[i] = cost.startsTransfer(ops.get(i));
            awaitsTransfer[i] = ops.get(i) == LayerStage.DISPATCH_B || ops.get(i) == LayerStage.COMBINE_B;
        }
        // Time before which the (single) CPU thread cannot launch the next operation.
        long cpuReady = start;
        long[] childReady = {start, start};
        long[] transferDone = {start, start};
        long[] resourceFree = new long[Resource.values().length];
        java.util.Arrays.fill(resourceFree, start);
        // Cursor per child: (layer, op index) of its next operation.
        int[] layerOf = {0, 0};
        int[] opOf = {0, 0};
        ForwardFailure failure = null;
        boolean[] stopped = new boolean[2];
        long end = start;
        int[] order = launchOrder(stagesTotal, delay);
        for (int child : order) {
            // Run this child's operations up to (and past) its next yield point.
            while (layerOf[child] < moeLayers && !stopped[child]) {
                int i = opOf[child];
                LayerStage s = ops.get(i);
                advance(layerOf, opOf, child, ops.size());
                if (s == LayerStage.YIELD) {
                    break;
                }
                long d = dur[child][i];
                int rIdx = res[i].ordinal();
                // An operation with nothing to do (e.g. a communicator step between equal modes)
                // does not queue behind the other child's work on that resource.
                long begin = Math.max(cpuReady, d == 0 ? childReady[child] : Math.max(childReady[child], resourceFree[rIdx]));
                if (awaitsTransfer[i]) {
                    begin = Math.max(begin, transferDone[child]);
                }
                int layer = firstMoe + (opOf[child] == 0 ? layerOf[child] - 1 : layerOf[child]);
                boolean fails = readsCounts[i] && (checks[child].raised() || checks[child].hung());
                if (fails && (failure == null || begin < failure.offsetNs())) {
                    // Launch order is not time order: keep the failing operation that starts first.
                    failure = failureOf(checks[child], begin, layer, s, child, childTokens[child]);
                }
                if (fails) {
                    stopped[child] = true;
                    break;
                }
                if (failure != null && begin >= failure.offsetNs()) {
                    continue;
                }
                long finishAt = begin + d;
                if (d > 0) {
                    resourceFree[rIdx] = finishAt;
                }
                if (async[i]) {
                    // DeepEP's *_a starts a transfer and returns; the child computes on until *_b waits.
                    transferDone[child] = finishAt;
                    childReady[child] = begin;
                    long hold = cost.cpuHoldAfterLaunch(s);
                    if (hold > 0) {
                        // The CPU waits for the receive counts, which come only after the GPU has run
                        // everything launched before (the transfer itself began behind the other
                        // child's on the one comm stream): nothing further is launched until then.
                        cpuReady = Math.max(cpuReady, Math.max(resourceFree[Resource.COMPUTE.ordinal()], begin) + hold);
                    }
                } else {
                    childReady[child] = finishAt;
                }
                end = Math.max(end, finishAt);
                if (spans != null) {
                    spans.add(new StageSpan(layer, s, child == 0 ? "A" : "B", begin, finishAt, res[i]));
                }
            }
        }
        long corrupted = 0;
        for (int c = 0; c < 2; c++) {
            corrupted += checks[c].corruptedRows();
        }
        if (failure != null && spans != null) {
            long cut = failure.offsetNs();
            spans.removeIf(sp -> sp.startNs() >= cut);
        }
        return finish(parent, true, end, failure, corrupted, spans);
    }

    /**
     * A child routes only its own tokens, and fewer tokens land less evenly: this iteration's draw
     * for the parent, scaled by the expected load factor of the child's batch over the parent's
     * ({@code parentMean}).
     */
    private double childImbalance(double parentImbalance, double parentMean, long[] childTokensPerRank) {
        long tokens = 0;
        for (long t : childTokensPerRank) {
            tokens += t;
        }
        if (!cost.expertParallel() || tokens == 0) {
            return parentImbalance;
        }
        return Math.max(1.0, parentImbalance * cost.expertImbalanceMean(tokens) / parentMean);
    }

    /** Moves a child's cursor one operation on, wrapping to the next layer. */
    private static void advance(int[] layerOf, int[] opOf, int child, int opsPerLayer) {
        opOf[child]++;
        if (opOf[child] == opsPerLayer) {
            opOf[child] = 0;
            layerOf[child]++;
        }
    }

    /** {@code execute_overlapped_operations}: A runs {@code delay} stages alone, then A and B alternate, then B finishes. */
    private static int[] launchOrder(int stages, int delay) {
        int[] order = new int[2 * stages];
        int k = 0;
        for (int i = 0; i < delay; i++) {
            order[k++] = 0;
        }
        for (int i = 0; i < stages - delay; i++) {
            order[k++] = 0;
            order[k++] = 1;
        }
        for (int i = 0; i < delay; i++) {
            order[k++] = 1;
        }
        return order;
    }

    private ForwardFailure failureOf(CollectiveResult check, long at, int layer, LayerStage stage, int child,
                                     long[] tokens) {
        String name = child == 0 ? "A" : "B";
        if (check.raised()) {
            return new ForwardFailure(false, at, layer, stage, name, check.raisingRanks(), check.error(), tokens);
        }
        List<Integer> all = new ArrayList<>();
        for (int r = 0; r < tokens.length; r++) {
            all.add(r);
        }
        return new ForwardFailure(true, at, layer, stage, name, all,
                "hang: DP ranks disagree on the all-reduce length " + describeLengths(check.bufferLengths())
                        + "; NCCL waits for rows that are never sent", tokens);
    }

    private static String describeLengths(long[] lengths) {
        java.util.TreeMap<Long, Integer> byLength = new java.util.TreeMap<>();
        for (long l : lengths) {
            byLength.merge(l, 1, Integer::sum);
        }
        if (byLength.size() > 4) {
            return "(" + byLength.size() + " different lengths, " + byLength.firstKey() + " to " + byLength.lastKey()
                    + " rows)";
        }
        StringBuilder sb = new StringBuilder("(");
        byLength.forEach((l, n) -> sb.append(sb.length() > 1 ? ", " : "").append(n).append(n == 1 ? " rank: " : " ranks: ")
                .append(l).append(" rows"));
        return sb.append(")").toString();
    }

    /** Cost-model view of a set of per-rank batches: busiest rank for local work, total for gathered work. */
    static BatchShape shape(RankBatch[] batches, double expertImbalance) {
        int maxTokens = 0;
        long total = 0;
        int maxRequests = 0;
        long maxPairs = 0;
        ForwardKind kind = ForwardKind.IDLE;
        for (RankBatch b : batches) {
            long tokens = b.tokens();
            maxTokens = (int) Math.max(maxTokens, tokens);
            total += tokens;
            maxRequests = Math.max(maxRequests, b.requests());
            maxPairs = Math.max(maxPairs, b.attendPairs());
            if (b.kind() != ForwardKind.IDLE && tokens > 0) {
                kind = b.kind();
            }
        }
        return new BatchShape(kind, maxTokens, total, maxRequests, maxPairs, expertImbalance);
    }
}

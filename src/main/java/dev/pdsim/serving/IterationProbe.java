package dev.pdsim.serving;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.cluster.TboStagePlan;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.cost.StageCost;
import dev.pdsim.metadata.MetadataStrategy;
import dev.pdsim.model.BatchShape;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.WorkloadType;
import java.util.Arrays;
import java.util.List;

/**
 * One forward pass of an instance on a made-up, even batch, outside any simulation: what
 * {@code explain --costs} and the calibration checks look at. Every DP rank gets the same batch.
 */
public final class IterationProbe {
    private IterationProbe() {
    }

    /** Requests a probe puts on each DP rank of a decode instance when no batch is given. */
    private static final int DEFAULT_DECODE_BATCH = 64;

    /**
     * Requests per decode DP rank at the scenario's load: a concurrency workload's clients spread
     * over every decode DP rank, as many as a rank admits (max_running_requests); 64 for arrivals
     * at a rate, whose batch depends on the run.
     */
    public static int decodeRequestsPerRank(Scenario scenario, InstanceTopology decode) {
        if (scenario.workload().type() != WorkloadType.CONCURRENCY) {
            return DEFAULT_DECODE_BATCH;
        }
        int decodeRanks = 0;
        for (InstanceTopology t : InstanceTopology.deriveAll(scenario)) {
            if (t.role() == Role.DECODE) {
                decodeRanks += t.dpSize();
            }
        }
        int perRank = Math.max(1, scenario.workload().concurrency() / Math.max(1, decodeRanks));
        Integer cap = decode.args().maxRunningRequests();
        return cap != null && cap > 0 ? Math.min(perRank, Math.max(1, cap / decode.dpSize())) : perRank;
    }

    /** Cached tokens of a decoding request halfway through its output: what a probe assumes. */
    public static int decodeContext(Scenario scenario) {
        return scenario.workload().inputLen().max() + scenario.workload().outputLen().max() / 2;
    }

    /** An EXTEND of {@code tokensPerRank} prompt tokens per DP rank, in sequences of {@code seqLen}. */
    public static ForwardResult prefill(InstanceTopology t, InstanceCostModel cost, MetadataStrategy strategy,
                                        int tokensPerRank, int seqLen, double expertImbalance) {
        return run(t, cost, strategy, extend(tokensPerRank, seqLen), expertImbalance);
    }

    /** A DECODE of {@code requestsPerRank} requests per DP rank, each with {@code context} cached tokens. */
    public static ForwardResult decode(InstanceTopology t, InstanceCostModel cost, MetadataStrategy strategy,
                                       int requestsPerRank, int context, double expertImbalance) {
        return run(t, cost, strategy, RankBatch.decode(requestsPerRank, (long) requestsPerRank * context), expertImbalance);
    }

    /** What the operations of {@link #prefill} cost on their own, summed (see {@link #operations}). */
    public static StageCost prefillOperations(InstanceTopology t, InstanceCostModel cost, MetadataStrategy strategy,
                                              int tokensPerRank, int seqLen, double expertImbalance) {
        return operations(t, cost, strategy, extend(tokensPerRank, seqLen), expertImbalance);
    }

    /** What the operations of {@link #decode} cost on their own, summed (see {@link #operations}). */
    public static StageCost decodeOperations(InstanceTopology t, InstanceCostModel cost, MetadataStrategy strategy,
                                             int requestsPerRank, int context, double expertImbalance) {
        return operations(t, cost, strategy, RankBatch.decode(requestsPerRank, (long) requestsPerRank * context),
                expertImbalance);
    }

    private static RankBatch extend(int tokensPerRank, int seqLen) {
        int n = Math.max(1, (tokensPerRank + seqLen - 1) / seqLen);
        int[] lens = new int[n];
        Arrays.fill(lens, seqLen);
        lens[n - 1] = tokensPerRank - seqLen * (n - 1);
        return new RankBatch(ForwardKind.EXTEND, lens, new int[n], 0, 0);
    }

    /**
     * Every operation of the pass costed on its own micro-batch and summed, split by what bounds it:
     * the work of the iteration before two-batch overlap hides any of it. Under TBO the MoE layers
     * run on the two children, each at its own expected expert load. Kernel launches cost what they
     * cost in or out of a CUDA graph, as the forward pass would run.
     */
    private static StageCost operations(InstanceTopology t, InstanceCostModel instanceCost, MetadataStrategy strategy,
                                        RankBatch batch, double expertImbalance) {
        RankBatch[] batches = new RankBatch[t.dpSize()];
        Arrays.fill(batches, batch);
        BatchShape parent = ForwardPass.shape(batches, expertImbalance);
        boolean tbo = new ForwardPass(t, instanceCost, strategy).tboEngages(batches);
        InstanceCostModel cost = new CudaGraphReplay(t).replays(batches, tbo) ? instanceCost : instanceCost.eager();
        TboStagePlan plan = TboStagePlan.of(t.architecture(), batch.kind() == ForwardKind.EXTEND);
        List<BatchShape> moeShapes = tbo ? List.of(childShape(batches, true, cost, expertImbalance),
                childShape(batches, false, cost, expertImbalance)) : List.of(parent);
        StageCost total = cost.outsideLayers(parent);
        for (var layer : t.layers()) {
            if (!layer.sparse()) {
                for (LayerStage stage : List.of(LayerStage.COMM_PREPARE_ATTN, LayerStage.ATTN_PREPARE, LayerStage.ATTN_CORE,
                        LayerStage.COMM_PREPARE_MLP, LayerStage.DENSE_MLP, LayerStage.COMM_POSTPROCESS_LAYER)) {
                    total = total.plus(cost.stageCost(stage, false, parent));
                }
                continue;
            }
            for (BatchShape shape : moeShapes) {
                for (LayerStage stage : plan.stages()) {
                    total = total.plus(cost.stageCost(stage, true, shape));
                }
            }
        }
        return total;
    }

    /** A TBO child of an even batch, at the expected expert load of its own tokens. */
    private static BatchShape childShape(RankBatch[] batches, boolean first, InstanceCostModel cost, double parentImbalance) {
        RankBatch[] child = new RankBatch[batches.length];
        long tokens = 0;
        for (int r = 0; r < batches.length; r++) {
            child[r] = batches[r].child(first);
            tokens += child[r].tokens();
        }
        double parentMean = cost.expertImbalanceMean(ForwardPass.shape(batches, 1).totalTokens());
        double imbalance = cost.expertParallel() && tokens > 0
                ? Math.max(1.0, parentImbalance * cost.expertImbalanceMean(tokens) / parentMean) : parentImbalance;
        return ForwardPass.shape(child, imbalance);
    }

    private static ForwardResult run(InstanceTopology t, InstanceCostModel cost, MetadataStrategy strategy,
                                     RankBatch batch, double expertImbalance) {
        RankBatch[] batches = new RankBatch[t.dpSize()];
        Arrays.fill(batches, batch);
        return new ForwardPass(t, cost, strategy).run(batches, true, expertImbalance);
    }
}

package dev.pdsim.cost;

import dev.pdsim.cluster.LayerStage;
import dev.pdsim.model.BatchShape;
import dev.pdsim.model.Resource;

/**
 * Times of the pieces of one instance's forward passes. One object per instance, because every
 * figure depends on its parallel layout. Implementations must be pure functions of their inputs
 * (the simulator relies on that for determinism and memoisation).
 */
public interface InstanceCostModel {

    /** Time of one operation of a layer on a micro-batch, split by what bounds it, with its work. */
    StageCost stageCost(LayerStage stage, boolean moeLayer, BatchShape shape);

    /** Time of one operation of a layer on a micro-batch, in nanoseconds. */
    default long stageNs(LayerStage stage, boolean moeLayer, BatchShape shape) {
        return stageCost(stage, moeLayer, shape).totalNs();
    }

    /** Whether experts are spread over ranks (DeepEP or EP MoE), so expert load imbalance matters. */
    boolean expertParallel();

    /**
     * Expected tokens of the busiest expert-parallel rank over the mean rank in a MoE layer of a
     * step that routes {@code batchTokens} tokens over all DP ranks (1 without expert parallelism).
     */
    double expertImbalanceMean(long batchTokens);

    /** Spread (log-normal sigma) of that load factor from one iteration to the next. */
    double expertImbalanceSigma();

    /**
     * Whether the operation only starts a transfer (DeepEP's dispatch_a / combine_a): the child goes
     * on computing and the matching *_b operation waits for the transfer to end.
     */
    boolean startsTransfer(LayerStage stage);

    /**
     * How long the CPU is held after launching this operation once the GPU has caught up with
     * everything launched before it (DeepEP normal dispatch waits on the host for the receive
     * counts); 0 for operations that do not block the CPU.
     */
    long cpuHoldAfterLaunch(LayerStage stage);

    /**
     * The costs of operations inside a prefill two-batch-overlap region, where SGLang caps the SMs
     * DeepGEMM kernels may use to those DeepEP leaves free (this model itself when nothing is capped).
     */
    InstanceCostModel inPrefillTboRegion();

    /**
     * The costs of a forward that runs without a CUDA graph, every kernel launched from Python
     * (this model itself when the instance captures no graphs): a decode batch no captured graph
     * can run (srt/model_executor/cuda_graph_runner.py:341-392) pays these.
     */
    InstanceCostModel eager();

    /** Which resource the operation occupies (for two-batch overlap). */
    Resource resourceOf(LayerStage stage);

    /** The MLP-sync all-gather over the CPU group: {@code int64PerRank} values from every rank. */
    long mlpSyncNs(int int64PerRank);

    /** Work outside the decoder layers: scheduling, embedding, final norm, logits and sampling. */
    StageCost outsideLayers(BatchShape shape);

    default long outsideLayersNs(BatchShape shape) {
        return outsideLayers(shape).totalNs();
    }
}

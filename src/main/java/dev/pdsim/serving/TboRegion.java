package dev.pdsim.serving;

import dev.pdsim.cluster.BatchStateRead;
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
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The two-batch-overlap region of a forward pass: both children's operations of all MoE layers,
 * cut into stages at the yield points and launched A, B, A, B, ... (child B {@code delay} stages
 * late). Each operation starts when its child's previous operation has ended and its resource (SMs
 * or network) is free.
 *
 * <p>A child fails at the first operation, in its own order, that reads batch state its
 * {@code filter_batch} left out (srt/two_batch_overlap.py:349-380) or an attribute of the MoE block
 * that exists only with DeepEP ({@link SglangModelCode}): which state each
 * operation reads comes from the layer's scatter modes ({@link LayerScatterModes#readOf}), what a
 * child carries from the metadata strategy. Layers 4 to 59 of DeepSeek-V3 read the same state, so
 * only the first MoE layer, one middle layer and the last are looked at.
 *
 * <p>It runs every forward pass of a TBO server, so what does not change between passes (each
 * operation's traits, the launch order) is worked out once, and the children's state is reset
 * rather than allocated anew.
 */
final class TboRegion {
    private final InstanceTopology topology;
    private final InstanceCostModel cost;
    private final MetadataStrategy strategy;
    private final boolean moeDenseTpSizeOne;
    private final int firstMoe;
    private final int moeLayers;
    private final TboStagePlan prefillPlan;
    private final TboStagePlan decodePlan;
    /** The model's SGLang classes, for what a failing child raises and where. */
    private final SglangModelCode code;
    private Schedule prefillSchedule;
    private Schedule decodeSchedule;
    private final Child a;
    private final Child b;
    /** Each rank's TBO split index in the current pass. */
    private final int[] splitIndex;
    private final long[] resourceFreeNs = new long[Resource.values().length];
    /** Time before which the (single) CPU thread cannot launch the next operation. */
    private long cpuReadyNs;
    private long endNs;
    private ForwardFailure failure;
    private ForwardKind mode;
    /** Whether this pass serves a batch or runs before a CUDA-graph capture (for the failure's call path). */
    private SglangCallPath.Entry launchedFrom;
    private final LayerRepeat repeat = new LayerRepeat(Resource.values().length);

    /** One operation of a MoE layer in the plan's order, with what the overlap needs to know of it. */
    private record Op(LayerStage stage, Resource resource, boolean startsTransfer, boolean awaitsTransfer,
                      long cpuHoldNs) {
    }

    /**
     * A TBO plan as this server runs it: its operations, the order in which the children's stages
     * launch, and per operation the state it reads in the first MoE layer, the middle ones and the
     * last. In the launch order, from {@code alternateFrom} to {@code alternateTo} the children
     * alternate, each {@code layerEntries} entries taking both one layer further.
     */
    private record Schedule(Op[] ops, int[] launchOrder, BatchStateRead[] firstReads, BatchStateRead[] middleReads,
                            BatchStateRead[] lastReads, int alternateFrom, int alternateTo, int layerEntries) {
    }

    /** One child micro-batch: its per-rank tokens and costs for this pass, and how far it has got. */
    private static final class Child {
        final String name;
        final boolean first;
        /** Its figures over the ranks, folded without building the per-rank child batches. */
        final BatchShapeFold fold = new BatchShapeFold();
        /** Per operation of one MoE layer (every MoE layer costs the same). */
        final long[] opNs;
        /** Rewritten each pass: a failure keeps a copy. */
        final long[] tokens;
        BatchShape shape;
        CollectiveResult check;
        /** The child's gathered_buffer rows per rank, null when None. */
        long[] bufferRows;
        /** Where the child first reads missing state: absolute layer (-1 if nowhere) and operation index. */
        int failLayer;
        int failOp;
        /** Rows its DP gather corrupts in this pass; 0 when it runs no gather or fails before one. */
        long corruptedRows;
        int layer;
        int op;
        boolean stopped;
        long readyNs;
        long transferDoneNs;

        Child(String name, boolean first, int dp, int maxOps) {
            this.name = name;
            this.first = first;
            this.tokens = new long[dp];
            this.opNs = new long[maxOps];
        }

        /** Back to its first operation, ready at {@code startNs}. */
        void rewind(long startNs) {
            layer = 0;
            op = 0;
            stopped = false;
            readyNs = startNs;
            transferDoneNs = startNs;
        }

        /** Moves the cursor one operation on, wrapping to the next layer. */
        void advance(int opsPerLayer) {
            op++;
            if (op == opsPerLayer) {
                op = 0;
                layer++;
            }
        }

        boolean anyTokens() {
            for (long t : tokens) {
                if (t > 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The region's times (CPU, both resources, the end, each child's ready and transfer-done times)
     * at the start of one layer's launches, to tell when the next layer's have moved every one of
     * them by the same amount.
     */
    private static final class LayerRepeat {
        final long[] previous;
        final long[] current;
        int previousLayerA;
        int previousOpA;
        int previousLayerB;
        int previousOpB;
        boolean havePrevious;

        LayerRepeat(int resources) {
            previous = new long[resources + 6];
            current = new long[resources + 6];
        }

        void reset() {
            havePrevious = false;
        }
    }

    TboRegion(InstanceTopology topology, InstanceCostModel cost, MetadataStrategy strategy, int firstMoe) {
        this.topology = topology;
        this.cost = cost;
        this.strategy = strategy;
        this.moeDenseTpSizeOne = Integer.valueOf(1).equals(topology.args().moeDenseTpSize());
        this.firstMoe = firstMoe;
        this.moeLayers = topology.layers().size() - firstMoe;
        this.prefillPlan = TboStagePlan.of(topology.architecture(), true);
        this.decodePlan = TboStagePlan.of(topology.architecture(), false);
        this.code = SglangModelCode.of(topology.architecture());
        int maxOps = Math.max(prefillPlan.stages().size(), decodePlan.stages().size());
        this.a = new Child("A", true, topology.dpSize(), maxOps);
        this.b = new Child("B", false, topology.dpSize(), maxOps);
        this.splitIndex = new int[topology.dpSize()];
    }

    /**
     * Runs the region from {@code startNs} at the costs of {@code forwardCost} (with or without a
     * CUDA graph); then {@link #endNs}, {@link #failure} and {@link #corruptedRows} tell how it went.
     */
    void run(RankBatch[] batches, BatchShape parent, long startNs, List<StageSpan> spans, double expertImbalance,
             InstanceCostModel forwardCost, SglangCallPath.Entry entry) {
        boolean prefill = batches[0].kind() == ForwardKind.EXTEND;
        this.mode = prefill ? ForwardKind.EXTEND : ForwardKind.DECODE;
        this.launchedFrom = entry;
        Schedule schedule = schedule(prefill);
        double parentMean = cost.expertParallel() ? cost.expertImbalanceMean(parent.totalTokens()) : 1.0;
        for (int r = 0; r < batches.length; r++) {
            splitIndex[r] = batches[r].tboSplitIndex();
        }
        split(batches, a);
        split(batches, b);
        a.shape = a.fold.shape(childImbalance(expertImbalance, parentMean, a.tokens));
        b.shape = b.fold.shape(childImbalance(expertImbalance, parentMean, b.tokens));
        a.bufferRows = strategy.childBufferRows(a.tokens, moeDenseTpSizeOne);
        b.bufferRows = strategy.childBufferRows(b.tokens, moeDenseTpSizeOne);
        a.check = gatherCheck(a);
        b.check = gatherCheck(b);
        locateFailure(a, schedule);
        locateFailure(b, schedule);
        // Only SGLang's prefill operations strategy caps DeepGEMM's SMs; the decode one does not.
        InstanceCostModel opCost = prefill ? forwardCost.inPrefillTboRegion() : forwardCost;
        for (int i = 0; i < schedule.ops().length; i++) {
            Op op = schedule.ops()[i];
            a.opNs[i] = opCost.stageNs(op.stage(), true, a.shape);
            b.opNs[i] = opCost.stageNs(op.stage(), true, b.shape);
        }
        cpuReadyNs = startNs;
        Arrays.fill(resourceFreeNs, startNs);
        endNs = startNs;
        failure = null;
        a.rewind(startNs);
        b.rewind(startNs);
        // A failing child's layer matters, and spans are wanted one by one: then no layer is skipped.
        boolean mayRepeat = spans == null && a.failLayer < 0 && b.failLayer < 0;
        repeat.reset();
        int[] order = schedule.launchOrder();
        for (int i = 0; i < order.length; i++) {
            if (mayRepeat && i >= schedule.alternateFrom() && (i - schedule.alternateFrom()) % schedule.layerEntries() == 0) {
                int skipped = skipRepeatedLayers(schedule, i, startNs);
                i += skipped * schedule.layerEntries();
                mayRepeat = skipped == 0;
            }
            runToYield(order[i] == 0 ? a : b, schedule.ops(), spans);
        }
        if (failure != null && spans != null) {
            long cut = failure.offsetNs();
            spans.removeIf(sp -> sp.startNs() >= cut);
        }
    }

    /**
     * Every MoE layer runs the same operations at the same costs, and a launch only takes maxima of
     * times and adds durations: once one layer's launches have moved every time of the region by
     * the same amount, each further layer's move them by that amount again. So the middle layers
     * are skipped in one step, exactly; the last two run as usual. A time still at the region's
     * start has never been set (an idle resource): it stays, being earlier than anything it meets.
     *
     * @param entry an index of the launch order where both children begin a layer
     * @return layers skipped (0 while the layers do not repeat yet)
     */
    private int skipRepeatedLayers(Schedule schedule, int entry, long startNs) {
        long[] now = repeat.current;
        now[0] = cpuReadyNs;
        now[1] = endNs;
        now[2] = a.readyNs;
        now[3] = a.transferDoneNs;
        now[4] = b.readyNs;
        now[5] = b.transferDoneNs;
        System.arraycopy(resourceFreeNs, 0, now, 6, resourceFreeNs.length);
        boolean repeats = repeat.havePrevious && a.layer == repeat.previousLayerA + 1 && a.op == repeat.previousOpA
                && b.layer == repeat.previousLayerB + 1 && b.op == repeat.previousOpB;
        long step = 0;
        if (repeats) {
            for (int k = 0; k < now.length; k++) {
                step = Math.max(step, now[k] - repeat.previous[k]);
            }
            for (int k = 0; k < now.length && repeats; k++) {
                long moved = now[k] - repeat.previous[k];
                repeats = moved == step || moved == 0 && now[k] == startNs;
            }
        }
        int layers = Math.min((schedule.alternateTo() - entry) / schedule.layerEntries(),
                moeLayers - Math.max(a.layer, b.layer)) - 2;
        if (!repeats || layers <= 0) {
            System.arraycopy(now, 0, repeat.previous, 0, now.length);
            repeat.previousLayerA = a.layer;
            repeat.previousOpA = a.op;
            repeat.previousLayerB = b.layer;
            repeat.previousOpB = b.op;
            repeat.havePrevious = true;
            return 0;
        }
        long shift = step * layers;
        cpuReadyNs = shifted(cpuReadyNs, shift, startNs);
        endNs = shifted(endNs, shift, startNs);
        a.readyNs = shifted(a.readyNs, shift, startNs);
        a.transferDoneNs = shifted(a.transferDoneNs, shift, startNs);
        b.readyNs = shifted(b.readyNs, shift, startNs);
        b.transferDoneNs = shifted(b.transferDoneNs, shift, startNs);
        for (int r = 0; r < resourceFreeNs.length; r++) {
            resourceFreeNs[r] = shifted(resourceFreeNs[r], shift, startNs);
        }
        a.layer += layers;
        b.layer += layers;
        return layers;
    }

    private static long shifted(long time, long shift, long startNs) {
        return time == startNs ? time : time + shift;
    }

    /** When the last operation of the region ends (the failure's time decides when one stops the pass). */
    long endNs() {
        return endNs;
    }

    /** The failing operation that starts first, or null. */
    ForwardFailure failure() {
        return failure;
    }

    long corruptedRows() {
        return a.corruptedRows + b.corruptedRows;
    }

    private Schedule schedule(boolean prefill) {
        if (prefill) {
            if (prefillSchedule == null) {
                prefillSchedule = buildSchedule(prefillPlan);
            }
            return prefillSchedule;
        }
        if (decodeSchedule == null) {
            decodeSchedule = buildSchedule(decodePlan);
        }
        return decodeSchedule;
    }

    private Schedule buildSchedule(TboStagePlan plan) {
        List<LayerStage> stages = plan.stages();
        Op[] ops = new Op[stages.size()];
        for (int i = 0; i < ops.length; i++) {
            LayerStage s = stages.get(i);
            ops[i] = new Op(s, cost.resourceOf(s), cost.startsTransfer(s),
                    s == LayerStage.DISPATCH_B || s == LayerStage.COMBINE_B, cost.cpuHoldAfterLaunch(s));
        }
        // A plan that ends in a yield (Qwen3-MoE's decode) leaves no stage after the last layer's.
        int stagesTotal = moeLayers * (int) plan.yieldPoints() + (stages.get(stages.size() - 1) == LayerStage.YIELD ? 0 : 1);
        int last = topology.layers().size() - 1;
        int delay = plan.childBDelay();
        return new Schedule(ops, launchOrder(stagesTotal, delay), readsOf(stages, firstMoe),
                readsOf(stages, Math.min(firstMoe + 1, last)), readsOf(stages, last), delay,
                delay + 2 * (stagesTotal - delay), 2 * (int) plan.yieldPoints());
    }

    private BatchStateRead[] readsOf(List<LayerStage> stages, int layer) {
        LayerScatterModes modes = topology.layers().get(layer);
        BatchStateRead[] reads = new BatchStateRead[stages.size()];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = modes.readOf(stages.get(i));
        }
        return reads;
    }

    /** The first operation, in the child's own order, whose read fails; the child's {@code failLayer} stays -1 if none does. */
    private void locateFailure(Child child, Schedule schedule) {
        child.failLayer = -1;
        child.corruptedRows = 0;
        int last = firstMoe + moeLayers - 1;
        boolean failsInFirst = findIn(child, schedule, schedule.firstReads(), firstMoe);
        int gather = dpGatherIndex(schedule.firstReads());
        if (gather >= 0 && !(failsInFirst && child.failOp <= gather)) {
            child.corruptedRows = child.check.corruptedRows();
        }
        if (failsInFirst || moeLayers == 1) {
            return;
        }
        if (moeLayers > 2 && findIn(child, schedule, schedule.middleReads(), firstMoe + 1)) {
            return;
        }
        findIn(child, schedule, schedule.lastReads(), last);
    }

    private static int dpGatherIndex(BatchStateRead[] reads) {
        for (int i = 0; i < reads.length; i++) {
            if (reads[i] == BatchStateRead.DP_GATHER || reads[i] == BatchStateRead.RESIDUAL_GATHER_AND_DP_GATHER) {
                return i;
            }
        }
        return -1;
    }

    private boolean findIn(Child child, Schedule schedule, BatchStateRead[] reads, int layer) {
        for (int i = 0; i < reads.length; i++) {
            if (readFails(child, reads[i], schedule.ops()[i].stage())) {
                child.failLayer = layer;
                child.failOp = i;
                return true;
            }
        }
        return false;
    }

    private boolean readFails(Child child, BatchStateRead read, LayerStage stage) {
        return switch (read) {
            case NONE -> false;
            case GATHERED_BUFFER_SLICE -> child.bufferRows == null;
            case DP_GATHER -> child.check.raised() || child.check.hung();
            case RESIDUAL_GATHER_AND_DP_GATHER, DP_SCATTER -> child.bufferRows == null || child.check.raised()
                    || child.check.hung();
            // A rank with tokens raises in op_select_experts; in DeepSeek one without skips to op_dispatch_a
            // (deepseek_v2.py:522-546), in Qwen3-MoE it raises there too (qwen3_moe.py:254-278).
            case DEEPEP_MOE_ATTRIBUTES -> stage != LayerStage.SELECT_EXPERTS || child.anyTokens()
                    || code.emptyChildReadsIt();
        };
    }

    /** The child's tokens per rank and its folded figures, at each rank's {@link #splitIndex}. */
    private void split(RankBatch[] batches, Child child) {
        child.fold.reset();
        for (int r = 0; r < batches.length; r++) {
            child.tokens[r] = batches[r].addChildTo(child.fold, child.first, splitIndex[r]);
        }
    }

    /** Whether the sizes the last {@link #run} computed agree across the DP group; null when they do. */
    CollectiveSizes.Mismatch collectiveSizeMismatch(RankBatch[] batches) {
        return CollectiveSizes.check(batches, a.tokens, b.tokens, a.check, b.check);
    }

    private CollectiveResult gatherCheck(Child child) {
        return topology.dpSize() > 1 && topology.args().enableDpAttention()
                ? DpGatherCheck.run(strategy, child.tokens, strategy.childGlobalCounts(child.tokens), child.bufferRows)
                : CollectiveResult.CLEAN;
    }

    /** Runs a child's operations up to (and past) its next yield point. */
    private void runToYield(Child child, Op[] ops, List<StageSpan> spans) {
        while (child.layer < moeLayers && !child.stopped) {
            int i = child.op;
            int layer = firstMoe + child.layer;
            Op op = ops[i];
            child.advance(ops.length);
            if (op.stage() == LayerStage.YIELD) {
                return;
            }
            launch(child, op, i, layer, spans);
        }
    }

    private void launch(Child child, Op op, int opIndex, int layer, List<StageSpan> spans) {
        long d = child.opNs[opIndex];
        int resource = op.resource().ordinal();
        // An operation with nothing to do (e.g. a communicator step between equal modes)
        // does not queue behind the other child's work on that resource.
        long begin = Math.max(cpuReadyNs, d == 0 ? child.readyNs : Math.max(child.readyNs, resourceFreeNs[resource]));
        if (op.awaitsTransfer()) {
            begin = Math.max(begin, child.transferDoneNs);
        }
        if (layer == child.failLayer && opIndex == child.failOp) {
            ForwardFailure f = failureOf(child, begin, layer, op.stage(), readAt(layer, opIndex));
            // A raise happens on the one CPU thread that launches the operations in this order, so
            // of two raises the first launched is the one Python reports. Between a hang and a
            // raise, the one that starts first. ASSUMPTION: a hung collective also stops the
            // launching thread (a host sync behind it); if NCCL's asynchronous launch let the thread
            // run on, a raise launched later would surface instead, which reading the fallback's
            // host syncs in srt/layers/dp_attention.py would settle.
            boolean bothRaise = failure != null && !failure.hang() && !f.hang();
            if (failure == null || (!bothRaise && begin < failure.offsetNs())) {
                failure = f;
            }
            child.stopped = true;
            return;
        }
        if (failure != null && begin >= failure.offsetNs()) {
            return;
        }
        long finishAt = begin + d;
        if (d > 0) {
            resourceFreeNs[resource] = finishAt;
        }
        if (op.startsTransfer()) {
            // DeepEP's *_a starts a transfer and returns; the child computes on until *_b waits.
            child.transferDoneNs = finishAt;
            child.readyNs = begin;
            if (op.cpuHoldNs() > 0) {
                // The CPU waits for the receive counts, which come only after the GPU has run
                // everything launched before (the transfer itself began behind the other
                // child's on the one comm stream): nothing further is launched until then.
                cpuReadyNs = Math.max(cpuReadyNs,
                        Math.max(resourceFreeNs[Resource.COMPUTE.ordinal()], begin) + op.cpuHoldNs());
            }
        } else {
            child.readyNs = finishAt;
        }
        endNs = Math.max(endNs, finishAt);
        if (spans != null) {
            spans.add(new StageSpan(layer, op.stage(), child.name, begin, finishAt, op.resource()));
        }
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

    private BatchStateRead readAt(int layer, int opIndex) {
        Schedule schedule = schedule(mode == ForwardKind.EXTEND);
        BatchStateRead[] reads = layer == firstMoe ? schedule.firstReads()
                : layer == firstMoe + moeLayers - 1 ? schedule.lastReads() : schedule.middleReads();
        return reads[opIndex];
    }

    /** What the first failing read of a child raises, on which ranks, or the hang it causes. */
    private ForwardFailure failureOf(Child child, long at, int layer, LayerStage stage, BatchStateRead read) {
        List<Integer> all = new ArrayList<>(child.tokens.length);
        for (int r = 0; r < child.tokens.length; r++) {
            all.add(r);
        }
        boolean sliceFirst = read == BatchStateRead.GATHERED_BUFFER_SLICE || read == BatchStateRead.DP_SCATTER
                || read == BatchStateRead.RESIDUAL_GATHER_AND_DP_GATHER;
        if (sliceFirst && child.bufferRows == null) {
            return new ForwardFailure(false, at, layer, stage, child.name, all, MetadataStrategy.NOT_SUBSCRIPTABLE_ERROR,
                    child.tokens.clone(), SglangCallPath.of(code, launchedFrom, mode, stage, read, SglangCallPath.Failing.BUFFER_SLICE));
        }
        if (read == BatchStateRead.DEEPEP_MOE_ATTRIBUTES) {
            return moeAttributeFailure(child, at, layer, stage, read, all);
        }
        CollectiveResult check = child.check;
        if (check.raised()) {
            SglangCallPath.Failing failing = MetadataStrategy.NO_FILL_ERROR.equals(check.error())
                    ? SglangCallPath.Failing.DP_GATHER_BUFFER : SglangCallPath.Failing.COUNTS;
            return new ForwardFailure(false, at, layer, stage, child.name, check.raisingRanks(), check.error(),
                    child.tokens.clone(), SglangCallPath.of(code, launchedFrom, mode, stage, read, failing));
        }
        return new ForwardFailure(true, at, layer, stage, child.name, all,
                "hang: DP ranks disagree on the all-reduce length " + describeLengths(check.bufferLengths())
                        + "; NCCL waits for rows that are never sent", child.tokens.clone(),
                SglangCallPath.of(code, launchedFrom, mode, stage, read, SglangCallPath.Failing.DP_GATHER_BUFFER));
    }

    /**
     * Without DeepEP every rank raises in the same stage: those whose child has tokens in
     * {@code op_select_experts} (DeepSeek: {@code self.renormalize}), those whose child is empty in
     * {@code op_dispatch_a} ({@code self.ep_size}), srt/models/deepseek_v2.py:522-546; in Qwen3-MoE
     * every rank in {@code op_select_experts} ({@code self.top_k}), srt/models/qwen3_moe.py:254-278.
     */
    private ForwardFailure moeAttributeFailure(Child child, long at, int layer, LayerStage stage, BatchStateRead read,
                                               List<Integer> all) {
        int withTokens = 0;
        for (long t : child.tokens) {
            withTokens += t > 0 ? 1 : 0;
        }
        int empty = child.tokens.length - withTokens;
        String error;
        String epSizeError = code.attributeError("ep_size");
        if (stage == LayerStage.SELECT_EXPERTS) {
            error = code.attributeError(code.selectExpertsAttribute())
                    + (empty == 0 || code.emptyChildReadsIt() ? "" : " (" + withTokens + " of " + child.tokens.length
                    + " DP ranks; the " + empty + " whose child " + child.name + " is empty raise "
                    + epSizeError + " in op_dispatch_a)");
        } else {
            error = epSizeError;
        }
        return new ForwardFailure(false, at, layer, stage, child.name, all, error, child.tokens.clone(),
                SglangCallPath.of(code, launchedFrom, mode, stage, read, SglangCallPath.Failing.MOE_ATTRIBUTE));
    }

    private static String describeLengths(long[] lengths) {
        TreeMap<Long, Integer> byLength = new TreeMap<>();
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
}

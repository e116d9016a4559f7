package dev.pdsim.model.cost;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cluster.LayerScatterModes;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.cluster.ScatterMode;
import dev.pdsim.cluster.Transition;
import dev.pdsim.model.BatchShape;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.ModelSpec;
import dev.pdsim.model.Resource;
import dev.pdsim.scenario.ServerArgs;

/**
 * A first-order cost model: every operation takes the larger of its FLOPs over the achieved
 * compute rate and its bytes over the achieved HBM rate, plus a kernel-launch overhead; every
 * collective takes a latency term plus its bytes over the slowest link it crosses. The constants
 * are deliberately simple, documented below; a calibrated model replaces this one behind
 * {@link CostModel}.
 */
public final class RooflineCostModel implements CostModel {
    /** Share of peak FP8/BF16 throughput that large GEMMs achieve (DeepGEMM: ~1,550 of 1,979 TFLOPS). */
    static final double COMPUTE_EFFICIENCY = 0.6;
    /** Share of peak HBM bandwidth that memory-bound kernels achieve (FlashMLA: ~3.0 of 3.35 TB/s). */
    static final double MEMORY_EFFICIENCY = 0.85;
    /** Share of link bandwidth that NCCL collectives achieve. */
    static final double LINK_EFFICIENCY = 0.75;
    /** Launch cost of one kernel without CUDA graphs; with graphs it mostly disappears. */
    static final long LAUNCH_NS = 4_000;
    static final long GRAPH_LAUNCH_NS = 300;
    /** Per-hop latency of a GPU collective inside a node and across nodes. */
    static final long NVLINK_HOP_NS = 5_000;
    static final long IB_HOP_NS = 10_000;
    /** Gloo (CPU) collective: per-step latency and per-node TCP cost. */
    static final long GLOO_STEP_NS = 30_000;
    static final long GLOO_NODE_NS = 25_000;
    /** Scheduler work per iteration (batch building, bookkeeping), outside the GPU. */
    static final long SCHEDULER_NS = 400_000;
    /** Mooncake transfer: setup per request, and the share of one 400 Gb/s NIC a transfer gets. */
    static final long KV_TRANSFER_SETUP_NS = 200_000;
    static final double KV_TRANSFER_EFFICIENCY = 0.8;
    /** Kernels per operation, for launch overhead. */
    static final int KERNELS_PER_OP = 2;

    private final ModelSpec model;
    private final HardwareProfile hw;

    public RooflineCostModel(ModelSpec model, HardwareProfile hardware) {
        this.model = model;
        this.hw = hardware;
    }

    @Override
    public InstanceCostModel forInstance(InstanceTopology topology) {
        return new Instance(topology);
    }

    @Override
    public long kvTransferNs(long bytes) {
        double bytesPerNs = hw.nicGbps() / 8.0 * KV_TRANSFER_EFFICIENCY; // GB/s == bytes/ns
        return KV_TRANSFER_SETUP_NS + (long) Math.ceil(bytes / bytesPerNs);
    }

    private final class Instance implements InstanceCostModel {
        private final ServerArgs args;
        private final int tp;
        private final int attnTp;
        private final int nodes;
        private final int world;
        private final boolean deepEp;
        private final int moeShards;
        private final long launchNs;
        private final LayerScatterModes moeLayer;
        private final LayerScatterModes denseLayer;
        private final double computeBytesPerNs;
        private final double hbmBytesPerNs;

        Instance(InstanceTopology t) {
            this.args = t.args();
            this.tp = args.tpSize();
            this.attnTp = t.attnTpSize();
            this.nodes = t.nodes();
            this.world = t.gpus();
            this.deepEp = args.enableDeepepMoe();
            this.moeShards = Math.max(t.epSize(), tp);
            this.launchNs = args.disableCudaGraph() ? LAUNCH_NS : GRAPH_LAUNCH_NS;
            this.moeLayer = t.layers().get(model.firstKDenseReplace());
            this.denseLayer = t.layers().get(0);
            this.computeBytesPerNs = hw.fp8Tflops() * 1e3 * COMPUTE_EFFICIENCY; // FLOP per ns
            this.hbmBytesPerNs = hw.hbmTBps() * 1e3 * MEMORY_EFFICIENCY; // bytes per ns
        }

        @Override
        public Resource resourceOf(LayerStage stage) {
            return switch (stage) {
                case COMM_PREPARE_ATTN, COMM_PREPARE_MLP, COMM_POSTPROCESS_LAYER, DISPATCH_A, DISPATCH_B, COMBINE_A,
                        COMBINE_B -> Resource.COMM;
                default -> Resource.COMPUTE;
            };
        }

        @Override
        public long stageNs(LayerStage stage, boolean moe, BatchShape s) {
            if (s.isEmpty() && stage != LayerStage.COMM_PREPARE_MLP && stage != LayerStage.COMM_POSTPROCESS_LAYER) {
                // An empty micro-batch launches nothing but still joins the collectives.
                return 0;
            }
            LayerScatterModes layer = moe ? moeLayer : denseLayer;
            long mlpTokens = layer.mlp() == ScatterMode.FULL ? s.totalTokens() : s.maxRankTokens();
            double h = model.hiddenSize();
            return switch (stage) {
                case COMM_PREPARE_ATTN -> communication(layer.prepareAttn(), s);
                case ATTN_PREPARE -> gemm(s.maxRankTokens(), attnPrepareParams() / attnTp);
                case ATTN_CORE -> attentionCore(s);
                case COMM_PREPARE_MLP -> communication(layer.prepareMlp(), s);
                case GATE -> gemm(mlpTokens, (long) (h * model.routedExperts()));
                case SELECT_EXPERTS -> launchNs + 5_000;
                case DISPATCH_A, DISPATCH_B -> deepEp ? allToAll(s.maxRankTokens() * (long) model.topK() * (long) h / 2) : 0;
                case COMBINE_A -> deepEp ? allToAll(s.maxRankTokens() * (long) model.topK() * (long) h)
                        // Tensor-parallel experts leave partial sums: an all-reduce over the TP group.
                        : allReduce(mlpTokens * (long) h * 2, tp, nodes);
                case COMBINE_B -> deepEp ? allToAll(s.maxRankTokens() * (long) model.topK() * (long) h) : 0;
                case EXPERTS -> routedExperts(mlpTokens, s);
                case SHARED_EXPERTS -> gemm(mlpTokens, model.expertParams() / (layer.mlp() == ScatterMode.FULL ? tp : 1));
                case OUTPUT -> launchNs + bytesNs(s.maxRankTokens() * h * 2);
                case COMM_POSTPROCESS_LAYER -> communication(layer.postprocessLayer(), s);
                case DENSE_MLP -> gemm(mlpTokens, model.denseMlpParams()
                        / (Integer.valueOf(1).equals(args.moeDenseTpSize()) ? 1 : tp));
                case YIELD -> 0;
            };
        }

        private long attnPrepareParams() {
            long qkHead = model.qkNopeHeadDim() + model.qkRopeHeadDim();
            return (long) model.hiddenSize() * model.qLoraRank()
                    + (long) model.qLoraRank() * model.numHeads() * qkHead
                    + (long) model.hiddenSize() * (model.kvLoraRank() + model.qkRopeHeadDim());
        }

        /** Attention scores and values, then the output projection. */
        private long attentionCore(BatchShape s) {
            double heads = (double) model.numHeads() / attnTp;
            long oProj = gemm(s.maxRankTokens(), (long) model.numHeads() * model.vHeadDim() * model.hiddenSize() / attnTp);
            if (s.kind() == ForwardKind.DECODE) {
                // FlashMLA on the latent cache: read every cached token once, absorbed heads of 576+512.
                double flops = 2.0 * s.maxRankAttendPairs() * heads * (model.kvLoraRank() * 2 + model.qkRopeHeadDim());
                double bytes = (double) s.maxRankAttendPairs() * model.kvBytesPerTokenPerLayer();
                return launchNs + (long) Math.max(flops / computeBytesPerNs, bytes / hbmBytesPerNs) + oProj;
            }
            // Prefill expands the latent KV (kv_b) and runs MHA over query x key pairs (BF16).
            double expand = 2.0 * s.maxRankTokens() * model.kvLoraRank() * heads * (model.qkNopeHeadDim() + model.vHeadDim());
            double scores = 2.0 * s.maxRankAttendPairs() * heads
                    * (model.qkNopeHeadDim() + model.qkRopeHeadDim() + model.vHeadDim());
            double bf16Rate = hw.bf16Tflops() * 1e3 * COMPUTE_EFFICIENCY;
            return launchNs + (long) ((expand + scores) / bf16Rate) + oProj;
        }

        private long routedExperts(long mlpTokens, BatchShape s) {
            long weightBytes = model.expertParams() * (model.routedExperts() + (deepEp ? args.epNumRedundantExperts() : 0))
                    / moeShards;
            // In FULL mode every rank computes its 1/tp slice of every expert for all tokens; with
            // DeepEP each rank computes whole experts for the tokens dispatched to it (balanced).
            double flops = deepEp ? 2.0 * s.maxRankTokens() * model.topK() * model.expertParams()
                    : 2.0 * mlpTokens * model.topK() * model.expertParams() / tp;
            return KERNELS_PER_OP * launchNs + (long) Math.max(flops / computeBytesPerNs, weightBytes / hbmBytesPerNs);
        }

        private long gemm(long tokens, long params) {
            double flops = 2.0 * tokens * params;
            double bytes = params + tokens * model.hiddenSize() * 2.0;
            return KERNELS_PER_OP * launchNs + (long) Math.max(flops / computeBytesPerNs, bytes / hbmBytesPerNs);
        }

        private long bytesNs(double bytes) {
            return (long) (bytes / hbmBytesPerNs);
        }

        private long communication(Transition t, BatchShape s) {
            double rowBytes = model.hiddenSize() * 2.0;
            return switch (t) {
                case NONE -> 0;
                case DP_GATHER -> allReduce((long) (s.totalTokens() * rowBytes), tp, nodes);
                case DP_SCATTER -> launchNs + bytesNs(s.maxRankTokens() * rowBytes);
                case ATTN_TP_ALL_REDUCE -> allReduce((long) (s.maxRankTokens() * rowBytes), attnTp, 1);
                case ATTN_TP_ALL_GATHER, ATTN_TP_REDUCE_SCATTER -> allReduce((long) (s.maxRankTokens() * rowBytes), attnTp, 1) / 2;
            };
        }

        /**
         * NCCL-style hierarchical all-reduce: reduce-scatter inside each node over NVLink, all-reduce
         * of each GPU's 1/g share across nodes over its own NIC (all NICs busy at once), all-gather
         * inside the node; a latency term per step.
         */
        private long allReduce(long bytes, int ranks, int spanNodes) {
            if (ranks <= 1) {
                return 0;
            }
            int perNode = Math.max(1, ranks / Math.max(spanNodes, 1));
            double nvlinkBytesPerNs = hw.nvlinkGBps() / 2.0 * LINK_EFFICIENCY;
            double nicBytesPerNs = hw.nicGbps() / 8.0 * LINK_EFFICIENCY;
            double intra = perNode > 1 ? 2.0 * (perNode - 1) / perNode * bytes / nvlinkBytesPerNs : 0;
            double inter = spanNodes > 1 ? 2.0 * (spanNodes - 1) / spanNodes * ((double) bytes / perNode) / nicBytesPerNs : 0;
            double steps = 2.0 * Math.ceil(Math.log(perNode) / Math.log(2)) * NVLINK_HOP_NS
                    + (spanNodes > 1 ? 2.0 * Math.ceil(Math.log(spanNodes) / Math.log(2)) * IB_HOP_NS : 0);
            return launchNs + (long) (steps + intra + inter);
        }

        /** DeepEP normal-mode all-to-all: share of traffic leaving the node goes over RDMA. */
        private long allToAll(long bytes) {
            double remoteShare = nodes > 1 ? (nodes - 1.0) / nodes : 0.0;
            double nvlink = hw.nvlinkGBps() / 2.0 * LINK_EFFICIENCY * 0.4; // ~155 GB/s achieved intranode
            double rdma = hw.nicGbps() / 8.0 * LINK_EFFICIENCY * 1.2; // ~45 GB/s achieved internode
            double t = bytes * (1 - remoteShare) / nvlink + bytes * remoteShare / rdma;
            return launchNs + (nodes > 1 ? IB_HOP_NS : NVLINK_HOP_NS) + (long) t;
        }

        @Override
        public long mlpSyncNs(int int64PerRank) {
            double steps = Math.ceil(Math.log(Math.max(world, 2)) / Math.log(2));
            long bytes = (long) int64PerRank * 8 * world;
            return (long) (steps * GLOO_STEP_NS) + nodes * GLOO_NODE_NS + bytes; // ~1 GB/s over TCP: 1 ns per byte
        }

        @Override
        public long outsideLayersNs(BatchShape s) {
            if (s.isEmpty()) {
                return SCHEDULER_NS / 4;
            }
            // Logits only for the last token of each request; vocab-parallel within the attention-TP group
            // with --enable-dp-lm-head (else within TP after a DP gather, costed the same here).
            int vocabShards = args.enableDpLmHead() ? attnTp : tp;
            long logits = gemm(s.maxRankRequests(), (long) model.vocabSize() * model.hiddenSize() / vocabShards);
            long embed = launchNs + bytesNs(s.maxRankTokens() * model.hiddenSize() * 2.0);
            return SCHEDULER_NS + embed + logits;
        }
    }
}

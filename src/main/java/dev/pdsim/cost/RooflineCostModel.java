package dev.pdsim.cost;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cluster.LayerScatterModes;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.cluster.ScatterMode;
import dev.pdsim.cluster.Transition;
import dev.pdsim.model.BatchShape;
import dev.pdsim.model.ExpertLoad;
import dev.pdsim.model.ExpertRouting;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.model.GqaAttention;
import dev.pdsim.model.GroupLimitedRouting;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.MlaAttention;
import dev.pdsim.model.ModelSpec;
import dev.pdsim.model.Resource;
import dev.pdsim.scenario.ServerArgs;

/**
 * The cost model: each GPU operation takes the larger of its FLOPs over an achieved compute rate
 * and its bytes over an achieved memory rate, plus kernel launches; each collective takes hop
 * latencies plus its bytes over the link it saturates. Achieved rates come from published kernels
 * ({@code hardware.yaml}); GEMM efficiency falls with the rows a GEMM gets, so splitting a small
 * batch in two costs, and only the slowest expert-parallel rank counts.
 *
 * <p>Two-batch overlap is not a factor here: each operation says which resource it occupies
 * ({@link Resource}) and the forward pass interleaves the two children on those resources.
 */
public final class RooflineCostModel implements CostModel {
    private static final double FP8_BYTES_WITH_SCALES = 1.03; // 128-element blocks carry a float scale
    private static final double FP8_BYTES = 1.0;
    /** Hidden states, attention tensors and expert outputs (combine) travel and rest as BF16. */
    private static final double BF16_BYTES = 2.0;

    private final ModelSpec model;
    private final HardwareProfile hw;
    private final HardwareProfile.Achieved rate;
    private final ExpertLoad expertLoad;

    public RooflineCostModel(ModelSpec model, HardwareProfile hardware) {
        this.model = model;
        this.hw = hardware;
        this.rate = hardware.achieved();
        this.expertLoad = new ExpertLoad(model, rate.expertPopularitySigma(), rate.expertDriftSigma());
    }

    @Override
    public InstanceCostModel forInstance(InstanceTopology topology) {
        return new Instance(topology, 1.0, topology.args().disableCudaGraph());
    }

    @Override
    public long kvTransferNs(long bytes) {
        return us(rate.kvTransferSetupUs()) + (long) Math.ceil(bytes / rate.kvTransferGbps()); // GB/s == bytes/ns
    }

    private static long us(double micros) {
        return Math.round(micros * 1e3);
    }

    private final class Instance implements InstanceCostModel {
        private final ServerArgs args;
        private final int tp;
        private final int attnTp;
        private final int nodes;
        private final int gpusPerNode;
        private final int world;
        private final boolean deepEp;
        private final boolean lowLatency;
        private final boolean expertParallel;
        private final int ep;
        private final double expertsPerRank;
        private final int redundantExperts;
        /** Whether kernels are launched one by one (no CUDA graph is replayed). */
        private final boolean eager;
        private final double launchNs;
        /** The views {@link #inPrefillTboRegion} and {@link #eager} return, built on first use. */
        private Instance prefillTboRegion;
        private Instance eagerView;
        /** Kernel time of a GEMM beyond its bytes or FLOPs (prologue, pipeline fill, tail). */
        private final double gemmFixedNs;
        private final LayerScatterModes moeLayer;
        private final LayerScatterModes denseLayer;
        /** DeepGEMM's dense and grouped rates on the SMs it may use (all of them outside a prefill TBO region). */
        private final double gemmFlopsPerNs;
        private final double groupedGemmFlopsPerNs;
        /** Batched GEMMs of MLA's absorbed projections (torch bmm, never capped). */
        private final double bmmFlopsPerNs;
        /**
         * The BF16 LM head's GEMM (torch matmul, never capped). ASSUMPTION: it reaches the same share of
         * the BF16 peak as DeepGEMM does of the FP8 peak; a cuBLAS BF16 benchmark would settle it.
         */
        private final double bf16GemmFlopsPerNs;
        /** Bytes of one quantised weight in the checkpoint's format, scales included. */
        private final double weightBytesPerParam;
        private final InstanceTopology topology;
        private final double deepGemmSmShare;
        private final double attentionFlopsPerNs;
        private final double flashmlaFlopsPerNs;
        /** DeepEP rates at this instance's EP size, [dispatch, combine]. */
        private final double[] lowLatencyUs;
        private final double[] lowLatencyFixedFraction;
        private final double[] normalRdmaGbps;
        private final double[] normalNvlinkGbps;
        /** Expected nodes and expert-parallel GPUs one token's experts span (group-limited routing). */
        private final double nodesReached;
        private final double gpusReached;
        private final double hbmBytesPerNs;
        private final DecodeKvTraffic decodeKv;

        /**
         * @param deepGemmSmShare the share of the SMs DeepGEMM kernels are launched on
         * @param eager           kernels launched one by one rather than replayed from a CUDA graph
         */
        Instance(InstanceTopology t, double deepGemmSmShare, boolean eager) {
            this.eager = eager;
            this.topology = t;
            this.deepGemmSmShare = deepGemmSmShare;
            this.args = t.args();
            this.tp = args.tpSize();
            this.attnTp = t.attnTpSize();
            this.nodes = t.nodes();
            this.world = t.gpus();
            this.gpusPerNode = Math.max(1, world / nodes);
            this.deepEp = args.enableDeepepMoe();
            this.lowLatency = deepEp && !args.deepEpNormalKernels();
            this.expertParallel = deepEp || args.enableEpMoe();
            this.ep = expertParallel ? Math.max(t.epSize(), 1) : 1;
            this.redundantExperts = expertParallel ? args.epNumRedundantExperts() : 0;
            this.expertsPerRank = (double) (model.routedExperts() + redundantExperts) / ep;
            this.launchNs = (eager ? rate.kernelLaunchUs() : rate.graphLaunchUs()) * 1e3;
            this.gemmFixedNs = rate.gemmFixedUs() * 1e3;
            this.moeLayer = t.layers().get(model.firstKDenseReplace());
            this.denseLayer = t.layers().get(0);
            // Kernel benchmarks' rates, derated to what a whole serving deployment sustains.
            double sustained = rate.sustainedComputeFraction();
            this.bmmFlopsPerNs = rate.fp8GemmTflops() * 1e3 * sustained;
            this.gemmFlopsPerNs = bmmFlopsPerNs * deepGemmSmShare;
            this.bf16GemmFlopsPerNs = bmmFlopsPerNs * hw.peak().bf16Tflops() / hw.peak().fp8Tflops();
            this.weightBytesPerParam = model.weights().bytesPerParam();
            this.groupedGemmFlopsPerNs = rate.fp8GroupedGemmTflops() * 1e3 * sustained * deepGemmSmShare;
            this.attentionFlopsPerNs = rate.attentionBf16Tflops() * 1e3 * sustained;
            this.flashmlaFlopsPerNs = rate.flashmlaTflops() * 1e3 * sustained;
            this.lowLatencyUs = rate.lowLatencyUs(ep).clone();
            this.lowLatencyFixedFraction = rate.lowLatencyFixedFraction(ep).clone();
            this.normalRdmaGbps = rate.normalRdmaGbps(ep).clone();
            // DeepEP's intranode figures are H800 measurements: this GPU's NVLink over H800's.
            double nvlinkRatio = hw.peak().nvlinkGbps() / rate.deepepMeasuredNvlinkGbps();
            this.normalNvlinkGbps = new double[] {rate.deepepNormalNvlinkGbps()[0] * nvlinkRatio,
                    rate.deepepNormalNvlinkGbps()[1] * nvlinkRatio};
            this.nodesReached = GroupLimitedRouting.placesReached(model, nodes);
            this.gpusReached = GroupLimitedRouting.placesReached(model, ep);
            this.hbmBytesPerNs = hw.peak().hbmTbps() * 1e3 * rate.hbmEfficiency();
            this.decodeKv = DecodeKvTraffic.of(model, args, () -> t.memory().kvPool().tokens());
        }

        @Override
        public Resource resourceOf(LayerStage stage) {
            if (!deepEp) {
                // NCCL collectives (DP gather, TP all-reduce) run on the compute stream: they
                // serialise with the other child's kernels, so TBO without DeepEP overlaps nothing.
                return Resource.COMPUTE;
            }
            // dispatch_b / combine_b wait for a transfer and lay out what arrived: a compute-stream kernel.
            return switch (stage) {
                case COMM_PREPARE_ATTN, COMM_PREPARE_MLP, COMM_POSTPROCESS_LAYER, DISPATCH_A, COMBINE_A -> Resource.COMM;
                default -> Resource.COMPUTE;
            };
        }

        @Override
        public boolean startsTransfer(LayerStage stage) {
            return deepEp && (stage == LayerStage.DISPATCH_A || stage == LayerStage.COMBINE_A);
        }

        @Override
        public long cpuHoldAfterLaunch(LayerStage stage) {
            // DeepEP normal dispatch: notify_dispatch exchanges counts, the host reads them to size
            // the receive buffers (a GPU-to-CPU sync), then launches the transfer.
            return deepEp && !lowLatency && stage == LayerStage.DISPATCH_A
                    ? us(rate.rdmaHopUs()) + (long) (2 * launchNs) : 0;
        }

        /**
         * Prefill TBO with DeepEP normal kernels partitions the SMs: SGLang runs the whole region
         * under {@code configure_deep_gemm_num_sms(total - DeepEPConfig.num_sms)}
         * (srt/two_batch_overlap.py:485, srt/operations_strategy.py:83), a launch parameter of every
         * DeepGEMM kernel, so their compute-bound work runs on the SMs DeepEP leaves free whether or
         * not a transfer is in flight. Their memory-bound work (small row counts) and the kernels
         * DeepGEMM does not run (attention, MLA's bmm, norms, casts) keep the whole rate.
         * ASSUMPTION: the SMs left still saturate HBM; DeepEP's resident kernels crowding the others
         * while they move tokens is not modelled. The decode strategy and low-latency kernels cap nothing.
         */
        @Override
        public InstanceCostModel inPrefillTboRegion() {
            if (!deepEp || lowLatency || deepGemmSmShare < 1.0) {
                return this;
            }
            // Asked for on every prefill TBO forward: built once, as the view never changes.
            if (prefillTboRegion == null) {
                prefillTboRegion = new Instance(topology,
                        (double) (hw.peak().sms() - rate.deepepNormalSms()) / hw.peak().sms(), eager);
            }
            return prefillTboRegion;
        }

        @Override
        public InstanceCostModel eager() {
            if (eager) {
                return this;
            }
            if (eagerView == null) {
                eagerView = new Instance(topology, deepGemmSmShare, true);
            }
            return eagerView;
        }

        @Override
        public boolean expertParallel() {
            return expertParallel;
        }

        @Override
        public double expertImbalanceSigma() {
            // Balanced routing leaves only the Poisson counts, already in the mean.
            return model.routing() == ExpertRouting.SKEWED ? rate.imbalanceSigma() : 0;
        }

        @Override
        public double expertImbalanceMean(long batchTokens) {
            return expertParallel ? expertLoad.busiestOverMean(ep, redundantExperts, args.balancedExpertPlacement(), batchTokens) : 1.0;
        }

        @Override
        public StageCost stageCost(LayerStage stage, boolean moe, BatchShape s) {
            if (s.isEmpty() && stage != LayerStage.COMM_PREPARE_MLP && stage != LayerStage.COMM_POSTPROCESS_LAYER) {
                return StageCost.NONE; // an empty micro-batch launches nothing but still joins the collectives
            }
            LayerScatterModes layer = moe ? moeLayer : denseLayer;
            boolean full = layer.mlp() == ScatterMode.FULL;
            long mlpRows = full ? s.totalTokens() : s.maxRankTokens();
            double h = model.hiddenSize();
            double imbalance = expertParallel ? s.expertImbalance() : 1.0;
            return switch (stage) {
                case COMM_PREPARE_ATTN -> communication(layer.prepareAttn(), s);
                case ATTN_PREPARE -> model.attention() instanceof GqaAttention gqa ? gqaPrepare(gqa, s)
                        : gemm(s.maxRankTokens(), attnPrepareParams((MlaAttention) model.attention()) / attnTp, 3);
                case ATTN_CORE -> model.attention() instanceof GqaAttention gqa ? gqaCore(gqa, s)
                        : attentionCore((MlaAttention) model.attention(), s);
                case COMM_PREPARE_MLP -> communication(layer.prepareMlp(), s);
                case GATE -> gemm(mlpRows, (long) (h * model.routedExperts()), 1);
                case SELECT_EXPERTS -> StageCost.fixed((long) (2 * launchNs) + us(rate.selectExpertsUs()));
                case DISPATCH_A -> deepEp ? exchange(s.maxRankTokens(), FP8_BYTES_WITH_SCALES, 0, imbalance) : StageCost.NONE;
                case COMBINE_A -> deepEp ? exchange(s.maxRankTokens(), BF16_BYTES, 1, imbalance)
                        // Tensor-parallel experts leave partial sums: an all-reduce over the TP group.
                        : allReduce((long) (mlpRows * h * BF16_BYTES), tp, nodes);
                case DISPATCH_B, COMBINE_B -> deepEp ? StageCost.fixed((long) launchNs) : StageCost.NONE;
                case EXPERTS -> routedExperts(mlpRows, s.totalTokens(), imbalance, full);
                // Qwen3-MoE has none: its TBO plan has no op_shared_experts (srt/operations_strategy.py:155-207).
                case SHARED_EXPERTS -> model.sharedExperts() == 0 ? StageCost.NONE
                        : gemm(mlpRows, model.expertParams() / (full ? tp : 1), 3);
                // Norms, activation casts and residual adds: memory passes over the hidden states.
                case OUTPUT -> StageCost.fixed((long) launchNs).plus(bytes(rate.elementwisePasses() * s.maxRankTokens() * h * BF16_BYTES));
                case COMM_POSTPROCESS_LAYER -> communication(layer.postprocessLayer(), s);
                case DENSE_MLP -> denseMlp(mlpRows);
                case YIELD -> StageCost.NONE;
            };
        }

        /**
         * A dense layer's MLP: fully data-parallel under {@code moe_dense_tp_size == 1}, else split
         * over the TP group, whose {@code down_proj} then all-reduces its partial sums
         * (RowParallelLinear with reduce_results, srt/models/deepseek_v2.py:157, 174-180, 1648-1660).
         */
        private StageCost denseMlp(long rows) {
            if (Integer.valueOf(1).equals(args.moeDenseTpSize())) {
                return gemm(rows, model.denseMlpParams(), 3);
            }
            StageCost gemms = gemm(rows, model.denseMlpParams() / tp, 3);
            return tp > 1 ? gemms.plus(allReduce((long) (rows * model.hiddenSize() * BF16_BYTES), tp, nodes)) : gemms;
        }

        private long attnPrepareParams(MlaAttention mla) {
            long qkHead = mla.qkNopeHeadDim() + mla.qkRopeHeadDim();
            return (long) model.hiddenSize() * mla.qLoraRank()
                    + (long) mla.qLoraRank() * model.numHeads() * qkHead
                    + (long) model.hiddenSize() * (mla.kvLoraRank() + mla.qkRopeHeadDim());
        }

        /** MLA's attention scores and values, then the output projection. */
        private StageCost attentionCore(MlaAttention mla, BatchShape s) {
            double heads = (double) model.numHeads() / attnTp;
            StageCost oProj = gemm(s.maxRankTokens(), (long) model.numHeads() * mla.vHeadDim() * model.hiddenSize() / attnTp, 1,
                    (long) (heads * mla.vHeadDim()));
            if (s.kind() == ForwardKind.DECODE) {
                // FlashMLA on the latent cache, absorbed heads: every cached token read once per layer,
                // at the bytes the backend reads it (FP8 halves them unless it converts the cache first).
                double flops = 2.0 * s.maxRankAttendPairs() * heads * (mla.kvLoraRank() * 2 + mla.qkRopeHeadDim());
                // A verify's rows of one request share one read of its cache (FlashMLA takes them as s_q).
                double bytes = s.maxRankAttendPairs() * decodeKv.bytesPerCachedToken() / s.queryRowsPerRequest();
                double absorb = 4.0 * s.maxRankTokens() * heads * mla.qkNopeHeadDim() * mla.kvLoraRank();
                StageCost conversion = decodeKv.conversionBytes() == 0 ? StageCost.NONE
                        : StageCost.fixed((long) launchNs).plus(bytes(decodeKv.conversionBytes()));
                return StageCost.fixed((long) (2 * launchNs)).plus(conversion)
                        .plus(StageCost.roofline(flops, flops / flashmlaFlopsPerNs, bytes, bytes / (rate.flashmlaTbps() * 1e3)))
                        .plus(StageCost.roofline(absorb, (long) (absorb / bmmFlopsPerNs), 0, 0)).plus(oProj);
            }
            // Prefill expands the latent KV (kv_b, an FP8 GEMM) and runs BF16 MHA over the query x key pairs.
            StageCost expand = gemm(s.maxRankTokens(), (long) (mla.kvLoraRank() * heads * (mla.qkNopeHeadDim() + mla.vHeadDim())), 1,
                    mla.kvLoraRank());
            double scores = 2.0 * s.maxRankAttendPairs() * heads
                    * (mla.qkNopeHeadDim() + mla.qkRopeHeadDim() + mla.vHeadDim());
            // Causal attention over short prompts fills its tiles poorly: the rate rises with the keys
            // each query attends to, as FlashAttention-3's measured curve does.
            double keysPerQuery = (double) s.maxRankAttendPairs() / s.maxRankTokens();
            double scoreRate = attentionFlopsPerNs * keysPerQuery / (keysPerQuery + rate.attentionHalfKeys());
            StageCost scoresCost = s.maxRankAttendPairs() == 0 ? StageCost.NONE
                    : StageCost.roofline(scores, (long) (scores / scoreRate), 0, 0);
            // Launches besides the GEMMs: K assembly, the attention kernel, o_proj's input cast.
            return StageCost.fixed((long) (3 * launchNs)).plus(expand).plus(scoresCost)
                    .plus(bytes(s.maxRankTokens() * heads * mhaActivationBytesPerHead(mla))).plus(oProj);
        }

        /**
         * Activation bytes per token and head that SGLang's MHA prefill path (forward_normal) moves
         * outside the GEMMs and the attention kernel's own reads: q written by q_b and read back, kv_b's
         * output written, K assembled from k_nope and the shared rope part (read, written, read), V
         * read, the attention output written and read by o_proj's FP8 cast. All BF16.
         */
        private double mhaActivationBytesPerHead(MlaAttention mla) {
            int qk = mla.qkNopeHeadDim() + mla.qkRopeHeadDim();
            int kvB = mla.qkNopeHeadDim() + mla.vHeadDim();
            return BF16_BYTES * (2 * qk + kvB + mla.qkNopeHeadDim() + 2 * qk + mla.vHeadDim() + 2 * mla.vHeadDim());
        }

        /**
         * Grouped-query attention's projections (srt/models/qwen3_moe.py:450-463): one qkv GEMM for the
         * rank's query and KV heads (its input cast to FP8 a kernel of its own), then RMSNorm of q and
         * k per head (two kernels) and rope (one), each reading and writing q and k.
         */
        private StageCost gqaPrepare(GqaAttention gqa, BatchShape s) {
            double heads = (double) model.numHeads() / attnTp;
            int kvHeads = gqa.kvHeadsPerRank(attnTp);
            long qkvParams = (long) (model.hiddenSize() * gqa.headDim() * (heads + 2.0 * kvHeads));
            double qk = s.maxRankTokens() * (heads + kvHeads) * gqa.headDim() * BF16_BYTES;
            return gemm(s.maxRankTokens(), qkvParams, 2).plus(StageCost.fixed((long) (3 * launchNs)))
                    .plus(bytes(2 * 2 * qk));
        }

        /**
         * Grouped-query attention (FlashAttention-3, SGLang's default for Qwen3-MoE on Hopper,
         * srt/model_executor/model_runner.py:335-342, srt/utils.py:2233-2246), then o_proj. The new
         * tokens' keys and values are stored in the pool first; then QK^T and PV, two FLOPs per
         * multiply-add over head_dim each, for every query head and attended pair. Decode reads each
         * cached token's K and V once per KV head (FA3 packs a group's query heads into one tile)
         * at the stored dtype: with an FP8 cache FA3 casts the query to it and passes descales
         * (flashattention_backend.py:944-952 at 69183f8), with no whole-buffer conversion (that is
         * MLA's path, :1057-1061).
         */
        private StageCost gqaCore(GqaAttention gqa, BatchShape s) {
            double heads = (double) model.numHeads() / attnTp;
            int d = gqa.headDim();
            StageCost oProj = gemm(s.maxRankTokens(), (long) (heads * d * model.hiddenSize()), 1, (long) (heads * d));
            double kvValues = gqa.kvValuesPerTokenLayer(attnTp);
            StageCost store = StageCost.fixed((long) launchNs)
                    .plus(bytes(s.maxRankTokens() * kvValues * (BF16_BYTES + args.kvElementBytes())));
            double flops = 4.0 * s.maxRankAttendPairs() * heads * d;
            if (s.kind() == ForwardKind.DECODE) {
                double bytes = s.maxRankAttendPairs() * decodeKv.bytesPerCachedToken();
                return StageCost.fixed((long) launchNs).plus(store)
                        .plus(StageCost.roofline(flops, flops / attentionFlopsPerNs, bytes, bytes / hbmBytesPerNs))
                        .plus(oProj);
            }
            // The same fill curve as MLA's prefill MHA, measured on FlashAttention-3.
            double keysPerQuery = (double) s.maxRankAttendPairs() / s.maxRankTokens();
            double scoreRate = attentionFlopsPerNs * keysPerQuery / (keysPerQuery + rate.attentionHalfKeys());
            StageCost scores = s.maxRankAttendPairs() == 0 ? StageCost.NONE
                    : StageCost.roofline(flops, (long) (flops / scoreRate), 0, 0);
            // Launches besides the GEMM and the store: the attention kernel, o_proj's input cast.
            return StageCost.fixed((long) (2 * launchNs)).plus(store).plus(scores).plus(oProj);
        }

        /**
         * Routed experts. Expert-parallel: the busiest rank computes whole experts for {@code imbalance}
         * times its share of the token copies of every DP rank ({@code totalTokens} x top-k over the EP
         * ranks), so a batch that only a few DP ranks fill loads each expert rank with what those few
         * send, not as if every rank had sent as much as the busiest. Tensor-parallel: every rank computes its 1/tp slice of the
         * experts its tokens (all gathered ones in FULL mode) are routed to. Only the experts that
         * receive a copy are read: SGLang's grouped GEMMs (DeepGEMM masked or contiguous, and the
         * Triton fused MoE, whose blocks beyond the padded rows exit before loading their expert's
         * tile) never touch an expert without rows, so a handful of tokens reads a handful of experts.
         */
        private StageCost routedExperts(long mlpRows, long totalTokens, double imbalance, boolean full) {
            double copies;
            double held;
            double shards;
            if (full) {
                copies = (double) mlpRows * model.topK();
                held = model.routedExperts();
                shards = tp;
            } else if (expertParallel) {
                copies = (double) totalTokens * model.topK() / ep * imbalance;
                held = expertsPerRank;
                shards = 1;
            } else {
                // Attention over the whole TP group (no DP attention): the rank's tokens are every token.
                copies = (double) mlpRows * model.topK();
                held = model.routedExperts();
                shards = tp;
            }
            double reached = expertsReached(copies, held);
            double rowsPerExpert = copies / Math.max(reached, 1e-9);
            double flops = 2.0 * copies * model.expertParams() / shards;
            double weightBytes = reached * model.expertParams() / shards * weightBytesPerParam;
            double efficiency = rowsPerExpert / (rowsPerExpert + rate.gemmHalfRows());
            StageCost gemms = StageCost.roofline(flops, flops / (groupedGemmFlopsPerNs * efficiency), weightBytes,
                    weightBytes / hbmBytesPerNs);
            // Five kernels: permute (ep_scatter), gate_up GEMM, SiLU-and-mul with FP8 cast, down GEMM,
            // unpermute (ep_gather).
            return StageCost.fixed((long) (5 * launchNs + 2 * gemmFixedNs)).plus(gemms).plus(bytes(copies * expertActivationBytesPerCopy() / shards));
        }

        /**
         * Expected distinct experts among {@code held} that {@code copies} token copies reach, each
         * copy landing on one of them at random: held x (1 - (1 - 1/held)^copies). Equal to the
         * copies for a few tokens, to every expert held for many.
         */
        private double expertsReached(double copies, double held) {
            return held <= 1 ? Math.min(held, copies) : held * -Math.expm1(copies * Math.log1p(-1 / held));
        }

        /**
         * Bytes each token copy moves between the two grouped GEMMs and around them: gate_up's BF16
         * output written and read by SiLU-and-mul, its FP8 result written and read by the down GEMM.
         * DeepEP normal kernels deliver tokens grouped by source, so SGLang's contiguous path adds
         * ep_scatter (FP8 row read and written in expert order) and ep_gather (BF16 down output
         * written, then read back in token order); low-latency kernels deliver in the masked
         * per-expert layout the GEMMs read directly.
         */
        private double expertActivationBytesPerCopy() {
            double inter = model.moeIntermediate();
            double between = 2 * inter * BF16_BYTES * 2 + inter * FP8_BYTES * 2;
            if (!deepEp || lowLatency) {
                return between;
            }
            double h = model.hiddenSize();
            return between + h * FP8_BYTES_WITH_SCALES * 2 + h * BF16_BYTES * 2;
        }

        /**
         * A GEMM of {@code rows} hidden-size tokens against {@code params} weights in the checkpoint's
         * format, in {@code kernels} launches.
         */
        private StageCost gemm(long rows, long params, int kernels) {
            return gemm(rows, params, kernels, model.hiddenSize());
        }

        /** The same for an input {@code inputWidth} BF16 values wide. */
        private StageCost gemm(long rows, long params, int kernels, long inputWidth) {
            return gemm(rows, params, kernels, inputWidth, weightBytesPerParam, gemmFlopsPerNs);
        }

        private StageCost gemm(long rows, long params, int kernels, long inputWidth, double bytesPerParam,
                               double flopsPerNs) {
            if (rows == 0) {
                return StageCost.NONE;
            }
            double efficiency = rows / (rows + rate.gemmHalfRows());
            double flops = 2.0 * rows * params;
            double bytes = params * bytesPerParam + rows * inputWidth * BF16_BYTES;
            return StageCost.fixed((long) (kernels * (launchNs + gemmFixedNs)))
                    .plus(StageCost.roofline(flops, flops / (flopsPerNs * efficiency), bytes, bytes / hbmBytesPerNs));
        }

        /** A pass over {@code bytes} of HBM at the streaming rate. */
        private StageCost bytes(double bytes) {
            return StageCost.memory(bytes, bytes / hbmBytesPerNs);
        }

        private StageCost communication(Transition t, BatchShape s) {
            double rowBytes = model.hiddenSize() * BF16_BYTES;
            return switch (t) {
                case NONE -> StageCost.NONE;
                case DP_GATHER -> allReduce((long) (s.totalTokens() * rowBytes), tp, nodes);
                case DP_SCATTER -> StageCost.fixed((long) launchNs).plus(bytes(s.maxRankTokens() * rowBytes));
                case ATTN_TP_ALL_REDUCE -> allReduce((long) (s.maxRankTokens() * rowBytes), attnTp, 1);
                case ATTN_TP_ALL_GATHER, ATTN_TP_REDUCE_SCATTER -> half(allReduce((long) (s.maxRankTokens() * rowBytes), attnTp, 1));
            };
        }

        /** An all-gather or a reduce-scatter: half an all-reduce's steps and bytes. */
        private StageCost half(StageCost allReduce) {
            return new StageCost(0, 0, allReduce.commNs() / 2, allReduce.fixedNs() / 2, 0, 0);
        }

        /**
         * NCCL-style hierarchical all-reduce: reduce-scatter inside each node over NVLink, all-reduce
         * of each GPU's 1/g share across nodes over its own NIC, all-gather inside the node.
         */
        private StageCost allReduce(long bytes, int ranks, int spanNodes) {
            if (ranks <= 1) {
                return StageCost.NONE;
            }
            int perNode = Math.max(1, ranks / Math.max(spanNodes, 1));
            double intra = perNode > 1 ? 2.0 * (perNode - 1) / perNode * bytes / rate.ncclNvlinkGbps() : 0;
            double inter = spanNodes > 1 ? 2.0 * (spanNodes - 1) / spanNodes * ((double) bytes / perNode) / rate.ncclRdmaGbps() : 0;
            double hops = 2.0 * log2ceil(perNode) * rate.nvlinkHopUs() + (spanNodes > 1 ? 2.0 * log2ceil(spanNodes) * rate.rdmaHopUs() : 0);
            return StageCost.fixed((long) launchNs + us(hops)).plus(StageCost.comm((long) (intra + inter)));
        }

        /**
         * DeepEP dispatch (phase 0, FP8) or combine (phase 1, BF16) of one rank's tokens. Low-latency
         * kernels: the published latency table, a fixed part per call plus a part linear in tokens. Normal kernels: each
         * token goes once to every node its experts live on (RDMA) and, inside it, once to every
         * target GPU (NVLink); the two pipelines overlap. The busiest receiver sets the pace.
         */
        private StageCost exchange(int rankTokens, double bytesPerElement, int phase, double imbalance) {
            if (rankTokens == 0) {
                return StageCost.NONE;
            }
            if (lowLatency) {
                // Every call pays a fixed part (network latency and the wait for every peer's
                // counts: a global synchronisation), then the copies: the published 128-token
                // figures are NIC-bound, each token copy its own RDMA write, so that part scales
                // with the copies the busiest receiver takes. ASSUMPTION: the table is an average
                // rank's time under the benchmark's uniform routing, so the busiest rank's load
                // factor multiplies the copies' part.
                double fixedUs = lowLatencyUs[phase] * lowLatencyFixedFraction[phase];
                double copiesUs = (lowLatencyUs[phase] - fixedUs) * rankTokens / rate.deepepLowLatencyTokensPerRank();
                return StageCost.fixed((long) launchNs + us(fixedUs)).plus(StageCost.comm(us(copiesUs * imbalance)));
            }
            // DeepEP's internode benchmark (tests/test_internode.py) counts a token once per node it
            // reaches, its own node included, and divides those bytes by the time to give its
            // per-EP-size RDMA figure: apply the figure to the same count so a modelled dispatch
            // takes the time the benchmark measured. Its routing, like DeepSeek-V3's, is group-limited.
            double rowBytes = model.hiddenSize() * bytesPerElement;
            double rdma = nodes > 1 ? rankTokens * nodesReached * rowBytes / normalRdmaGbps[phase] : 0;
            // Inside each node reached, the token is forwarded over NVLink to each of its target GPUs.
            double nvlink = rankTokens * gpusReached * rowBytes / normalNvlinkGbps[phase];
            double hop = nodes > 1 ? rate.rdmaHopUs() : rate.nvlinkHopUs();
            // RDMA runs rail to rail, node to node: a NIC carries what its peers send to the node,
            // whichever GPU there hosts the hot experts, so only the NVLink leg into the busiest
            // GPU grows with the expert imbalance (a node averages many experts' load).
            return StageCost.fixed((long) launchNs + us(hop)).plus(StageCost.comm((long) Math.max(rdma, nvlink * imbalance)));
        }

        @Override
        public long mlpSyncNs(int int64PerRank) {
            long bytes = (long) int64PerRank * Long.BYTES * world;
            // gloo over TCP: a step per doubling of the group, a cost per node, then the bytes.
            return us(log2ceil(Math.max(world, 2)) * rate.glooStepUs() + nodes * rate.glooNodeUs())
                    + (long) Math.ceil(bytes / rate.glooGbps()); // GB/s == bytes/ns
        }

        @Override
        public StageCost outsideLayers(BatchShape s) {
            if (s.isEmpty()) {
                return StageCost.fixed(us(rate.idleSchedulerUs()));
            }
            // Logits for the last token of each request; vocab-parallel within the attention-TP group
            // with --enable-dp-lm-head (else within TP after a DP gather, costed the same here).
            int vocabShards = args.enableDpLmHead() ? attnTp : tp;
            // The LM head stays BF16: the FP8 method covers linear and MoE layers only, so the embedding-like
            // ParallelLMHead falls back to the unquantised method (srt/layers/quantization/fp8.py:166-178,
            // srt/layers/vocab_parallel_embedding.py:280-284, srt/models/deepseek_v2.py:1897).
            StageCost logits = gemm(s.maxRankRequests(), (long) model.vocabSize() * model.hiddenSize() / vocabShards, 1,
                    model.hiddenSize(), BF16_BYTES, bf16GemmFlopsPerNs);
            StageCost embed = StageCost.fixed((long) launchNs).plus(bytes(s.maxRankTokens() * model.hiddenSize() * BF16_BYTES));
            return StageCost.fixed(us(rate.schedulerUs())).plus(embed).plus(logits);
        }

        private int log2ceil(int n) {
            return 32 - Integer.numberOfLeadingZeros(Math.max(n, 1) - 1);
        }
    }
}

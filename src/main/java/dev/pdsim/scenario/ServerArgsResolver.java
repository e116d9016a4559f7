package dev.pdsim.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.model.GqaAttention;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.MlaAttention;
import dev.pdsim.model.ModelSpec;
import dev.pdsim.model.WeightFormat;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns written flags into {@link ServerArgs} the way SGLang 0.4.8.post1 does: parse, fill
 * defaults, then apply {@code ServerArgs.__post_init__} (srt/server_args.py:243-552) and
 * {@code check_server_args} (srt/server_args.py:1633-1665, called at srt/entrypoints/engine.py:655)
 * in their order, then the memory SGLang sets up at start-up ({@link InstanceMemory}). SGLang stops
 * at its first failed assert; pdsim reports every problem at once, each naming the flag, the value
 * and the rule. Silent adjustments are recorded so {@code explain} can show them. Checks pdsim adds
 * beyond SGLang's say so, and when SGLang itself would fail.
 */
public final class ServerArgsResolver {
    /**
     * Read by no code of SGLang 0.4.8.post1 (the setting is {@code --num-reserved-decode-tokens},
     * srt/server_args.py:236), although launch lines of that time set it.
     */
    static final String RESERVED_DECODE_TOKENS_ENV = "SGLANG_NUM_RESERVED_DECODE_TOKENS";
    private static final Set<String> KNOWN_HARMLESS_ENV = Set.of("MC_TE_METRIC", "GLOO_SOCKET_IFNAME",
            "NCCL_SOCKET_IFNAME", "SGLANG_TBO_DEBUG", "NCCL_IB_HCA", "NCCL_DEBUG", "CUDA_VISIBLE_DEVICES");
    private static final List<String> MLA_BACKENDS = List.of("aiter", "flashinfer", "fa3", "triton", "flashmla",
            "cutlass_mla");
    /** Attention backends the EAGLE draft worker can run on (srt/speculative/eagle_worker.py:178-253). */
    private static final List<String> DRAFT_BACKENDS = List.of("flashinfer", "triton", "fa3", "flashmla");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Model families a --model-path may name that are not DeepSeek's (lower case). */
    private static final List<String> OTHER_MODEL_FAMILIES = List.of("qwen", "kimi", "llama", "mistral", "mixtral",
            "glm", "gemma", "minimax", "gpt-oss", "phi-");
    private static final int MIB_35_GIB = 35 * 1024;
    private static final int MIB_160_GIB = 160 * 1024;

    private final Map<String, FlagValue> flags = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final SourceLocation instanceWhere;
    private final Problems problems;
    private final List<String> adjustments = new ArrayList<>();
    private final List<String> substitutions = new ArrayList<>();

    // What __post_init__ reads throughout, and the values it adjusts, in the order it does.
    private DisaggregationMode mode;
    private int tp;
    private int dp;
    private int pp;
    private boolean dpAttention;
    private int chunked;
    private double conservativeness;
    private boolean disableCudaGraph;
    private boolean disableRadixCache;
    private int epSize;
    private int pageSize;
    private Integer cudaGraphMaxBs;
    private Integer decodeTp;
    private Integer decodeDp;
    private Integer maxRunningRequests;
    private SpeculativeArgs speculative;

    private ServerArgsResolver(List<FlagValue> written, SourceLocation instanceWhere, Problems problems) {
        this.instanceWhere = instanceWhere;
        this.problems = problems;
        for (FlagValue v : written) {
            flags.put(v.flag().name(), v); // argparse: the last occurrence wins
        }
    }

    /**
     * Resolves one instance's arguments. Returns null when a value could not even be parsed (the
     * problems say why); otherwise returns the arguments, with any rule violations, and a memory
     * layout SGLang would not start, in {@code problems}.
     *
     * @param gpusPerNode GPUs in each node of this instance (not an SGLang flag; 8 by default)
     */
    public static ResolvedServerArgs resolve(List<FlagValue> written, List<EnvAssignment> environment,
                                             ModelSpec model, HardwareProfile hardware, int gpusPerNode,
                                             SourceLocation instanceWhere, Problems problems) {
        return new ServerArgsResolver(written, instanceWhere, problems).run(environment, model, hardware, gpusPerNode);
    }

    private ResolvedServerArgs run(List<EnvAssignment> environment, ModelSpec model, HardwareProfile hardware,
                                   int gpusPerNode) {
        int before = problems.list().size();
        for (FlagValue v : flags.values()) {
            // A value with unset variables reaches here only for a flag pdsim does not compute with.
            if (v.resolved()) {
                v.problem().ifPresentOrElse(message -> problems.add(v.where(), message),
                        () -> values.put(v.flag().name(), v.value()));
            }
        }
        List<String> ignoredEnv = new ArrayList<>();
        for (EnvAssignment e : environment) {
            String note = e.name().equals(RESERVED_DECODE_TOKENS_ENV)
                    ? " (read nowhere in SGLang 0.4.8.post1; the setting is --num-reserved-decode-tokens)"
                    : KNOWN_HARMLESS_ENV.contains(e.name()) ? "" : " (not known to pdsim)";
            ignoredEnv.add(e.name() + "=" + e.value() + note);
        }
        if (problems.list().size() > before) {
            return null;
        }
        ServerArgs args = postInit(hardware);
        checkServerArgs();
        checkLayoutOverNodes(gpusPerNode);
        checkModelStartUp(model);
        if (problems.list().size() == before) {
            checkModelSharding(model);
        }
        InstanceMemory memory = InstanceMemory.of(args, model, hardware);
        if (problems.list().size() == before && memory.refusal() != null) {
            // Only for arguments SGLang accepts: memory of a refused layout would be noise.
            problems.add(instanceWhere, (mode == DisaggregationMode.NULL ? "colocated"
                    : mode.name().toLowerCase(Locale.ROOT)) + ": " + memory.refusal());
        }
        return new ResolvedServerArgs(args, memory, List.copyOf(adjustments), List.copyOf(flags.values()),
                List.copyOf(ignoredEnv), List.copyOf(substitutions));
    }

    /** {@code ServerArgs.__post_init__} of 0.4.8.post1 (srt/server_args.py:243-552), in its order. */
    private ServerArgs postInit(HardwareProfile hardware) {
        mode = DisaggregationMode.valueOf(text("disaggregation-mode").toUpperCase(Locale.ROOT));
        tp = integer("tp-size");
        dp = integer("dp-size");
        pp = integer("pp-size");
        dpAttention = bool("enable-dp-attention");
        disableCudaGraph = bool("disable-cuda-graph");
        disableRadixCache = bool("disable-radix-cache");
        conservativeness = decimal("schedule-conservativeness");
        epSize = integer("ep-size");
        pageSize = integer("page-size");
        cudaGraphMaxBs = nullableInteger("cuda-graph-max-bs");
        decodeTp = nullableInteger("disaggregation-decode-tp");
        decodeDp = nullableInteger("disaggregation-decode-dp");
        maxRunningRequests = nullableInteger("max-running-requests");
        int gpuMib = hardware.gpuMemoryMib();

        applyEpMoe();
        checkFlashinferMoe();
        double memFraction = memFractionStatic(gpuMib);
        readChunkedPrefillSize(gpuMib);
        defaultCudaGraphMaxBs(gpuMib);
        checkMoeDenseTp();
        applyAttentionBackend();
        applyDpAttention();
        checkDpLmHead();
        applyDeepEp();
        applySpeculative();
        applyDisaggregationMode();

        return new ServerArgs(mode, integer("nnodes"), integer("node-rank"), tp, dp, pp, epSize, dpAttention,
                bool("enable-dp-lm-head"), bool("enable-two-batch-overlap"), bool("enable-deepep-moe"), deepEpMode(),
                bool("enable-ep-moe"), nullableInteger("moe-dense-tp-size"), chunked, integer("max-prefill-tokens"),
                maxRunningRequests, nullableInteger("max-total-tokens"),
                nullableInteger("context-length"), memFraction, pageSize, disableRadixCache,
                disableCudaGraph, cudaGraphMaxBs, integers("cuda-graph-bs"), bool("disable-cuda-graph-padding"),
                text("kv-cache-dtype"), text("attention-backend"),
                decimal("watchdog-timeout"), conservativeness,
                integer("ep-num-redundant-experts"), text("ep-dispatch-algorithm"), text("eplb-algorithm"),
                bool("enable-eplb"), text("init-expert-location"), decodeTp, decodeDp, integer("num-reserved-decode-tokens"),
                text("disaggregation-transfer-backend"), bool("enable-mixed-chunk"), speculative);
    }

    /** srt/server_args.py:245-249: EP MoE spreads the experts over the whole TP group. */
    private void applyEpMoe() {
        if (bool("enable-ep-moe")) {
            epSize = tp;
            adjustments.add("ep_size = tp_size = " + tp + " (EP MoE)");
        }
    }

    /** srt/server_args.py:250-253: FlashInfer's MoE runs only on ModelOpt FP4 weights. */
    private void checkFlashinferMoe() {
        String quantization = text("quantization");
        if (bool("enable-flashinfer-moe") && !"modelopt_fp4".equals(quantization)) {
            fail("enable-flashinfer-moe", "enable_flashinfer_moe needs --quantization modelopt_fp4 (got "
                    + quantization + "); SGLang refuses to start (AssertionError: modelopt_fp4 quantization is "
                    + "required for Flashinfer MOE)");
        }
    }

    /**
     * As written, or what the GPU leaves after a reserve for activations and CUDA graphs that grows
     * with the GPU's memory tier and the parallel size (srt/server_args.py:272-316).
     */
    private double memFractionStatic(int gpuMib) {
        if (flags.containsKey("mem-fraction-static")) {
            return decimal("mem-fraction-static");
        }
        int parallel = tp * pp;
        double reservedGiB;
        String tier;
        if (gpuMib < MIB_35_GIB) {
            reservedGiB = 2.8 + parallel / 10.0;
            tier = "below 35 GiB";
        } else if (gpuMib < 90 * 1024) {
            reservedGiB = 9.5 + parallel / 2.0;
            tier = "35-90 GiB (H100, A100)";
        } else if (gpuMib < MIB_160_GIB) {
            reservedGiB = 12 + parallel / 2.0;
            tier = "90-160 GiB (H20, H200)";
        } else {
            reservedGiB = 32;
            tier = "160 GiB and more (B200, MI300)";
        }
        boolean speculating = text("speculative-algorithm") != null;
        if (speculating) { // the draft model and larger CUDA-graph buffers (srt/server_args.py:308-310)
            reservedGiB += 2;
        }
        if (dpAttention) {
            reservedGiB += 4;
        }
        double reservedMib = reservedGiB * 1024;
        // Python's round(x, 3): the exact binary value rounded half to even.
        double memFraction = new BigDecimal((gpuMib - reservedMib) / gpuMib).setScale(3, RoundingMode.HALF_EVEN)
                .doubleValue();
        adjustments.add(String.format(Locale.ROOT, "mem_fraction_static defaults to %.3f: (%d MiB - %.1f GiB reserved) / "
                        + "%d MiB; GPU tier %s, tp_size x pp_size = %d%s", memFraction, gpuMib, reservedGiB, gpuMib, tier,
                parallel, (speculating ? ", +2 GiB for the speculative draft" : "")
                        + (dpAttention ? ", +4 GiB for DP attention" : "")));
        return memFraction;
    }

    /** srt/server_args.py:319-329: the default by GPU memory, then the page-size assert on that raw value. */
    private void readChunkedPrefillSize(int gpuMib) {
        Integer written = nullableInteger("chunked-prefill-size");
        if (written != null) {
            chunked = written;
        } else {
            chunked = gpuMib < MIB_35_GIB ? 2048 : gpuMib < MIB_160_GIB ? 8192 : 16384;
            adjustments.add("chunked_prefill_size defaults to " + chunked + " (GPU memory " + gpuMib + " MiB)");
        }
        // Python's % takes the divisor's sign: -1 % 64 == 63, so "chunking off" fails with pages > 1.
        if (Math.floorMod(chunked, pageSize) != 0) {
            fail("chunked-prefill-size", "chunked_prefill_size = " + chunked + " must be a multiple of page_size = "
                    + pageSize + " (SGLang asserts chunked_prefill_size % page_size == 0 before any adjustment; "
                    + "in Python " + chunked + " % " + pageSize + " = " + Math.floorMod(chunked, pageSize) + ")");
        }
    }

    /** srt/server_args.py:332-338: only GPUs under 35 GiB get a default limit. */
    private void defaultCudaGraphMaxBs(int gpuMib) {
        if (cudaGraphMaxBs == null && gpuMib < MIB_35_GIB) {
            cudaGraphMaxBs = tp < 4 ? 8 : 80;
            adjustments.add("cuda_graph_max_bs defaults to " + cudaGraphMaxBs + " (GPU under 35 GiB, tp_size " + tp + ")");
        }
    }

    /** srt/server_args.py:340-343. */
    private void checkMoeDenseTp() {
        Integer moeDenseTp = nullableInteger("moe-dense-tp-size");
        if (moeDenseTp != null && moeDenseTp != 1) {
            fail("moe-dense-tp-size", "moe_dense_tp_size = " + moeDenseTp
                    + ": only 1 and None are supported currently (SGLang 0.4.8.post1)");
        }
    }

    /** srt/server_args.py:345-355 and 373-377: backends that fix the page size or cannot run in a graph. */
    private void applyAttentionBackend() {
        String backend = text("attention-backend");
        if ("flashmla".equals(backend) || "cutlass_mla".equals(backend)) {
            int forced = "flashmla".equals(backend) ? 64 : 128;
            if (pageSize != forced) {
                adjustments.add("page_size " + pageSize + " -> " + forced + " (attention backend " + backend + ")");
            }
            pageSize = forced;
        }
        if ("torch_native".equals(backend) && !disableCudaGraph) {
            disableCudaGraph = true;
            adjustments.add("CUDA graphs disabled (attention backend torch_native)");
        }
    }

    /** srt/server_args.py:384-393. */
    private void applyDpAttention() {
        if (!dpAttention) {
            return;
        }
        // Scaled before the asserts, as SGLang does.
        conservativeness *= 0.3;
        adjustments.add("schedule_conservativeness x 0.3 under DP attention");
        if (dp <= 1) {
            fail("dp-size", "dp_size = " + dp + ": DP attention needs dp_size > 1 "
                    + "(Please set a dp-size > 1. You can use 1 < dp-size <= tp-size.)");
        } else if (tp % dp != 0) {
            fail("tp-size", "tp_size = " + tp + " is not divisible by dp_size = " + dp
                    + " (DP attention asserts tp_size % dp_size == 0)");
        } else {
            // Python's floor division: -1 // dp stays -1 (chunking stays off).
            int perRank = Math.floorDiv(chunked, dp);
            adjustments.add("chunked_prefill_size " + chunked + " -> " + perRank + " per DP rank (divided by dp_size "
                    + dp + " under DP attention)");
            chunked = perRank;
        }
    }

    /** srt/server_args.py:395-398. */
    private void checkDpLmHead() {
        if (bool("enable-dp-lm-head") && !dpAttention) {
            fail("enable-dp-lm-head", "enable_dp_lm_head = true requires --enable-dp-attention "
                    + "(Please enable dp attention when setting enable_dp_lm_head.)");
        }
    }

    /** srt/server_args.py:401-412: DeepEP spreads the experts over the whole TP group. */
    private void applyDeepEp() {
        if (!bool("enable-deepep-moe")) {
            return;
        }
        DeepEpMode deepEpMode = deepEpMode();
        if (deepEpMode == DeepEpMode.AUTO && dpAttention) {
            fail("enable-deepep-moe", "deepep_mode = auto with DP attention is rejected "
                    + "(DeepEP MoE `auto` mode is not supported with DP Attention); set --deepep-mode normal or low_latency");
        }
        if (deepEpMode == DeepEpMode.NORMAL && !disableCudaGraph) {
            disableCudaGraph = true;
            adjustments.add("CUDA graphs disabled because deepep_mode = normal");
        }
        epSize = tp;
        adjustments.add("ep_size = tp_size = " + tp + " (DeepEP MoE)");
    }

    /**
     * srt/server_args.py:446-505: NEXTN is EAGLE; EAGLE caps the running requests at 48 unless
     * written, turns the overlap scheduler and mixed chunking off, takes DeepSeek's (3, 1, 4) when no
     * step count is written (:1791-1815), and makes a chain of steps + 1 tokens when topk is 1.
     * pdsim adds its own refusals, each saying why.
     */
    private void applySpeculative() {
        String algorithm = text("speculative-algorithm");
        if (algorithm == null) {
            return;
        }
        if (algorithm.equals("NEXTN")) {
            adjustments.add("speculative_algorithm NEXTN -> EAGLE (the same implementation, srt/server_args.py:446-448)");
        } else if (algorithm.equals("EAGLE3")) {
            fail("speculative-algorithm", "speculative_algorithm = EAGLE3 needs a separate EAGLE-3 draft model; pdsim "
                    + "simulates DeepSeek's own MTP layer only; accepted: EAGLE, NEXTN");
            return;
        }
        if (maxRunningRequests == null) {
            maxRunningRequests = 48;
            adjustments.add("max_running_requests defaults to 48 under speculative decoding (srt/server_args.py:451-452)");
        }
        adjustments.add("overlap scheduler and mixed chunked prefill off under speculative decoding (srt/server_args.py:453-464)");
        Integer steps = nullableInteger("speculative-num-steps");
        Integer topk = nullableInteger("speculative-eagle-topk");
        Integer draftTokens = nullableInteger("speculative-num-draft-tokens");
        if (steps == null) {
            if (topk != null || draftTokens != null) {
                fail(topk != null ? "speculative-eagle-topk" : "speculative-num-draft-tokens", "speculative_eagle_topk "
                        + "and speculative_num_draft_tokens need --speculative-num-steps too; SGLang refuses to start "
                        + "(AssertionError, srt/server_args.py:477-481)");
                return;
            }
            steps = 3;
            topk = 1;
            draftTokens = 4;
            adjustments.add("speculative (num_steps, eagle_topk, num_draft_tokens) default to (3, 1, 4) for DeepSeek "
                    + "(srt/server_args.py:1807-1809)");
        }
        if (topk == null || draftTokens == null) {
            fail(topk == null ? "speculative-eagle-topk" : "speculative-num-draft-tokens", "speculative_num_steps is "
                    + "written without speculative_eagle_topk and speculative_num_draft_tokens; SGLang fails comparing "
                    + "None (TypeError, srt/server_args.py:488-496); write all three");
            return;
        }
        if (pageSize > 1 && topk > 1) {
            adjustments.add("speculative_eagle_topk " + topk + " -> 1 (page_size " + pageSize + " > 1, srt/server_args.py:488-492)");
            topk = 1;
        }
        if (topk == 1 && draftTokens != steps + 1) {
            adjustments.add("speculative_num_draft_tokens " + draftTokens + " -> " + (steps + 1)
                    + " (num_steps + 1 when eagle_topk is 1, srt/server_args.py:494-501)");
            draftTokens = steps + 1;
        }
        if (steps < 1 || topk < 1) {
            fail(steps < 1 ? "speculative-num-steps" : "speculative-eagle-topk", "speculative_num_steps = " + steps
                    + " and speculative_eagle_topk = " + topk + " must both be at least 1 (pdsim check: SGLang would "
                    + "build empty draft tensors)");
            return;
        }
        if (topk > 1) {
            // ASSUMPTION: a tree draft's acceptance depends on how the draft probabilities rank siblings,
            // which no published figure gives; profiling accept lengths with topk > 1 would settle it.
            fail("speculative-eagle-topk", "speculative_eagle_topk = " + topk + ": pdsim simulates chain drafts only "
                    + "(topk 1, which page_size > 1 forces anyway); accepted: 1");
            return;
        }
        String backend = text("attention-backend");
        if (backend != null && !DRAFT_BACKENDS.contains(backend)) {
            fail("attention-backend", "attention_backend = " + backend + " has no EAGLE draft backend; SGLang fails "
                    + "building the draft worker (ValueError, srt/speculative/eagle_worker.py:250-253); accepted with "
                    + "speculative decoding: " + String.join(", ", DRAFT_BACKENDS));
        }
        if (mode == DisaggregationMode.DECODE && bool("enable-two-batch-overlap")) {
            fail("enable-two-batch-overlap", "two-batch overlap with speculative decoding on a decode server: SGLang "
                    + "0.4.8.post1 fails capturing its first CUDA graph (and, without graphs, at the first verify): "
                    + "TARGET_VERIFY counts as an extend mode but carries no extend_lens (AssertionError, "
                    + "srt/two_batch_overlap.py:35-36); drop one of them");
        }
        speculative = new SpeculativeArgs(steps, topk, draftTokens);
    }

    /** srt/server_args.py:521-541 and validate_disagg_tp_size (:554-560). */
    private void applyDisaggregationMode() {
        if (mode == DisaggregationMode.DECODE) {
            if (decodeTp != null) {
                fail("disaggregation-decode-tp", "disaggregation_decode_tp = " + decodeTp
                        + ": cannot be set on the decode engine (Cannot set --disaggregation-decode-tp for the decode engine.)");
            }
            if (decodeDp != null) {
                fail("disaggregation-decode-dp", "disaggregation_decode_dp = " + decodeDp
                        + ": cannot be set on the decode engine (Cannot set --disaggregation-decode-dp for the decode engine.)");
            }
            if (!disableRadixCache) {
                disableRadixCache = true;
                adjustments.add("radix cache disabled (decode disaggregation forces it off)");
            }
        } else if (mode == DisaggregationMode.PREFILL) {
            if (decodeTp == null) {
                decodeTp = tp;
            }
            if (decodeDp == null) {
                decodeDp = dp;
            }
            int larger = Math.max(tp, decodeTp);
            int smaller = Math.min(tp, decodeTp);
            if (larger % smaller != 0) {
                fail("disaggregation-decode-tp", "prefill tp_size = " + tp + " and disaggregation_decode_tp = " + decodeTp
                        + ": different tp sizes are supported only when one is a multiple of the other");
            }
            if (!disableCudaGraph) {
                disableCudaGraph = true;
                adjustments.add("CUDA graphs disabled (prefill disaggregation)");
            }
        }
    }

    /** {@code check_server_args} (srt/server_args.py:1633-1648) for the flags pdsim reads. */
    private void checkServerArgs() {
        int nnodes = integer("nnodes");
        if ((tp * pp) % nnodes != 0) {
            fail("nnodes", "tp_size * pp_size = " + tp * pp + " is not divisible by nnodes = " + nnodes
                    + " (tp_size must be divisible by number of nodes)");
        }
        if (dp > 1 && nnodes != 1 && !dpAttention) {
            fail("dp-size", "dp_size = " + dp + " across nnodes = " + nnodes
                    + " needs --enable-dp-attention (multi-node data parallel is not supported unless dp attention)");
        }
    }

    /** Launches SGLang accepts as arguments but refuses while building the model runner and the model. */
    private void checkModelStartUp(ModelSpec model) {
        String backend = text("attention-backend");
        boolean mla = model.attention() instanceof MlaAttention;
        // MLA on a GPU runs only on these backends (srt/model_executor/model_runner.py:369-385).
        if (mla && backend != null && !MLA_BACKENDS.contains(backend)) {
            fail("attention-backend", "attention_backend = " + backend + " cannot run MLA on a GPU; SGLang fails at "
                    + "start-up (ValueError: Invalid attention backend for MLA, srt/model_executor/model_runner.py:"
                    + "369-385); accepted for " + model.name() + ": " + String.join(", ", MLA_BACKENDS));
        }
        if ((backend == null || backend.equals("fa3")) && text("kv-cache-dtype").equals("fp8_e5m2")) {
            adjustments.add("attention backend " + (backend == null ? "(fa3 on Hopper) " : "") + "fa3 -> triton: "
                    + "FlashAttention-3 takes an FP8 KV cache only as e4m3 (srt/model_executor/model_runner.py:392-399)");
        }
        checkInitExpertLocation();
        checkQuantization(model);
        checkModelPath(model);
        checkSpeculativeModel(model);
        if (tp > model.routedExperts()) {
            fail("tp-size", "tp_size = " + tp + " is more than the " + model.routedExperts() + " routed experts of "
                    + model.name() + "; SGLang fails while building the MoE layers (ValueError, "
                    + (mla ? "srt/models/deepseek_v2.py:256-260)" : "srt/models/qwen3_moe.py:99-103)"));
        }
        if (model.attention() instanceof GqaAttention gqa) {
            checkHeadsSplit(model, gqa);
        }
    }

    /**
     * Qwen3-MoE's attention asserts that its query heads split evenly over the attention-TP group and
     * its KV heads either split evenly or are replicated a whole number of times
     * (srt/models/qwen3_moe.py:364-376).
     */
    private void checkHeadsSplit(ModelSpec model, GqaAttention gqa) {
        int attnTp = dpAttention ? tp / dp : tp;
        int kv = gqa.numKvHeads();
        boolean kvSplits = kv >= attnTp ? kv % attnTp == 0 : attnTp % kv == 0;
        if (model.numHeads() % attnTp != 0 || !kvSplits) {
            fail(dpAttention ? "dp-size" : "tp-size", "the attention-TP size " + attnTp + (dpAttention
                    ? " (tp_size " + tp + " / dp_size " + dp + ")" : " (tp_size)") + " must divide the "
                    + model.numHeads() + " query heads of " + model.name() + " and divide, or be a multiple of, its "
                    + kv + " KV heads; SGLang fails while building the attention (AssertionError, "
                    + "srt/models/qwen3_moe.py:364-376)");
        }
    }

    /** Whether the model's layers split over this server's ranks; asked only of arguments SGLang accepted. */
    private void checkModelSharding(ModelSpec model) {
        if (tp > model.routedExperts()) {
            return; // checkModelStartUp already said where the MoE layers fail
        }
        ModelShardingCheck.Failure f = shardingCheck(model).firstFailure(model);
        if (f != null) {
            fail(f.flag(), f.message());
        }
    }

    /** What decides whether the model's layers split over this server's ranks. */
    private ModelShardingCheck shardingCheck(ModelSpec model) {
        ModelShardingCheck.MoeClass moe = bool("enable-deepep-moe") ? ModelShardingCheck.MoeClass.DEEPEP_MOE
                : bool("enable-ep-moe") ? ModelShardingCheck.MoeClass.EP_MOE : ModelShardingCheck.MoeClass.FUSED_MOE;
        Integer moeDenseTp = nullableInteger("moe-dense-tp-size");
        // Only FP8 128 x 128 block checkpoints load (checkQuantization, HfModelConfig); their block is 128.
        int blockN = model.weights().equals(WeightFormat.FP8_BLOCK_128) ? 128 : 0;
        return new ModelShardingCheck(tp, dpAttention ? tp / dp : tp, moeDenseTp != null && moeDenseTp == 1 ? 1 : tp,
                moe, integer("ep-num-redundant-experts"), blockN);
    }

    /**
     * The model comes from the scenario's {@code model:}, never from {@code --model-path}; a path whose
     * last part names another model family than a named DeepSeek model is most likely a launch pasted
     * for that model, so the run says what it simulates instead. (Paths are free text, a local folder
     * may be named anything: this warns on known family names only, and never refuses.)
     */
    private void checkModelPath(ModelSpec model) {
        String path = text("model-path");
        if (path == null || !model.name().startsWith("deepseek")) {
            return;
        }
        String last = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (OTHER_MODEL_FAMILIES.stream().anyMatch(last::contains)) {
            substitutions.add("--model-path " + path + ": not read: pdsim simulates the scenario's model, " + model.name()
                    + " (set model: to another named model or to a config.json to simulate another one)");
        }
    }

    /**
     * MTP drafts with the checkpoint's own next-token layer: SGLang points the draft model at the
     * served model only for DeepseekV3ForCausalLM (srt/server_args.py:466-473), and its NextN loader
     * asserts the checkpoint has exactly one such layer (srt/models/deepseek_v2.py:2196-2198). pdsim
     * simulates the draft on decode servers only (a colocated server's drafts are not modelled yet).
     */
    private void checkSpeculativeModel(ModelSpec model) {
        if (text("speculative-algorithm") == null) {
            return;
        }
        if (mode == DisaggregationMode.NULL) {
            fail("speculative-algorithm", "speculative decoding on a colocated server is not simulated by pdsim "
                    + "(SGLang runs it); pdsim simulates MTP on disaggregated decode servers only");
        } else if (!model.architecture().equals(ModelSpec.DEEPSEEK_V3_ARCHITECTURE) || model.mtpLayers() != 1) {
            fail("speculative-algorithm", model.name() + " (" + model.architecture() + ", num_nextn_predict_layers = "
                    + model.mtpLayers() + ") has no MTP layer SGLang drafts with: it takes the served model as its draft "
                    + "for DeepseekV3ForCausalLM only (srt/server_args.py:466-473) and its NextN loader asserts one "
                    + "such layer (srt/models/deepseek_v2.py:2196-2198); pdsim simulates no separate draft model");
        }
    }

    /**
     * {@code ModelConfig._verify_quantization} (srt/configs/model_config.py:384-417), run while the
     * servers start: unset, the quantization is the checkpoint's {@code quant_method}; a different
     * one is refused unless listed as compatible with it (:379-383: only modelopt_fp4, w8a8_int8 and
     * w8a8_fp8, none with fp8). So on DeepSeek's FP8 release another value would stop SGLang; but a
     * launch that names one serves another checkpoint of the same architecture (an INT8 or AWQ
     * export, named by its --model-path), which SGLang starts. pdsim accepts the launch and says in a
     * warning that it simulates the FP8 release in its place: the same bytes for 8-bit methods,
     * about twice the bytes of a 4-bit one.
     * ASSUMPTION: a launch's --quantization names the checkpoint it serves; the model path would settle it.
     */
    private void checkQuantization(ModelSpec model) {
        String written = text("quantization");
        String own = model.weights().quantMethod();
        if (written != null && !written.equals(own)) {
            substitutions.add("--quantization " + written + ": not simulated: this launch serves a " + written
                    + " checkpoint; pdsim simulates " + model.name() + "'s " + own + " release in its place ("
                    + model.weights().description() + "); on that release SGLang itself refuses --quantization "
                    + written + " (srt/configs/model_config.py:403-417)");
        }
    }

    /**
     * {@code compute_initial_expert_location_metadata} (srt/managers/expert_location.py:416-448, run by
     * every model runner, srt/model_executor/model_runner.py:234-237): "trivial", a file ending in .pt
     * or .json (read on the servers, so pdsim takes it as given), or else JSON text holding a
     * {@code physical_to_logical_map} or {@code logical_count}.
     */
    private void checkInitExpertLocation() {
        String location = text("init-expert-location");
        if (location.equals("trivial") || location.endsWith(".pt") || location.endsWith(".json")) {
            return;
        }
        JsonNode data;
        try {
            data = JSON.readTree(location);
        } catch (JsonProcessingException e) {
            data = null;
        }
        if (data == null || !data.isObject()) {
            fail("init-expert-location", "init_expert_location = " + location + " is neither trivial, nor a file "
                    + "ending in .pt or .json, nor a JSON object; SGLang parses it as JSON text and fails at start-up "
                    + "(srt/managers/expert_location.py:424-429)");
        } else if (!data.has("physical_to_logical_map") && !data.has("logical_count")) {
            fail("init-expert-location", "init_expert_location JSON has neither physical_to_logical_map nor "
                    + "logical_count; SGLang fails at start-up (NotImplementedError: Unknown init_expert_location "
                    + "format, srt/managers/expert_location.py:431-448)");
        }
    }

    /** Checks pdsim adds beyond SGLang's; each message says where SGLang itself would fail. */
    private void checkLayoutOverNodes(int gpusPerNode) {
        int nnodes = integer("nnodes");
        int nodeRank = integer("node-rank");
        if ((tp * pp) % nnodes == 0 && tp * pp / nnodes > gpusPerNode) {
            fail("tp-size", "tp_size = " + tp + " over nnodes = " + nnodes + " needs " + tp * pp / nnodes
                    + " GPUs per node, but nodes have gpus_per_node = " + gpusPerNode + " (pdsim check: SGLang itself "
                    + "fails when a scheduler process selects a GPU the node does not have, before distributed init)");
        }
        if (nodeRank >= nnodes) {
            fail("node-rank", "node_rank = " + nodeRank + " must be smaller than nnodes = " + nnodes + " (pdsim check: "
                    + "SGLang does not check it; its ranks would lie outside the world size and distributed init fails)");
        }
        if (!dpAttention && dp > 1 && tp % dp != 0) {
            fail("dp-size", "dp_size = " + dp + " must divide tp_size = " + tp + " (pdsim check: pdsim splits one TP "
                    + "group into DP ranks; SGLang itself would start dp_size replicas of tp_size GPUs each)");
        }
    }

    private DeepEpMode deepEpMode() {
        return DeepEpMode.valueOf(text("deepep-mode").toUpperCase(Locale.ROOT));
    }

    private void fail(String flag, String message) {
        FlagValue v = flags.get(flag);
        problems.add(v == null ? instanceWhere : v.where(), message);
    }

    /** A flag's value as written, else its declared default. */
    private Object value(String flag) {
        Object v = values.get(flag);
        return v != null ? v : ServerFlags.find(flag).orElseThrow().defaultValue();
    }

    private int integer(String flag) {
        return (Integer) value(flag);
    }

    private Integer nullableInteger(String flag) {
        return (Integer) value(flag);
    }

    /** A list flag's values, or null when unset. */
    @SuppressWarnings("unchecked")
    private List<Integer> integers(String flag) {
        return (List<Integer>) value(flag);
    }

    private double decimal(String flag) {
        return (Double) value(flag);
    }

    private boolean bool(String flag) {
        return (Boolean) value(flag);
    }

    private String text(String flag) {
        return (String) value(flag);
    }
}

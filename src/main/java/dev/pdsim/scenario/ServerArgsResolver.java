package dev.pdsim.scenario;

import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.model.HardwareProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns written flags into {@link ServerArgs} the way SGLang 0.4.8.post1 does: parse, fill
 * defaults, then apply {@code ServerArgs.__post_init__} and the launch checks in their order. Its
 * asserts become problems (all reported, each naming the field, the value and the rule); its silent
 * adjustments are recorded so {@code explain} can show them. The reported launch lines passed these
 * checks in reality, so they must pass here.
 */
public final class ServerArgsResolver {
    /** Environment variables that change behaviour; the rest are listed as ignored. */
    static final String RESERVED_DECODE_TOKENS_ENV = "SGLANG_NUM_RESERVED_DECODE_TOKENS";
    private static final Set<String> KNOWN_HARMLESS_ENV = Set.of("MC_TE_METRIC", "GLOO_SOCKET_IFNAME",
            "NCCL_SOCKET_IFNAME", "SGLANG_TBO_DEBUG", "NCCL_IB_HCA", "NCCL_DEBUG", "CUDA_VISIBLE_DEVICES");

    private final Map<String, FlagValue> flags = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final SourceLocation instanceWhere;
    private final Problems problems;
    private final List<String> adjustments = new ArrayList<>();

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
    private Integer decodeTp;
    private Integer decodeDp;

    private ServerArgsResolver(List<FlagValue> written, SourceLocation instanceWhere, Problems problems) {
        this.instanceWhere = instanceWhere;
        this.problems = problems;
        for (FlagValue v : written) {
            flags.put(v.flag().name(), v); // argparse: the last occurrence wins
        }
    }

    /**
     * Resolves one instance's arguments. Returns null when a value could not even be parsed (the
     * problems say why); otherwise returns the arguments, with any rule violations in {@code problems}.
     *
     * @param gpusPerNode GPUs in each node of this instance (not an SGLang flag; 8 by default)
     */
    public static ResolvedServerArgs resolve(List<FlagValue> written, List<EnvAssignment> environment,
                                             HardwareProfile hardware, int gpusPerNode,
                                             SourceLocation instanceWhere, Problems problems) {
        return new ServerArgsResolver(written, instanceWhere, problems).run(environment, hardware, gpusPerNode);
    }

    private ResolvedServerArgs run(List<EnvAssignment> environment, HardwareProfile hardware, int gpusPerNode) {
        int before = problems.list().size();
        for (FlagValue v : flags.values()) {
            // A value with unset variables reaches here only for a flag pdsim does not compute with.
            if (v.resolved()) {
                v.problem().ifPresentOrElse(message -> problems.add(v.where(), message),
                        () -> values.put(v.flag().name(), v.value()));
            }
        }
        int reservedDecodeTokens = 512;
        List<String> ignoredEnv = new ArrayList<>();
        for (EnvAssignment e : environment) {
            if (e.name().equals(RESERVED_DECODE_TOKENS_ENV)) {
                try {
                    reservedDecodeTokens = Integer.parseInt(e.value().trim());
                    if (reservedDecodeTokens < 0) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException ex) {
                    problems.add(e.where(), RESERVED_DECODE_TOKENS_ENV + " must be a whole number >= 0, got '"
                            + e.value() + "'");
                }
            } else {
                ignoredEnv.add(e.name() + "=" + e.value()
                        + (KNOWN_HARMLESS_ENV.contains(e.name()) ? "" : " (not known to pdsim)"));
            }
        }
        if (problems.list().size() > before) {
            return null;
        }
        ServerArgs args = postInit(hardware, gpusPerNode, reservedDecodeTokens);
        return new ResolvedServerArgs(args, List.copyOf(adjustments), List.copyOf(flags.values()), List.copyOf(ignoredEnv));
    }

    /** {@code ServerArgs.__post_init__} and launch checks of 0.4.8.post1, in their order. */
    private ServerArgs postInit(HardwareProfile hardware, int gpusPerNode, int reservedDecodeTokens) {
        mode = DisaggregationMode.valueOf(text("disaggregation-mode").toUpperCase(Locale.ROOT));
        tp = integer("tp-size");
        dp = integer("dp-size");
        pp = integer("pp-size");
        dpAttention = bool("enable-dp-attention");
        disableCudaGraph = bool("disable-cuda-graph");
        disableRadixCache = bool("disable-radix-cache");
        conservativeness = decimal("schedule-conservativeness");
        epSize = integer("ep-size");
        decodeTp = nullableInteger("disaggregation-decode-tp");
        decodeDp = nullableInteger("disaggregation-decode-dp");

        checkMoeDenseTp();
        readChunkedPrefillSize();
        double memFraction = memFractionStatic(hardware);
        applyDpAttention();
        checkDpLmHead();
        applyMoeBackend();
        applyDisaggregationMode();
        checkNodes(gpusPerNode);

        return new ServerArgs(mode, integer("nnodes"), integer("node-rank"), tp, dp, pp, epSize, dpAttention,
                bool("enable-dp-lm-head"), bool("enable-two-batch-overlap"), bool("enable-deepep-moe"), deepEpMode(),
                bool("enable-ep-moe"), nullableInteger("moe-dense-tp-size"), chunked, integer("max-prefill-tokens"),
                nullableInteger("max-running-requests"), nullableInteger("max-total-tokens"),
                nullableInteger("context-length"), memFraction, integer("page-size"), disableRadixCache,
                disableCudaGraph, integer("cuda-graph-max-bs"), decimal("watchdog-timeout"), conservativeness,
                integer("ep-num-redundant-experts"), text("ep-dispatch-algorithm"), text("eplb-algorithm"),
                bool("enable-eplb"), decodeTp, decodeDp, reservedDecodeTokens, text("disaggregation-transfer-backend"));
    }

    private void checkMoeDenseTp() {
        Integer moeDenseTp = nullableInteger("moe-dense-tp-size");
        if (moeDenseTp != null && moeDenseTp != 1) {
            fail("moe-dense-tp-size", "moe_dense_tp_size = " + moeDenseTp
                    + ": only 1 and None are supported currently (SGLang 0.4.8.post1)");
        }
    }

    private void readChunkedPrefillSize() {
        chunked = integer("chunked-prefill-size");
        if (!flags.containsKey("chunked-prefill-size")) {
            adjustments.add("chunked_prefill_size defaults to " + chunked + " (GPU memory between 35 and 160 GB)");
        }
        int pageSize = integer("page-size");
        if (chunked > 0 && chunked % pageSize != 0) {
            fail("chunked-prefill-size", "chunked_prefill_size = " + chunked + " must be a multiple of page_size = "
                    + pageSize);
        }
    }

    /** As written, or what the GPU leaves after SGLang's reserve for activations and CUDA graphs. */
    private double memFractionStatic(HardwareProfile hardware) {
        if (flags.containsKey("mem-fraction-static")) {
            return decimal("mem-fraction-static");
        }
        double reservedGiB = 9.5 + tp * pp / 2.0 + (dpAttention ? 4 : 0);
        double memFraction = Math.round((hardware.gpuMemoryGiB() - reservedGiB) / hardware.gpuMemoryGiB() * 1000) / 1000.0;
        adjustments.add(String.format(Locale.ROOT, "mem_fraction_static defaults to %.3f ((%.1f GiB - %.1f GiB reserved) / %.1f GiB)",
                memFraction, hardware.gpuMemoryGiB(), reservedGiB, hardware.gpuMemoryGiB()));
        if (memFraction <= 0.05) {
            fail("tp-size", "the default mem_fraction_static would be " + memFraction + " with tp_size = " + tp
                    + " (too little memory left); set --mem-fraction-static");
        }
        return memFraction;
    }

    private void applyDpAttention() {
        if (!dpAttention) {
            return;
        }
        if (dp <= 1) {
            fail("dp-size", "dp_size = " + dp + ": DP attention needs dp_size > 1 "
                    + "(Please set a dp-size > 1. You can use 1 < dp-size <= tp-size.)");
        } else if (tp % dp != 0) {
            fail("tp-size", "tp_size = " + tp + " is not divisible by dp_size = " + dp
                    + " (DP attention requires tp_size % dp_size == 0)");
        } else {
            if (chunked > 0) {
                int perRank = chunked / dp;
                adjustments.add("chunked_prefill_size " + chunked + " -> " + perRank + " per DP rank (divided by dp_size "
                        + dp + " under DP attention)");
                chunked = perRank;
            }
            conservativeness *= 0.3;
            adjustments.add("schedule_conservativeness x 0.3 under DP attention");
        }
    }

    private void checkDpLmHead() {
        if (bool("enable-dp-lm-head") && !dpAttention) {
            fail("enable-dp-lm-head", "enable_dp_lm_head = true requires --enable-dp-attention "
                    + "(Please enable dp attention when setting enable_dp_lm_head.)");
        }
    }

    /** DeepEP or EP MoE: experts over the whole TP group. */
    private void applyMoeBackend() {
        if (bool("enable-deepep-moe")) {
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
        } else if (bool("enable-ep-moe")) {
            epSize = tp;
            adjustments.add("ep_size = tp_size = " + tp + " (EP MoE)");
        }
    }

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

    /** The launch checks of the layout over nodes. */
    private void checkNodes(int gpusPerNode) {
        int nnodes = integer("nnodes");
        int nodeRank = integer("node-rank");
        if ((tp * pp) % nnodes != 0) {
            fail("nnodes", "tp_size * pp_size = " + tp * pp + " is not divisible by nnodes = " + nnodes
                    + " (tp_size must be divisible by number of nodes)");
        } else if (tp * pp / nnodes > gpusPerNode) {
            fail("tp-size", "tp_size = " + tp + " over nnodes = " + nnodes + " needs " + tp * pp / nnodes
                    + " GPUs per node, but nodes have gpus_per_node = " + gpusPerNode);
        }
        if (nodeRank >= nnodes) {
            fail("node-rank", "node_rank = " + nodeRank + " must be smaller than nnodes = " + nnodes);
        }
        if (dp > 1 && nnodes > 1 && !dpAttention) {
            fail("dp-size", "dp_size = " + dp + " across nnodes = " + nnodes
                    + " needs --enable-dp-attention (multi-node data parallel is not supported unless dp attention)");
        }
        if (!dpAttention && dp > 1 && tp % dp != 0) {
            fail("dp-size", "dp_size = " + dp + " must divide tp_size = " + tp);
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

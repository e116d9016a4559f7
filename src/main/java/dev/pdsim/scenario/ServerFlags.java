package dev.pdsim.scenario;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of {@code sglang.launch_server} flags pdsim understands, with the 0.4.8.post1
 * names. Structured YAML fields use the same names with underscores, so both ways of writing an
 * instance meet in one resolver ({@link ServerArgsResolver}).
 */
public final class ServerFlags {
    private static final double BIG = 1e9;
    /** SGLang's None: the flag stays unset unless written. */
    private static final Integer NONE = null;
    private static final Map<String, ServerFlag> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = Map.of("tp", "tp-size", "dp", "dp-size", "pp", "pp-size",
            "ep", "ep-size", "model", "model-path");

    static {
        // Flags that change the simulation, with the defaults of SGLang 0.4.8.post1.
        choice("disaggregation-mode", "null", List.of("null", "prefill", "decode"), "role of this server in PD disaggregation");
        integer("nnodes", 1, 1, 1024, "nodes this server spans");
        integer("node-rank", 0, 0, 1023, "this node's rank (every node of an instance runs the same line)");
        integer("tp-size", 1, 1, 8192, "tensor-parallel size over all nodes of the instance");
        integer("dp-size", 1, 1, 8192, "data-parallel size (DP attention ranks)");
        integer("pp-size", 1, 1, 1, "pipeline-parallel size (pdsim models pp 1 only)");
        integer("ep-size", 1, 1, 8192, "expert-parallel size");
        bool("enable-dp-attention", "attention runs data-parallel, MoE tensor/expert-parallel");
        bool("enable-dp-lm-head", "vocabulary-parallel LM head inside the attention-TP group (no DP gather for logits)");
        bool("enable-two-batch-overlap", "split each batch into two micro-batches that overlap compute and communication");
        bool("enable-deepep-moe", "MoE via DeepEP all-to-all (MLP input SCATTERED, no DP gather)");
        choice("deepep-mode", "auto", List.of("auto", "normal", "low_latency"), "DeepEP kernel mode");
        bool("enable-ep-moe", "expert-parallel MoE without DeepEP");
        integer("moe-dense-tp-size", NONE, 1, 8192, "TP size of the dense MLP layers (only 1 or unset at this tag)");
        // Derived from the GPU memory when not written (ServerArgsResolver).
        integer("chunked-prefill-size", NONE, -1, 1 << 30, "max tokens per prefill chunk over all DP ranks (-1 disables)");
        integer("max-prefill-tokens", 16384, 1, 1 << 30, "max tokens of one prefill batch");
        integer("max-running-requests", NONE, 1, 1 << 24, "max requests running at once");
        integer("max-total-tokens", NONE, 1, 1L << 40, "KV-cache pool size in tokens (overrides the memory-derived size)");
        integer("context-length", NONE, 1, 1 << 24, "max tokens of prompt plus output");
        // Derived from the GPU memory and the layout when not written (ServerArgsResolver).
        decimal("mem-fraction-static", null, 0.01, 0.99, "fraction of GPU memory for weights and KV cache");
        integer("page-size", 1, 1, 1 << 16, "tokens per KV-cache page");
        bool("disable-radix-cache", "turn off prefix caching");
        bool("disable-cuda-graph", "turn off CUDA graphs (kernel launch overhead per iteration)");
        integer("cuda-graph-max-bs", NONE, 1, 1 << 16, "largest batch captured in a CUDA graph");
        choice("kv-cache-dtype", "auto", List.of("auto", "fp8_e5m2", "fp8_e4m3"),
                "KV-cache element type (auto: the model's BF16; FP8 halves the bytes per token)");
        choice("attention-backend", null, List.of("aiter", "cutlass_mla", "fa3", "flashinfer", "flashmla", "intel_amx",
                "torch_native", "triton"), "attention kernels; flashmla and cutlass_mla force the page size, torch_native "
                + "turns CUDA graphs off");
        integer("num-reserved-decode-tokens", 512, 0, 1 << 30, "KV tokens SGLang's decode admission reserves per "
                + "request (pdsim's preallocation reserves prompt plus max_new_tokens instead)");
        decimal("watchdog-timeout", 300.0, 0.001, 1e12, "seconds before a stuck forward kills the server");
        decimal("schedule-conservativeness", 1.0, 0.0, 100.0, "how conservatively the scheduler admits requests");
        integer("ep-num-redundant-experts", 0, 0, 4096, "redundant expert replicas for EPLB");
        choice("ep-dispatch-algorithm", "static", List.of("static", "dynamic", "fake"), "how tokens pick among expert replicas");
        choice("eplb-algorithm", "auto", List.of("auto", "deepseek", "deepseek_hierarchical"), "expert placement algorithm");
        bool("enable-eplb", "expert-parallel load balancer");
        integer("disaggregation-decode-tp", NONE, 1, 8192, "decode TP size as seen by a prefill server");
        integer("disaggregation-decode-dp", NONE, 1, 8192, "decode DP size as seen by a prefill server");
        choice("disaggregation-transfer-backend", "mooncake", List.of("mooncake", "nixl", "fake"), "KV transfer engine");
        choice("load-balance-method", "round_robin", List.of("round_robin", "shortest_queue", "minimum_tokens"),
                "DP controller policy (disaggregated servers route by bootstrap room instead)");

        // Accepted and ignored: they do not change what pdsim computes.
        for (String name : List.of("model-path", "tokenizer-path", "host", "port", "dist-init-addr",
                "disaggregation-ib-device", "disaggregation-bootstrap-port", "log-level", "served-model-name",
                "api-key", "random-seed", "quantization", "device",
                "tool-call-parser", "reasoning-parser", "chat-template", "decode-log-interval",
                "enable-metrics", "trust-remote-code", "skip-tokenizer-init", "disable-overlap-schedule",
                "enable-torch-compile", "torch-compile-max-bs", "enable-cache-report", "log-requests",
                "show-time-cost", "allow-auto-truncate", "enable-mixed-chunk")) {
            boolean isSwitch = name.startsWith("enable-") || name.startsWith("disable-") || name.startsWith("skip-")
                    || name.startsWith("show-") || name.startsWith("allow-") || name.equals("trust-remote-code")
                    || name.equals("log-requests");
            add(new ServerFlag(name, isSwitch ? FlagType.BOOLEAN : FlagType.TEXT, false, null, 0, 0, List.of(),
                    "accepted; does not change the simulation"));
        }
    }

    private ServerFlags() {
    }

    private static void add(ServerFlag f) {
        BY_NAME.put(f.name(), f);
    }

    private static void integer(String name, Integer fallback, long min, long max, String help) {
        add(new ServerFlag(name, FlagType.INTEGER, true, fallback, min, max, List.of(), help));
    }

    private static void decimal(String name, Double fallback, double min, double max, String help) {
        add(new ServerFlag(name, FlagType.DECIMAL, true, fallback, min, max, List.of(), help));
    }

    /** A switch: off unless written. */
    private static void bool(String name, String help) {
        add(new ServerFlag(name, FlagType.BOOLEAN, true, Boolean.FALSE, 0, BIG, List.of(), help));
    }

    private static void choice(String name, String fallback, List<String> choices, String help) {
        add(new ServerFlag(name, FlagType.CHOICE, true, fallback, 0, BIG, List.copyOf(choices), help));
    }

    /** Looks a flag up by its dashed name, an alias ({@code tp}) or its YAML field name ({@code tp_size}). */
    public static Optional<ServerFlag> find(String name) {
        String dashed = name.replace('_', '-');
        return Optional.ofNullable(BY_NAME.get(ALIASES.getOrDefault(dashed, dashed)));
    }

    public static Collection<ServerFlag> all() {
        return BY_NAME.values();
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}

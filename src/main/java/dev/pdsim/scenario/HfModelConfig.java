package dev.pdsim.scenario;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.Quote;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.model.Attention;
import dev.pdsim.model.ExpertRouting;
import dev.pdsim.model.GqaAttention;
import dev.pdsim.model.MlaAttention;
import dev.pdsim.model.ModelSpec;
import dev.pdsim.model.WeightFormat;
import dev.pdsim.scenario.yaml.InputFile;
import dev.pdsim.scenario.yaml.MappingReader;
import dev.pdsim.scenario.yaml.YamlNode;
import dev.pdsim.scenario.yaml.YamlReader;
import java.nio.file.Path;
import java.util.List;

/**
 * A model read from a HuggingFace {@code config.json} ({@code model: {config: path}}): the fields
 * {@link ModelSpec} needs, each checked, and a refusal, pointing at the field, of any architecture
 * pdsim cannot simulate. JSON is YAML, so the scenario reader parses it and keeps every field's
 * {@code line:column}. Fields pdsim does not need (rope scaling, norms, token ids) are ignored.
 */
final class HfModelConfig {
    /**
     * The MoE architectures pdsim simulates: those SGLang serves with srt/models/deepseek_v2.py and
     * gives MLA attention (srt/configs/model_config.py:165-171), and Qwen3-MoE.
     */
    private static final List<String> ARCHITECTURES = List.of(ModelSpec.DEEPSEEK_V3_ARCHITECTURE,
            "DeepseekV2ForCausalLM", ModelSpec.QWEN3_MOE_ARCHITECTURE);
    private static final int MAX_DIMENSION = 1 << 20;
    /** What a field reported as a problem reads as, so fields bounded by it are not reported too. */
    private static final int INVALID = -1;
    /** The checkpoint dtype pdsim's activation and KV figures assume ({@link ModelSpec#ACTIVATION_BYTES}). */
    private static final String ACTIVATION_DTYPE = "bfloat16";

    private final MappingReader r;
    private final Problems problems;

    private HfModelConfig(MappingReader r, Problems problems) {
        this.r = r;
        this.problems = problems;
    }

    /**
     * The model described by {@code file}, or null with every problem recorded; a file that cannot
     * be read is reported at {@code referencedAt}, the scenario's {@code model.config} value.
     */
    static ModelSpec read(Path file, SourceLocation referencedAt, Problems problems) {
        YamlNode root;
        try {
            root = YamlReader.read(file.toString(), InputFile.read(file, "a HuggingFace config.json"));
        } catch (InputException e) {
            e.problems().forEach(p -> problems.add(p.where().line() > 0 ? p.where() : referencedAt,
                    "model.config " + Quote.of(file.toString()) + ": " + p.message()));
            return null;
        }
        MappingReader r = MappingReader.of(root, problems, "");
        if (r == null) {
            return null;
        }
        return new HfModelConfig(r, problems).model(nameOf(file));
    }

    /** {@code kimi-k2/config.json} is the model kimi-k2; any other file is named by its stem. */
    static String nameOf(Path file) {
        String base = file.getFileName().toString();
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (base.equals("config.json") && parent != null && parent.getFileName() != null) {
            return parent.getFileName().toString();
        }
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    /**
     * The model, or null with its problems recorded; a refused architecture's other fields are not
     * checked, since they would be reported for that architecture's sake only.
     */
    private ModelSpec model(String name) {
        String architecture = architecture();
        if (architecture == null) {
            return null;
        }
        int before = problems.list().size();
        int layers = required("num_hidden_layers", 1, 1000);
        int hidden = required("hidden_size", 1, MAX_DIMENSION);
        int heads = required("num_attention_heads", 1, MAX_DIMENSION);
        Shape shape = architecture.equals(ModelSpec.QWEN3_MOE_ARCHITECTURE) ? qwen3MoeShape(hidden, heads)
                : deepSeekShape(layers);
        int vocab = required("vocab_size", 1, 1 << 24);
        int maxPositions = required("max_position_embeddings", 1, Integer.MAX_VALUE);
        // Absent (Qwen3-MoE) is 0: no MTP layer to draft with.
        int mtpLayers = optional("num_nextn_predict_layers", 0, 16);
        checkDtype();
        WeightFormat weights = weightFormat();
        if (problems.list().size() > before) {
            return null;
        }
        // Built first without its checkpoint size, which its own parameter counts give.
        ModelSpec model = shape.model(name, layers, hidden, heads, vocab, maxPositions, weights, architecture,
                mtpLayers, 0);
        return shape.model(name, layers, hidden, heads, vocab, maxPositions, weights, architecture, mtpLayers,
                checkpointBytes(model));
    }

    /** What the two families name differently: the attention and the experts. */
    private record Shape(Attention attention, int firstDense, int routed, int shared, int topK, int moeIntermediate,
                         int denseIntermediate, int groups, int topKGroups) {
        ModelSpec model(String name, int layers, int hidden, int heads, int vocab, int maxPositions,
                        WeightFormat weights, String architecture, int mtpLayers, double checkpointBytes) {
            return new ModelSpec(name, layers, firstDense, hidden, heads, attention, routed, shared, topK,
                    moeIntermediate, denseIntermediate, vocab, checkpointBytes, groups, topKGroups, maxPositions,
                    ExpertRouting.SKEWED, weights, architecture, mtpLayers);
        }
    }

    /** DeepSeek-V2/V3's MLA ranks and experts (srt/models/deepseek_v2.py). */
    private Shape deepSeekShape(int layers) {
        int qLoraRank = qLoraRank();
        int kvLoraRank = required("kv_lora_rank", 1, MAX_DIMENSION);
        int qkNope = required("qk_nope_head_dim", 1, MAX_DIMENSION);
        int qkRope = required("qk_rope_head_dim", 1, MAX_DIMENSION);
        int vHead = required("v_head_dim", 1, MAX_DIMENSION);
        int routed = required("n_routed_experts", 1, 1 << 16);
        int topK = required("num_experts_per_tok", 1, boundBy(routed, 1 << 16));
        int shared = required("n_shared_experts", 0, 64);
        int firstDense = required("first_k_dense_replace", 0, boundBy(layers, 1000) - 1);
        checkEveryLaterLayerMoe();
        int moeIntermediate = required("moe_intermediate_size", 1, MAX_DIMENSION);
        int denseIntermediate = firstDense == 0 ? optional("intermediate_size", 1, MAX_DIMENSION)
                : required("intermediate_size", 1, MAX_DIMENSION);
        int groups = groups(routed);
        int topKGroups = required("topk_group", 1, boundBy(groups, 1 << 16));
        return new Shape(new MlaAttention(qLoraRank, kvLoraRank, qkRope, qkNope, vHead), firstDense, routed, shared,
                topK, moeIntermediate, denseIntermediate, groups, topKGroups);
    }

    /**
     * Qwen3-MoE (srt/models/qwen3_moe.py): grouped-query attention, every layer sparse, no shared
     * expert, plain top-k routing over all experts ({@code use_grouped_topk=False}, :190-200, :261-271),
     * written as one expert group, kept. {@code norm_topk_prob} only rescales the chosen experts'
     * weights, which costs nothing pdsim prices, so it is not read.
     */
    private Shape qwen3MoeShape(int hidden, int heads) {
        int kvHeads = required("num_key_value_heads", 1, boundBy(heads, MAX_DIMENSION));
        if (kvHeads != INVALID && heads != INVALID && heads % kvHeads != 0) {
            problems.add(r.where("num_key_value_heads"), "num_key_value_heads = " + kvHeads + " does not divide "
                    + "num_attention_heads = " + heads + " into equal query groups");
        }
        // head_dim defaults to hidden_size / num_attention_heads (srt/models/qwen3_moe.py:501-503).
        int defaultHeadDim = hidden == INVALID || heads == INVALID ? 1 : Math.max(1, hidden / heads);
        int headDim = r.integer("head_dim", (long) defaultHeadDim, 1, MAX_DIMENSION).intValue();
        int routed = required("num_experts", 1, 1 << 16);
        int topK = required("num_experts_per_tok", 1, boundBy(routed, 1 << 16));
        checkEveryLayerSparse();
        int moeIntermediate = required("moe_intermediate_size", 1, MAX_DIMENSION);
        int denseIntermediate = optional("intermediate_size", 1, MAX_DIMENSION);
        return new Shape(new GqaAttention(kvHeads, headDim), 0, routed, 0, topK, moeIntermediate, denseIntermediate,
                1, 1);
    }

    /**
     * SGLang 0.4.8.post1 builds every Qwen3-MoE layer sparse whatever the config says
     * (srt/models/qwen3_moe.py:527-529), so a checkpoint with dense layers would leave their MLP
     * weights unloaded: refused rather than simulated as something SGLang does not serve.
     */
    private void checkEveryLayerSparse() {
        long step = r.integer("decoder_sparse_step", 1L, 1, 1000);
        if (step != 1) {
            problems.add(r.where("decoder_sparse_step"), "decoder_sparse_step = " + step + " (dense layers between "
                    + "MoE ones) is not served: SGLang 0.4.8.post1 makes every Qwen3-MoE layer sparse "
                    + "(srt/models/qwen3_moe.py:527-529); accepted: 1");
        }
        if (!r.list("mlp_only_layers").isEmpty()) {
            problems.add(r.where("mlp_only_layers"), "mlp_only_layers lists dense layers, which SGLang 0.4.8.post1 "
                    + "does not build for Qwen3-MoE (every layer sparse, srt/models/qwen3_moe.py:527-529); accepted: []");
        }
    }

    /** {@code architectures[0]}, the class SGLang builds the model with; only the MoE models above are simulated. */
    private String architecture() {
        if (!r.has("architectures")) {
            missing("architectures", "a list naming the model class, such as [\"DeepseekV3ForCausalLM\"]");
            return null;
        }
        List<YamlNode> items = r.list("architectures");
        if (items.isEmpty()) {
            if (r.node("architectures") instanceof YamlNode.Sequence empty) {
                problems.add(empty.where(), "architectures is empty; it must name the model class, such as "
                        + "[\"DeepseekV3ForCausalLM\"]");
            }
            return null;
        }
        YamlNode first = items.get(0);
        String name = first instanceof YamlNode.Scalar s ? s.text() : first.kind();
        if (ARCHITECTURES.contains(name)) {
            return name;
        }
        String why = r.has("num_key_value_heads") && !r.has("kv_lora_rank")
                ? "pdsim models grouped-query attention (num_key_value_heads) for Qwen3-MoE's model class only"
                : "pdsim simulates the mixture-of-experts models of these classes only";
        problems.add(first.where(), "architectures[0] = " + Quote.of(name) + " cannot be simulated: " + why
                + "; accepted: " + String.join(", ", ARCHITECTURES));
        return null;
    }

    /** Null in DeepSeek-V2-Lite: the query is projected from the hidden state directly, a layout pdsim does not model. */
    private int qLoraRank() {
        YamlNode n = r.node("q_lora_rank");
        if (n instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.NULL) {
            problems.add(n.where(), "q_lora_rank = null (the query projected without a low-rank down projection, "
                    + "as in DeepSeek-V2-Lite) is not modelled; pdsim needs a whole number, such as 1536");
            return INVALID;
        }
        return required("q_lora_rank", 1, MAX_DIMENSION);
    }

    /** SGLang makes layer i an MoE layer when i >= first_k_dense_replace and i % moe_layer_freq == 0 (srt/models/deepseek_v2.py:1674-1678). */
    private void checkEveryLaterLayerMoe() {
        long freq = r.integer("moe_layer_freq", 1L, 1, 1000);
        if (freq != 1) {
            problems.add(r.where("moe_layer_freq"), "moe_layer_freq = " + freq + " (dense layers between MoE ones) "
                    + "is not modelled; pdsim makes every layer from first_k_dense_replace on an MoE layer; accepted: 1");
        }
    }

    /** {@code n_group}: the routed experts must split into equal groups. */
    private int groups(int routed) {
        int groups = required("n_group", 1, boundBy(routed, 1 << 16));
        if (groups != INVALID && routed != INVALID && routed % groups != 0) {
            problems.add(r.where("n_group"), "n_group = " + groups + " does not divide n_routed_experts = " + routed
                    + " into equal expert groups");
            return INVALID;
        }
        return groups;
    }

    /** The upper bound a valid field sets for another; {@code otherwise} when that field was itself reported. */
    private static int boundBy(int value, int otherwise) {
        return value == INVALID ? otherwise : Math.max(value, 0);
    }

    private void checkDtype() {
        String dtype = r.string("torch_dtype", null);
        if (dtype == null) {
            missing("torch_dtype", "\"" + ACTIVATION_DTYPE + "\"");
        } else if (!dtype.equals(ACTIVATION_DTYPE)) {
            problems.add(r.where("torch_dtype"), "torch_dtype = " + Quote.of(dtype) + " is not modelled: pdsim's "
                    + "activations, embedding and KV cache are 2-byte BF16; accepted: " + ACTIVATION_DTYPE);
        }
    }

    /** The {@code quantization_config}; pdsim knows DeepSeek's FP8 release format only. */
    private WeightFormat weightFormat() {
        WeightFormat fp8 = WeightFormat.FP8_BLOCK_128;
        String accepted = "accepted: {\"quant_method\": \"fp8\", \"fmt\": \"e4m3\", \"weight_block_size\": [128, 128]} ("
                + fp8.description() + ")";
        MappingReader q = r.mapping("quantization_config");
        if (q == null) {
            if (!r.has("quantization_config")) {
                missing("quantization_config", "an unquantized BF16 checkpoint is not modelled; " + accepted);
            }
            return fp8;
        }
        String method = q.string("quant_method", null);
        if (!fp8.quantMethod().equals(method)) {
            problems.add(q.where("quant_method"), "quantization_config.quant_method = " + Quote.of(String.valueOf(method))
                    + " is not modelled; " + accepted);
        }
        String fmt = q.string("fmt", "e4m3");
        if (!fmt.equals("e4m3")) {
            problems.add(q.where("fmt"), "quantization_config.fmt = " + Quote.of(fmt) + " is not modelled; " + accepted);
        }
        List<YamlNode> block = q.list("weight_block_size");
        boolean block128 = block.size() == 2 && block.stream().allMatch(n -> n instanceof YamlNode.Scalar s
                && s.type() == YamlNode.ScalarType.INTEGER && s.text().equals("128"));
        if (!block128) {
            problems.add(q.where("weight_block_size"), "quantization_config.weight_block_size must be [128, 128] "
                    + "(per-tensor or other block scales are not modelled); " + accepted);
        }
        return fp8;
    }

    /**
     * The main model's checkpoint: linear layers in the checkpoint's format, embedding and LM head
     * BF16. ASSUMPTION: norms, the router gates and any MTP layers (num_nextn_predict_layers) are left
     * out, about 2 % of DeepSeek-V3's 690 GB; the size is shown for reference and sizes nothing.
     */
    private static double checkpointBytes(ModelSpec m) {
        long linear = m.numLayers() * m.attentionParamsPerLayer()
                + (long) m.firstKDenseReplace() * m.denseMlpParams()
                + (long) m.moeLayers() * (m.routedExperts() + m.sharedExperts()) * m.expertParams();
        return linear * m.weights().bytesPerParam() + (double) ModelSpec.ACTIVATION_BYTES * m.vocabParams();
    }

    /** The field's value, or {@link #INVALID} with a problem recorded. */
    private int required(String key, int min, int max) {
        if (!r.has(key)) {
            missing(key, "a whole number in " + min + ".." + max);
            return INVALID;
        }
        return r.integer(key, (long) INVALID, min, max).intValue();
    }

    private int optional(String key, int min, int max) {
        return r.integer(key, (long) min, min, max).intValue();
    }

    private void missing(String key, String expected) {
        problems.add(r.where(), "config.json has no field " + Quote.of(key) + ", which pdsim needs: " + expected);
    }
}

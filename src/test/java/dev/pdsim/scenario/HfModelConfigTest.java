package dev.pdsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problem;
import dev.pdsim.model.GqaAttention;
import dev.pdsim.model.ModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfModelConfigTest {
    private static final Path MODELS = Path.of("scenarios", "models");

    @Test
    void deepSeekV3ConfigGivesTheNamedModelsFigures() throws IOException {
        Scenario fromConfig = ScenarioLoader.load(MODELS.resolve("deepseek-v3.yaml"));
        String named = Files.readString(MODELS.resolve("deepseek-v3.yaml"), StandardCharsets.UTF_8)
                .replace("model: {config: deepseek-v3/config.json}", "model: deepseek-v3");
        Scenario byName = ScenarioLoader.parse(MODELS.resolve("named.yaml").toString(), named);
        ModelSpec read = fromConfig.model();
        ModelSpec v3 = byName.model();
        assertEquals("deepseek-v3", read.name());
        // Every field but the checkpoint size, which the named model declares and a config.json lacks.
        assertEquals(v3, new ModelSpec(read.name(), read.numLayers(), read.firstKDenseReplace(), read.hiddenSize(),
                read.numHeads(), read.attention(), read.routedExperts(), read.sharedExperts(), read.topK(), read.moeIntermediate(),
                read.denseIntermediate(), read.vocabSize(), v3.weightBytes(), read.expertGroups(), read.topKGroups(),
                read.maxPositionEmbeddings(), read.routing(), read.weights(), read.architecture(), read.mtpLayers()));
        assertEquals(61, read.numLayers());
        assertEquals(70_272, read.kvBytesPerRankToken(ModelSpec.ACTIVATION_BYTES, 1));
        for (Role role : Role.values()) {
            for (int i = 0; i < byName.instances(role).size(); i++) {
                assertEquals(byName.instances(role).get(i).resolved().memory(),
                        fromConfig.instances(role).get(i).resolved().memory(), role + " weights and KV pool per GPU");
            }
        }
        // The estimate leaves out norms, gates and the MTP layer: within MemoryModelTest's 5 % of 690 GB.
        assertTrue(Math.abs(read.weightBytes() - v3.weightBytes()) / v3.weightBytes() < 0.05, read.weightBytes() + " B");
    }

    @Test
    void kimiK2IsDeepSeekV3sArchitectureWithItsOwnShape() {
        ModelSpec k2 = ScenarioLoader.load(MODELS.resolve("kimi-k2.yaml")).model();
        assertEquals("kimi-k2", k2.name());
        assertEquals(384, k2.routedExperts());
        assertEquals(64, k2.numHeads());
        assertEquals(1, k2.firstKDenseReplace());
        assertEquals(60, k2.moeLayers());
        assertEquals(1, k2.expertGroups());
        assertEquals(163_840, k2.vocabSize());
        // 384 routed experts: SGLang does not fuse the shared expert (srt/models/deepseek_v2.py:1918-1949).
        assertTrue(!k2.sharedExpertFusable() && ModelSpec.DEEPSEEK_V3.sharedExpertFusable());
    }

    /**
     * Hand-computed from scenarios/models/qwen3-235b-a22b/config.json: num_hidden_layers 94,
     * hidden_size 4096, num_attention_heads 64, num_key_value_heads 4, head_dim 128, num_experts 128,
     * num_experts_per_tok 8, moe_intermediate_size 1536, vocab_size 151936, FP8 blocks of 128 x 128.
     */
    @Test
    void qwen3MoeIsReadWithGroupedQueryAttentionAndNoSharedExpert() {
        ModelSpec q = ScenarioLoader.load(MODELS.resolve("qwen3-235b-a22b.yaml")).model();
        assertEquals(new GqaAttention(4, 128), q.attention());
        assertEquals(94, q.numLayers());
        assertEquals(0, q.firstKDenseReplace());
        assertEquals(94, q.moeLayers());
        assertEquals(128, q.routedExperts());
        assertEquals(0, q.sharedExperts());
        assertEquals(8, q.topK());
        assertEquals(1, q.expertGroups());
        assertEquals(1, q.topKGroups());
        // K and V, 4 heads of 128, 94 layers, BF16: 2 x 4 x 128 x 94 x 2.
        assertEquals(192_512, q.kvBytesPerRankToken(ModelSpec.ACTIVATION_BYTES, 1));
        // Attention-TP 16 over 4 KV heads: one head per rank, each replicated on 4 ranks.
        assertEquals(2L * 1 * 128 * 94 * 2, q.kvBytesPerRankToken(ModelSpec.ACTIVATION_BYTES, 16));
        assertEquals(2L * 2 * 128 * 94, q.kvBytesPerRankToken(1, 2));
        // spec/calibration.md: a 4,096-token prompt of Qwen3-235B moves 1.58 GB, as 8 GPUs (TP 8) each
        // sending the one KV head they hold.
        assertEquals(1.58e9, 8.0 * 4096 * q.kvBytesPerRankToken(ModelSpec.ACTIVATION_BYTES, 8), 0.01e9);
        // q 4096 x 64 x 128, k and v 4096 x 4 x 128 each, o 64 x 128 x 4096.
        assertEquals(4096L * 8192 + 2 * 4096L * 512 + 8192L * 4096, q.attentionParamsPerLayer());
        assertEquals(3L * 4096 * 1536, q.expertParams());
        double linear = 94.0 * 71_303_168 + 94.0 * 128 * 18_874_368;
        assertEquals(233_798_893_568.0, linear);
        assertEquals(linear * (1 + 4.0 / (128 * 128)) + 2.0 * 2 * 151_936 * 4096, q.weightBytes(), 1.0);
    }

    @Test
    void otherGroupedQueryAttentionModelsAreRefusedAtTheirArchitecturesLine(@TempDir Path dir) throws IOException {
        String qwen = Files.readString(MODELS.resolve("qwen3-235b-a22b").resolve("config.json"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("config.json"), qwen.replace("Qwen3MoeForCausalLM", "MixtralForCausalLM"),
                StandardCharsets.UTF_8);
        List<Problem> problems = assertThrows(InputException.class, () -> ScenarioLoader.parse(
                dir.resolve("s.yaml").toString(), "model: {config: config.json}\n"
                        + ScenarioLoaderTest.withPrefill())).problems();
        assertEquals(1, problems.size(), problems.toString());
        String message = problems.get(0).toString();
        assertTrue(message.startsWith(dir.resolve("config.json") + ":3:5: "
                + "architectures[0] = 'MixtralForCausalLM' cannot be simulated"), message);
        assertTrue(message.contains("Qwen3MoeForCausalLM") && message.contains("DeepseekV3ForCausalLM"), message);
    }

    @Test
    void qwen3MoeWithDenseLayersOrUnevenGroupsIsRefused(@TempDir Path dir) throws IOException {
        String qwen = Files.readString(MODELS.resolve("qwen3-235b-a22b").resolve("config.json"), StandardCharsets.UTF_8);
        String bad = qwen.replace("\"decoder_sparse_step\": 1", "\"decoder_sparse_step\": 2")
                .replace("\"mlp_only_layers\": []", "\"mlp_only_layers\": [0]")
                .replace("\"num_key_value_heads\": 4", "\"num_key_value_heads\": 5");
        Files.writeString(dir.resolve("config.json"), bad, StandardCharsets.UTF_8);
        List<String> lines = bad.lines().toList();
        List<Problem> problems = assertThrows(InputException.class, () -> ScenarioLoader.parse(
                dir.resolve("s.yaml").toString(), "model: {config: config.json}\n"
                        + ScenarioLoaderTest.withPrefill())).problems();
        String config = dir.resolve("config.json").toString();
        assertProblem(problems, config, lineOf(lines, "decoder_sparse_step"), "decoder_sparse_step = 2");
        assertProblem(problems, config, lineOf(lines, "mlp_only_layers"), "mlp_only_layers lists dense layers");
        assertProblem(problems, config, lineOf(lines, "num_key_value_heads"), "does not divide num_attention_heads = 64");
        assertEquals(3, problems.size(), problems.toString());
    }

    @Test
    void badFieldsAreReportedAtTheirLineInTheConfig(@TempDir Path dir) throws IOException {
        String v3 = Files.readString(MODELS.resolve("deepseek-v3").resolve("config.json"), StandardCharsets.UTF_8);
        String bad = v3.replace("\"num_hidden_layers\": 61", "\"num_hidden_layers\": \"sixty-one\"")
                .replace("  \"kv_lora_rank\": 512,\n", "")
                .replace("\"torch_dtype\": \"bfloat16\"", "\"torch_dtype\": \"float32\"")
                .replace("\"n_group\": 8", "\"n_group\": 7")
                .replace("\"quant_method\": \"fp8\"", "\"quant_method\": \"awq\"");
        Files.writeString(dir.resolve("config.json"), bad, StandardCharsets.UTF_8);
        List<String> lines = bad.lines().toList();
        List<Problem> problems = assertThrows(InputException.class, () -> ScenarioLoader.parse(
                dir.resolve("s.yaml").toString(), "model: {config: config.json}\n"
                        + ScenarioLoaderTest.withPrefill())).problems();
        String config = dir.resolve("config.json").toString();
        assertProblem(problems, config, lineOf(lines, "num_hidden_layers"), "num_hidden_layers must be a whole number");
        assertProblem(problems, config, 1, "no field 'kv_lora_rank'");
        assertProblem(problems, config, lineOf(lines, "torch_dtype"), "torch_dtype = 'float32' is not modelled");
        assertProblem(problems, config, lineOf(lines, "\"n_group\""), "n_group = 7 does not divide n_routed_experts = 256");
        assertProblem(problems, config, lineOf(lines, "quant_method"), "quantization_config.quant_method = 'awq'");
        assertEquals(5, problems.size(), problems.toString());
    }

    @Test
    void aMissingConfigIsReportedAtTheScenariosField(@TempDir Path dir) {
        List<Problem> problems = assertThrows(InputException.class, () -> ScenarioLoader.parse(
                dir.resolve("s.yaml").toString(), "model:\n  config: nowhere/config.json\n"
                        + ScenarioLoaderTest.withPrefill())).problems();
        assertEquals(new dev.pdsim.diag.SourceLocation(dir.resolve("s.yaml").toString(), 2, 11), problems.get(0).where());
        assertTrue(problems.get(0).message().contains("no such file"), problems.toString());
    }

    @Test
    void aModelMappingWithoutConfigIsRefused() {
        List<Problem> problems = assertThrows(InputException.class, () -> ScenarioLoader.parse("t.yaml",
                "model: {path: x}\n" + ScenarioLoaderTest.withPrefill())).problems();
        assertTrue(problems.stream().anyMatch(p -> p.toString().startsWith("t.yaml:1:") && p.message().contains(
                "{config: path/to/config.json}")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.message().contains("unknown field 'path'")), problems.toString());
    }

    private static int lineOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in the config");
    }

    private static void assertProblem(List<Problem> problems, String file, int line, String message) {
        assertTrue(problems.stream().anyMatch(p -> p.where().file().equals(file) && p.where().line() == line
                && p.message().contains(message)), file + ":" + line + ": " + message + " not in " + problems);
    }
}

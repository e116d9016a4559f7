package dev.pdsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problem;
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
                read.numHeads(), read.qLoraRank(), read.kvLoraRank(), read.qkRopeHeadDim(), read.qkNopeHeadDim(),
                read.vHeadDim(), read.routedExperts(), read.sharedExperts(), read.topK(), read.moeIntermediate(),
                read.denseIntermediate(), read.vocabSize(), v3.weightBytes(), read.expertGroups(), read.topKGroups(),
                read.maxPositionEmbeddings(), read.routing(), read.weights(), read.architecture()));
        assertEquals(61, read.numLayers());
        assertEquals(70_272, read.kvBytesPerToken(ModelSpec.ACTIVATION_BYTES));
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

    @Test
    void qwen3MoeIsRefusedAtItsArchitecturesLineForItsGqaAttention() {
        List<Problem> problems = assertThrows(InputException.class,
                () -> ScenarioLoader.load(MODELS.resolve("qwen3-235b-a22b.yaml"))).problems();
        assertEquals(1, problems.size(), problems.toString());
        String message = problems.get(0).toString();
        assertTrue(message.startsWith(MODELS.resolve("qwen3-235b-a22b").resolve("config.json") + ":3:5: "
                + "architectures[0] = 'Qwen3MoeForCausalLM' cannot be simulated"), message);
        assertTrue(message.contains("GQA") && message.contains("DeepseekV3ForCausalLM"), message);
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

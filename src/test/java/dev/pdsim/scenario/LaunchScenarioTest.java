package dev.pdsim.scenario;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Launch blocks inside scenario files: vars:, colocated servers, all problems at once, warnings. */
class LaunchScenarioTest {
    private static final String DECODE = "  - role: decode\n    tp_size: 8\n";

    private static String withPrefillLaunch(String launch) {
        return "hardware: h200\ninstances:\n  - role: prefill\n    launch: " + launch + "\n" + DECODE;
    }

    private static List<Problem> problems(String text) {
        return assertThrows(InputException.class, () -> ScenarioLoader.parse("t.yaml", text)).problems();
    }

    @Test
    void aLaunchWithoutDisaggregationModeIsAColocatedServer() {
        String plain = "python3 -m sglang.launch_server --model-path /m --tp 8";
        Scenario s = ScenarioLoader.parse("t.yaml", "hardware: h200\ninstances:\n  - launch: " + plain + "\n");
        InstanceSpec only = s.instances().get(0);
        assertEquals(Role.COLOCATED, only.role());
        assertEquals(DisaggregationMode.NULL, only.args().disaggregationMode());
        assertFalse(only.args().disableCudaGraph(), "a colocated server captures CUDA graphs");
        assertEquals(Role.COLOCATED, ScenarioLoader.parse("t.yaml", "hardware: h200\ninstances:\n  - role: colocated\n"
                + "    launch: " + plain + " --disaggregation-mode null\n").instances().get(0).role());
        assertEquals(Role.PREFILL, ScenarioLoader.parse("t.yaml", "hardware: h200\ninstances:\n  - launch: " + plain
                + " --disaggregation-mode prefill\n" + DECODE).instances().get(0).role(), "the launch line gives the role");
    }

    @Test
    void aRoleThatContradictsTheLaunchLineIsRefused() {
        List<Problem> p = problems(withPrefillLaunch("python3 -m sglang.launch_server --model-path /m --tp 8"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).message().contains("no --disaggregation-mode, so SGLang runs it colocated"), p.toString());
        assertTrue(p.get(0).message().endsWith("add --disaggregation-mode prefill or write role: colocated"), p.toString());
        List<Problem> q = problems(withPrefillLaunch("python3 -m sglang.launch_server --model-path /m --disaggregation-mode null --tp 8"));
        assertTrue(q.get(0).message().contains("contradicts instances[0].role = prefill (null is a colocated server"), q.toString());
    }

    @Test
    void colocatedServersServeAloneButNotBesideOneHalfOfDisaggregation() {
        String colocated = "  - role: colocated\n    tp_size: 8\n";
        assertEquals(1, ScenarioLoader.parse("t.yaml", "hardware: h200\ninstances:\n" + colocated).instances().size());
        List<Problem> p = problems("hardware: h200\ninstances:\n" + colocated + DECODE);
        assertTrue(p.get(0).message().contains("needs at least one prefill instance; none is listed beside the colocated ones"),
                p.toString());
    }

    @Test
    void valueErrorsAreReportedWithUnknownFlags() {
        List<Problem> p = problems(withPrefillLaunch("python3 -m sglang.launch_server --model-path /m --disaggregation-mode prefill "
                + "--tp-szie 8 --kv-cache-dtype fp8 --tp 0 --moe-a2a-backend deepep"));
        String all = p.toString();
        assertEquals(4, p.size(), all);
        assertTrue(all.contains("unknown flag --tp-szie"), all);
        assertTrue(all.contains("--kv-cache-dtype = 'fp8' is not accepted"), all);
        assertTrue(all.contains("--tp-size = 0 is out of range"), all);
        assertTrue(all.contains("--moe-a2a-backend is not a flag of SGLang 0.4.8.post1"), all);
    }

    @Test
    void varsGiveValuesToLaunchVariables() {
        String text = "vars:\n  NODES: 2\n  TP: 16\n" + withPrefillLaunch("python3 -m sglang.launch_server --model-path /m "
                + "--disaggregation-mode prefill --nnodes $NODES --tp ${TP} --dp $((TP / 2)) --enable-dp-attention");
        ServerArgs a = ScenarioLoader.parse("t.yaml", text).instances(Role.PREFILL).get(0).args();
        assertEquals(2, a.nnodes());
        assertEquals(16, a.tpSize());
        assertEquals(8, a.dpSize());
        assertTrue(problems("vars: [1]\n" + withPrefillLaunch("x")).get(0).message().contains("vars must be a mapping"));
        assertTrue(problems("vars:\n  2X: 1\n" + withPrefillLaunch("python3 -m sglang.launch_server --model-path /m "
                + "--disaggregation-mode prefill")).get(0).message().contains("is not a shell variable name"));
    }

    @Test
    void notSimulatedFlagsWithOtherThanTheirDefaultAreWarnings() {
        Scenario s = ScenarioLoader.parse("t.yaml", withPrefillLaunch("python3 -m sglang.launch_server --model-path /m "
                + "--disaggregation-mode prefill --tp 8 --schedule-policy fcfs --speculative-token-map /t.pt "
                + "--kv-cache-dtype fp8_e4m3 --host 0.0.0.0 --cuda-graph-bs 1 2 4"));
        assertEquals(List.of(
                "prefill: --speculative-token-map /t.pt: not simulated: drafting over a reduced vocabulary is not modelled"),
                s.warnings());
        ResolvedServerArgs r = s.instances(Role.PREFILL).get(0).resolved();
        assertEquals(List.of("--model-path /m", "--host 0.0.0.0"), r.flagsOf(FlagKind.NO_EFFECT));
        assertEquals(List.of("--disaggregation-mode prefill", "--tp-size 8", "--kv-cache-dtype fp8_e4m3", "--cuda-graph-bs 1 2 4"),
                r.flagsOf(FlagKind.SIMULATED), "the KV element type sizes the KV pool");
    }

    @Test
    void aListFlagAsAYamlSequence() {
        String text = "hardware: h200\ninstances:\n  - role: prefill\n    tp_size: 8\n    cuda_graph_bs: [1, 2, 4]\n" + DECODE;
        Scenario s = ScenarioLoader.parse("t.yaml", text);
        assertEquals(List.of(), s.warnings());
        assertEquals(List.of(1, 2, 4), s.instances(Role.PREFILL).get(0).args().cudaGraphBs());
        assertTrue(problems(text.replace("[1, 2, 4]", "[1, two]")).get(0).message().contains("must be a whole number"));
    }

    @Test
    void theShippedRunbooksValidate() throws IOException {
        List<Path> runbooks;
        try (Stream<Path> files = Files.list(Path.of("scenarios", "runbook"))) {
            runbooks = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(runbooks.size() >= 3, runbooks.toString());
        for (Path f : runbooks) {
            Scenario s = ScenarioLoader.load(f);
            boolean colocated = f.getFileName().toString().startsWith("colocated");
            assertEquals(colocated ? 1 : 2, s.instances().size(), f.toString());
            assertEquals(colocated, s.instances().get(0).role() == Role.COLOCATED, f.toString());
        }
        Scenario lmsys = ScenarioLoader.load(Path.of("scenarios", "runbook", "lmsys-4p9d-script.yaml"));
        assertEquals(72, lmsys.instances(Role.DECODE).get(0).args().tpSize());
        // A placement given by file starts the experts balanced (srt/managers/expert_location.py:416-448).
        assertEquals("/configs/ep_statistics/decode_in2000out100.json",
                lmsys.instances(Role.DECODE).get(0).args().initExpertLocation());
        assertTrue(lmsys.instances(Role.DECODE).get(0).args().balancedExpertPlacement());
        assertTrue(lmsys.warnings().stream().noneMatch(w -> w.contains("--init-expert-location")),
                lmsys.warnings().toString());
    }
}

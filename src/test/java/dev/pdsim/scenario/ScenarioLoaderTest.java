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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioLoaderTest {
    private static List<Problem> problems(String text) {
        return assertThrows(InputException.class, () -> ScenarioLoader.parse("t.yaml", text)).problems();
    }

    @Test
    void reportedScenarioValidatesCleanlyWithSglangAdjustments() {
        Scenario s = ScenarioLoader.load(Path.of("scenarios", "reported-xpyd.yaml"));
        ServerArgs p = s.instances(Role.PREFILL).get(0).args();
        ServerArgs d = s.instances(Role.DECODE).get(0).args();
        assertEquals(16, p.tpSize());
        assertTrue(p.enableTwoBatchOverlap() && p.enableDpAttention() && p.disableCudaGraph());
        assertEquals(32768, p.chunkedPrefillSize());
        assertEquals(1_000_000, p.watchdogTimeoutS());
        assertEquals(48, d.dpSize());
        assertFalse(d.enableTwoBatchOverlap());
        assertEquals(512, d.numReservedDecodeTokens());
        assertTrue(s.instances(Role.PREFILL).get(0).resolved().flagsOf(FlagKind.NO_EFFECT).contains("--host 0.0.0.0"));
    }

    @Test
    void routingIsSkewedUnlessTheScenarioAsksForBalanced() {
        assertEquals(dev.pdsim.model.ExpertRouting.SKEWED, ScenarioLoader.parse("t.yaml", withPrefill()).model().routing());
        assertEquals(dev.pdsim.model.ExpertRouting.BALANCED,
                ScenarioLoader.parse("t.yaml", "routing: balanced\n" + withPrefill()).model().routing());
        Problem bad = problems("routing: even\n" + withPrefill()).get(0);
        assertTrue(bad.toString().contains("routing") && bad.toString().contains("balanced"), bad.toString());
        assertEquals(1, bad.where().line());
    }

    /** The valid scenario with prefill fields replaced or added ("field: value" lines). */
    static String withPrefill(String... fields) {
        java.util.Map<String, String> f = new java.util.LinkedHashMap<>();
        f.put("nnodes", "2");
        f.put("tp_size", "16");
        f.put("dp_size", "16");
        f.put("enable_dp_attention", "true");
        for (String kv : fields) {
            f.put(kv.substring(0, kv.indexOf(':')).trim(), kv.substring(kv.indexOf(':') + 1).trim());
        }
        StringBuilder sb = new StringBuilder("instances:\n  - role: prefill\n");
        f.forEach((k, v) -> sb.append("    ").append(k).append(": ").append(v).append('\n'));
        return sb + "  - role: decode\n    nnodes: 2\n    tp_size: 16\n    dp_size: 16\n    enable_dp_attention: true\n";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "tp 0                     | tp_size: 0              |                          | out of range",
            "dp not dividing tp       | dp_size: 5              |                          | not divisible by dp_size = 5",
            "lm head without DP attn  | enable_dp_attention: false | enable_dp_lm_head: true | requires --enable-dp-attention",
            "moe dense tp 2           | moe_dense_tp_size: 2    |                          | only 1 and None",
            "deepep auto with DP attn | enable_deepep_moe: true |                          | auto",
            "wrong type               | tp_size: sixteen        |                          | must be a whole number",
            "unknown field            | tp_szie: 16             |                          | did you mean 'tp_size'",
            "node rank past nodes     | node_rank: 2            |                          | must be smaller than nnodes",
    })
    void badInstanceValuesNameFieldValueAndRule(String name, String field, String other, String expected) {
        List<Problem> ps = problems(other == null ? withPrefill(field) : withPrefill(field, other));
        assertTrue(ps.stream().anyMatch(p -> p.message().contains(expected)), name + ": " + ps);
        assertTrue(ps.stream().allMatch(p -> p.where().line() > 0), ps.toString());
    }

    @Test
    void absurdNodeCountAndTpNotDivisibleByNodes() {
        assertTrue(problems(withPrefill("nnodes: 1000000000000")).toString().contains("out of range"));
        assertTrue(problems(withPrefill("nnodes: 3")).toString().contains("not divisible by nnodes = 3"));
        assertTrue(problems(withPrefill("nnodes: 1")).toString().contains("needs 16 GPUs per node"));
    }

    @Test
    void dpAcrossNodesWithoutDpAttention() {
        String text = withPrefill("dp_size: 2", "enable_dp_attention: false");
        assertTrue(problems(text).toString().contains("needs --enable-dp-attention"), problems(text).toString());
    }

    @Test
    void fileLevelMistakes() {
        assertTrue(problems("").get(0).message().contains("empty"));
        assertTrue(problems("instances: [\n").get(0).message().startsWith("broken YAML"));
        assertTrue(problems("sedd: 3\n" + withPrefill()).toString().contains("did you mean 'seed'"));
        assertTrue(problems("strategy: fixed\n" + withPrefill()).toString().contains("accepted values: buggy"));
        assertTrue(problems("seed: 1\n").toString().contains("missing field 'instances'"));
        String onlyPrefill = withPrefill().substring(0, withPrefill().indexOf("  - role: decode"));
        assertTrue(problems(onlyPrefill).toString().contains("at least one decode instance"));
        InputException missing = assertThrows(InputException.class, () -> ScenarioLoader.load(Path.of("nope.yaml")));
        assertEquals("nope.yaml: no such file", missing.problems().get(0).toString());
    }

    @Test
    void severalProblemsAreAllReported() {
        String text = "sedd: 1\nhardware: b200\n" + withPrefill("dp_size: 5");
        assertTrue(problems(text).size() >= 3, problems(text).toString());
    }

    @Test
    void aMistypedRoleDoesNotHideTheServerArgumentRules() {
        String text = withPrefill("dp_size: 5").replace("role: prefill", "role: prefil");
        List<Problem> found = problems(text);
        assertEquals(2, found.size(), found.toString());
        assertTrue(found.get(0).message().contains("did you mean 'prefill'"), found.toString());
        assertTrue(found.get(1).message().contains("not divisible by dp_size = 5"), found.toString());
    }

    @Test
    void aValueIsNamedTheWayItWasWritten() {
        assertTrue(problems(withPrefill("tp_size: 0")).get(0).message().startsWith("tp_size = 0 is out of range"),
                problems(withPrefill("tp_size: 0")).toString());
        String launch = "instances:\n  - role: prefill\n    launch: python3 -m sglang.launch_server --model-path /m --disaggregation-mode prefill --tp-size 0\n"
                + "  - role: decode\n    tp_size: 8\n";
        assertTrue(problems(launch).get(0).message().startsWith("--tp-size = 0 is out of range"), problems(launch).toString());
    }

    @Test
    void roleAndLaunchLineMustAgree() {
        String text = """
                instances:
                  - role: decode
                    launch: python3 -m sglang.launch_server --model-path /m --disaggregation-mode prefill --tp-size 8
                  - role: prefill
                    tp_size: 8
                """;
        assertTrue(problems(text).toString().contains("contradicts"));
    }

    @Test
    void unknownWorkloadTypeIsBadInputNamingTheAcceptedValues() {
        List<Problem> p = problems(withPrefill("enable_two_batch_overlap: true") + "workload:\n  type: poison\n");
        assertEquals(1, p.size(), p.toString());
        assertEquals("workload.type is 'poison'; accepted values: poisson, concurrency, trace (did you mean 'poisson'?)",
                p.get(0).message());
    }

    @Test
    void aMissingWorkloadMeansTheDeclaredDefaults() {
        WorkloadSpec w = ScenarioLoader.parse("t.yaml", withPrefill()).workload();
        assertEquals(WorkloadType.POISSON, w.type());
        assertEquals(4.0, w.rate());
        assertEquals(64, w.concurrency());
        assertEquals(new LengthSpec.Fixed(1024), w.inputLen());
        assertEquals(new LengthSpec.Fixed(256), w.outputLen());
    }

    @Test
    void aStrategysLaunchChangesAreAppliedWhenItIsChosenAndComeLast() {
        Scenario tboOff = ScenarioLoader.parse("t.yaml", withPrefill("enable_two_batch_overlap: true")
                + "strategy: tbo-off\n");
        assertFalse(tboOff.instances(Role.PREFILL).get(0).args().enableTwoBatchOverlap());
        assertTrue(tboOff.withStrategy(Strategy.PATCHED).instances(Role.PREFILL).get(0).args().enableTwoBatchOverlap(),
                "another strategy starts again from the launch as written");
        Scenario swept = tboOff.withFlags(Role.PREFILL, java.util.Map.of("enable-two-batch-overlap", "true"), "sweep");
        assertFalse(swept.instances(Role.PREFILL).get(0).args().enableTwoBatchOverlap(), "the strategy's change wins");
        assertTrue(swept.withStrategy(Strategy.BUGGY).instances(Role.PREFILL).get(0).args().enableTwoBatchOverlap());
        assertTrue(tboOff.instances(Role.DECODE).get(0).args().enableDpAttention(), "decode launches are untouched");
    }

    @Test
    void hangsDegradedLinksAndRouterRetriesAreReadAndChecked() throws IOException {
        String text = Files.readString(Path.of("scenarios", "faults", "node-lost.yaml"));
        String fault = "node_lost: {instance: decode-0, node: 1, at_s: 30}";
        int line = text.lines().toList().indexOf("  - " + fault) + 1;
        assertEquals(List.of(new CollectiveHang("decode-1", 15.0)),
                ScenarioLoader.parse("t.yaml", text.replace(fault, "collective_hang: {instance: decode-1, at_s: 15}")).faults());
        String hang = problems(text.replace(fault, "collective_hang: {instance: decode-9, at_s: 15}")).toString();
        assertTrue(hang.contains("t.yaml:" + line + ":") && hang.contains("prefill-0, prefill-1, decode-0, decode-1"), hang);
        String link = "degraded_link: {link: kv, from_s: 10, to_s: 20, bandwidth_factor: 0.25}";
        assertEquals(List.of(new DegradedLink("kv", 10.0, 20.0, 0.25)),
                ScenarioLoader.parse("t.yaml", text.replace(fault, link)).faults());
        String badLink = problems(text.replace(fault, link.replace("link: kv", "link: nic-3"))).toString();
        assertTrue(badLink.contains("t.yaml:" + line + ":") && badLink.contains("accepted: kv, prefill-0, prefill-1, decode-0, decode-1"),
                badLink);
        String factor = problems(text.replace(fault, link.replace("0.25", "2"))).toString();
        assertTrue(factor.contains("bandwidth_factor"), factor);
        String window = problems(text.replace(fault, link.replace("to_s: 20", "to_s: 10"))).toString();
        assertTrue(window.contains("must be after from_s"), window);

        assertEquals(RouterSpec.DEFAULT, ScenarioLoader.parse("t.yaml", text).router());
        Scenario retrying = ScenarioLoader.parse("t.yaml", text.replace("router: round-robin",
                "router: {policy: random, retries: 3}"));
        assertEquals(new RouterSpec(RouterPolicy.RANDOM, 3), retrying.router());
        String negative = problems(text.replace("router: round-robin", "router: {policy: random, retries: -1}")).toString();
        assertTrue(negative.contains("retries"), negative);
        String unknown = problems(text.replace("router: round-robin", "router: {policy: random, retry: 1}")).toString();
        assertTrue(unknown.contains("retry"), unknown);
        String policy = problems(text.replace("router: round-robin", "router: {policy: fastest}")).toString();
        assertTrue(policy.contains("round-robin, random"), policy);
    }

    @Test
    void faultsAreCheckedAgainstTheServersTheScenarioLaunches() throws IOException {
        String text = Files.readString(Path.of("scenarios", "faults", "node-lost.yaml"));
        String fault = "node_lost: {instance: decode-0, node: 1, at_s: 30}";
        assertEquals(List.of(new NodeLost("decode-0", 1, 30.0)), ScenarioLoader.parse("t.yaml", text).faults());
        int line = text.lines().toList().indexOf("  - " + fault) + 1;
        String unknown = problems(text.replace(fault, "node_lost: {instance: decode-7, node: 1, at_s: 30}")).toString();
        assertTrue(unknown.contains("t.yaml:" + line + ":") && unknown.contains("names no instance")
                && unknown.contains("prefill-0, prefill-1, decode-0, decode-1"), unknown);
        String node = problems(text.replace(fault, "node_lost: {instance: decode-0, node: 6, at_s: 30}")).toString();
        assertTrue(node.contains("t.yaml:" + line + ":") && node.contains("must be 0..5"), node);
        String missing = problems(text.replace(fault, "node_lost: {instance: decode-0, node: 1}")).toString();
        assertTrue(missing.contains("missing field faults[0].node_lost.at_s"), missing);
        String kind = problems(text.replace(fault, "node_gone: {instance: decode-0}")).toString();
        assertTrue(kind.contains("accepted: node_lost, kv_transfer_failure, straggler") && kind.contains("unknown field 'node_gone'"),
                kind);
        String kv = "kv_transfer_failure: {at_s: 10, count: 5}";
        assertEquals(List.of(new KvTransferFailure(10.0, 5)), ScenarioLoader.parse("t.yaml", text.replace(fault, kv)).faults());
        String noCount = problems(text.replace(fault, "kv_transfer_failure: {at_s: 10}")).toString();
        assertTrue(noCount.contains("missing field faults[0].kv_transfer_failure.count"), noCount);
        String zero = problems(text.replace(fault, "kv_transfer_failure: {at_s: 10, count: 0}")).toString();
        assertTrue(zero.contains("t.yaml:" + line + ":") && zero.contains("count"), zero);
        String slow = "straggler: {instance: prefill-0, rank: 3, from_s: 10, to_s: 20, slowdown: 2.0}";
        assertEquals(List.of(new Straggler("prefill-0", 3, 10.0, 20.0, 2.0)),
                ScenarioLoader.parse("t.yaml", text.replace(fault, slow)).faults());
        String rank = problems(text.replace(fault, slow.replace("rank: 3", "rank: 16"))).toString();
        assertTrue(rank.contains("t.yaml:" + line + ":") && rank.contains("must be 0..15"), rank);
        String window = problems(text.replace(fault, slow.replace("to_s: 20", "to_s: 5"))).toString();
        assertTrue(window.contains("must be after from_s"), window);
    }
}

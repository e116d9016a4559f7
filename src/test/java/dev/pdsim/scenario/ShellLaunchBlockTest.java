package dev.pdsim.scenario;

import dev.pdsim.diag.Problem;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Launch blocks written the way scripts and runbooks write them. */
class ShellLaunchBlockTest {
    private static LaunchCommand parse(String text, Map<String, String> vars, Problems problems) {
        return LaunchLineParser.parse(text, vars, (l, c) -> new SourceLocation("f", l + 1, c + 1), problems);
    }

    private static Map<String, String> flags(LaunchCommand c) {
        return c.flags().stream().collect(Collectors.toMap(f -> f.flag().name(), FlagValue::text, (a, b) -> b));
    }

    @Test
    void variablesFromVarsAssignmentsExportsAndArithmetic() {
        String text = """
                # 4 prefill nodes
                export MC_TE_METRIC=true
                GPUS=8
                $ python3 -m sglang.launch_server --model-path /m --disaggregation-mode prefill \\
                    --nnodes ${NODES} --tp-size $((NODES * GPUS)) --dp-size $(( (NODES*GPUS) / 2 )) \\
                    --node-rank ${NODE_RANK:-0} --chunked-prefill-size "$CHUNK" --host '$HOST' 2>&1 | tee p.log
                """;
        Problems p = new Problems();
        LaunchCommand c = parse(text, Map.of("NODES", "4", "CHUNK", "16384"), p);
        assertTrue(p.isEmpty(), p.list().toString());
        Map<String, String> f = flags(c);
        assertEquals("4", f.get("nnodes"));
        assertEquals("32", f.get("tp-size"));
        assertEquals("16", f.get("dp-size"));
        assertEquals("0", f.get("node-rank"));
        assertEquals("16384", f.get("chunked-prefill-size"));
        assertEquals("$HOST", f.get("host"), "single quotes do not expand");
        assertEquals(List.of("MC_TE_METRIC"), c.environment().stream().map(EnvAssignment::name).toList(),
                "exported variables reach the server; plain assignments do not");
        assertEquals(List.of("2>&1", "| tee p.log"), c.shellDecorations());
    }

    @Test
    void anUnsetVariableIsAProblemOnlyInAFlagPdsimComputesWith() {
        Problems p = new Problems();
        LaunchCommand c = parse("python -m sglang.launch_server --model-path /m --disaggregation-mode decode --host ${LOCAL_IP} \\\n"
                + "  --dist-init-addr $(hostname -i):5000 --deepep-config $DEEPEP_CONFIG \\\n"
                + "  --tp-size $((NUM_NODES * 8))", Map.of(), p);
        assertEquals(1, p.list().size(), p.list().toString());
        Problem unset = p.list().get(0);
        assertTrue(unset.message().contains("variable NUM_NODES has no value; set it under vars:"), unset.message());
        assertEquals(3, unset.where().line());
        assertEquals("${LOCAL_IP}", flags(c).get("host"));
        Problems q = new Problems();
        parse("python -m sglang.launch_server --model-path /m --nnodes $(cat n.txt)", Map.of(), q);
        assertTrue(q.list().get(0).message().contains("$(cat n.txt) is a command pdsim does not run"), q.list().toString());
    }

    @Test
    void crlfPromptsAndPythonSpellings() {
        for (String python : List.of("python", "python3", "python3.10", "/usr/bin/python3")) {
            Problems p = new Problems();
            LaunchCommand c = parse("$ " + python + " -m sglang.launch_server --model-path /m \\\r\n  --tp 8 \\\r\n  --dp 8\r\n", Map.of(), p);
            assertTrue(p.isEmpty(), python + ": " + p.list());
            assertEquals("8", flags(c).get("dp-size"));
        }
    }

    @Test
    void otherCommandsAndASecondLaunchAreProblems() {
        Problems p = new Problems();
        parse("cd /sgl\npython3 -m sglang.launch_server --model-path /m --tp 8\npython3 -m sglang.launch_server --model-path /m --tp 4", Map.of(), p);
        String all = p.list().toString();
        assertTrue(all.contains("got 'cd'"), all);
        assertTrue(all.contains("a second sglang.launch_server command"), all);
        Problems q = new Problems();
        parse("export A=1\nB=2", Map.of(), q);
        assertTrue(q.list().toString().contains("expected 'python3 -m sglang.launch_server', got nothing"), q.list().toString());
    }

    @Test
    void anUnquotedVariableSplitsIntoFlagsAQuotedOneDoesNot() {
        Problems p = new Problems();
        LaunchCommand c = parse("COMMON=\"--model-path /m --tp 16 --dp 16\"\n"
                + "python3 -m sglang.launch_server $COMMON --disaggregation-mode prefill --host \"$HOSTS\"",
                Map.of("HOSTS", "a b"), p);
        assertTrue(p.isEmpty(), p.list().toString());
        assertEquals("16", flags(c).get("dp-size"));
        assertEquals("a b", flags(c).get("host"));
        Problems q = new Problems();
        parse("python3 -m sglang.launch_server --model-path /m \"$COMMON\"", Map.of("COMMON", "--tp 16"), q);
        // argparse: one word with a blank inside is a value (CPython 3.11 Lib/argparse.py:2280).
        assertTrue(q.list().toString().contains("unrecognized arguments: --tp 16"), q.list().toString());
    }

    @Test
    void arithmeticThatCannotBeEvaluatedIsNamed() {
        Problems p = new Problems();
        parse("python3 -m sglang.launch_server --model-path /m --tp $((N / 0))", Map.of("N", "8"), p);
        assertTrue(p.list().toString().contains("division by zero"), p.list().toString());
        Problems q = new Problems();
        parse("python3 -m sglang.launch_server --model-path /m --tp $((N * 2))", Map.of("N", "eight"), q);
        assertTrue(q.list().toString().contains("N = 'eight' is not a whole number"), q.list().toString());
    }
}

package dev.pdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes, one clear line per problem, never a stack trace. */
class CliTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void assertNoStackTrace(Run r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
    }

    @Test
    void explainShowsTheReportedTopologyAndTheFirstGatherInTheTboRegion() {
        Run r = run("explain", "scenarios/reported-xpyd.yaml");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 nodes x 8 GPUs = 16 ranks"));
        assertTrue(r.out().contains("attention-TP 1 per DP rank"));
        assertTrue(r.out().contains("DP ranks: 16;"));
        assertTrue(r.out().contains("6 nodes x 8 GPUs = 48 ranks"));
        assertTrue(r.out().contains("DP ranks: 48;"));
        assertTrue(r.out().lines().anyMatch(l -> l.contains("comm_prepare_mlp") && l.contains("DP gather")));
        assertTrue(r.out().contains("first DP gather inside the TBO region: layer 3 comm_prepare_mlp"));
        assertTrue(r.out().contains("--model-path /models/DeepSeek-R1-0528"), "ignored flags are listed");
    }

    @Test
    void explainCostsBreaksAnIterationDown() {
        Run r = run("explain", "scenarios/reported-xpyd-deepep.yaml", "--costs", "--prefill-tokens", "4096");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("moe experts") && r.out().contains("moe dispatch_a") && r.out().contains("the forward takes"));
        // The same split by bound for the prefill and the decode instance.
        assertEquals(2, r.out().lines().filter(l -> l.contains("by bound") && l.contains("compute")
                && l.contains("memory") && l.contains("communication") && l.contains("fixed")).count(), r.out());
    }

    @Test
    void explainCostsTakesTheDecodeContext() {
        Run shortContext = run("explain", "scenarios/calibration/decode-2k.yaml", "--costs", "--decode-batch", "32",
                "--context", "512");
        Run longContext = run("explain", "scenarios/calibration/decode-2k.yaml", "--costs", "--decode-batch", "32",
                "--context", "8000");
        assertEquals(0, shortContext.code(), shortContext.err());
        assertTrue(shortContext.out().contains("32 requests per DP rank, 512 cached tokens each"), shortContext.out());
        assertTrue(longContext.out().contains("32 requests per DP rank, 8000 cached tokens each"), longContext.out());
        assertEquals(2, run("explain", "scenarios/calibration/decode-2k.yaml", "--costs", "--context", "-1").code());
    }

    @Test
    void validateAcceptsEveryShippedScenario() throws Exception {
        try (var files = Files.list(Path.of("scenarios"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Run r = run("validate", f.toString());
                assertEquals(0, r.code(), f + ": " + r.err());
            }
        }
    }

    @Test
    void badInputExitsTwoWithOneLinePerProblem(@TempDir Path tmp) throws Exception {
        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, "instances: [\n");
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "sedd: 1\ninstances:\n  - role: prefill\n    tp_size: 0\n  - role: decode\n    nnodes: 2\n    tp_size: 16\n");
        for (String[] args : new String[][] {{"validate", "missing.yaml"}, {"validate", tmp.toString()},
                {"validate", broken.toString()}, {"replay", bad.toString()}, {"replay", "scenarios/reported-xpyd.yaml",
                "--strategy", "fixed"}, {"replay", "scenarios/reported-xpyd.yaml", "--fidelity", "token"},
                {"frobnicate"}, {"replay", "--no-such-option", "x.yaml"}, {"bench", "scenarios/reported-xpyd.yaml", "--seeds", "0"},
                {"sweep", "scenarios/sweeps/speed-1000.yaml", "--parquet"},
                {"sweep", "scenarios/sweeps/speed-1000.yaml", "--spark", "locl[2]"},
                {"sweep", "scenarios/sweeps/speed-1000.yaml", "--spark"}}) {
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().isBlank(), String.join(" ", args));
            assertNoStackTrace(r);
        }
        Run r = run("validate", bad.toString());
        assertTrue(r.err().contains("bad.yaml:1:1: unknown field 'sedd'"), r.err());
        assertTrue(r.err().contains("bad.yaml:4:14:"), r.err());
        assertEquals(2, r.err().lines().count(), r.err());
    }

    @Test
    void helpAndVersion() {
        assertEquals(0, run("--help").code());
        assertEquals(0, run("--version").code());
        for (String cmd : new String[] {"replay", "sweep", "bench", "calibrate", "validate", "explain", "schema",
                "completion"}) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("Usage: pdsim " + cmd), cmd);
            // A '%' in a help text that picocli cannot format prints a warning and leaves "%n" unreplaced.
            assertFalse(r.err().contains("picocli WARN") || r.out().contains("%n"), cmd + ": " + r.err());
        }
    }

    @Test
    void bashCompletionKnowsTheCommandsAndTheStrategies() {
        Run r = run("completion", "bash");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("complete -F"), r.out());
        for (String word : new String[] {"replay", "sweep", "calibrate", "--strategy", "none-check", "--fidelity"}) {
            assertTrue(r.out().contains(word), word);
        }
        assertEquals(2, run("completion", "fish").code(), "an unsupported shell is bad input");
    }

    @Test
    void replayWritesItsFilesAndReportsTheCrash(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        Run r = run("replay", "scenarios/reported-xpyd.yaml", "--duration", "10", "--out", out.toString(), "--trace",
                "--check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("CRASHED") && r.out().contains("layer 3, comm_prepare_mlp"), r.out());
        for (String f : new String[] {"summary.json", "requests.csv", "timing.json", "trace.json"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        Run again = run("replay", "scenarios/reported-xpyd.yaml", "--duration", "10", "--out", out.toString());
        assertEquals(2, again.code(), "an existing run folder is never overwritten");
    }

    @Test
    void sweepAndBenchTakeTheInvariantCheck(@TempDir Path tmp) {
        Run bench = run("bench", "scenarios/reported-xpyd.yaml", "--strategies", "patched,deepep", "--duration", "5",
                "--check", "--out", tmp.resolve("bench").toString());
        assertEquals(0, bench.code(), bench.err());
        Run sweep = run("sweep", "src/test/resources/golden/sweep/small-sweep.yaml", "--threads", "1", "--check",
                "--out", tmp.resolve("sweep").toString());
        assertEquals(0, sweep.code(), sweep.err());
    }

    @Test
    void benchServesTheSameGpusColocatedOnRequest(@TempDir Path tmp) throws Exception {
        Run bench = run("bench", "scenarios/xpyd-2p2d.yaml", "--strategies", "tbo-off", "--duration", "5",
                "--serving", "colocated", "--out", tmp.resolve("bench").toString());
        assertEquals(0, bench.code(), bench.err());
        String json = Files.readString(tmp.resolve("bench").resolve("bench.json"));
        assertTrue(json.contains("colocated-0") && !json.contains("decode-0"), "every server colocated: " + json);
        Run bad = run("bench", "scenarios/xpyd-2p2d.yaml", "--serving", "mixed", "--out", tmp.resolve("b").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--serving") && bad.err().contains("accepted: disaggregated, colocated"), bad.err());
        assertNoStackTrace(bad);
    }

    @Test
    void aTraceWindowImpliesTheTraceAndABadOneIsBadInput(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        Run r = run("replay", "scenarios/reported-xpyd.yaml", "--duration", "5", "--out", out.toString(),
                "--trace-window", "0:0.5");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out.resolve("trace.json")).contains("\"window_end_s\":0.5"));
        for (String bad : new String[] {"5:2", "-1:3", "0-10", "a:b"}) {
            Run b = run("replay", "scenarios/reported-xpyd.yaml", "--out", tmp.resolve("bad").toString(), "--trace-window", bad);
            assertEquals(2, b.code(), bad);
            assertTrue(b.err().contains("--trace-window") && b.err().contains("START:END"), b.err());
            assertNoStackTrace(b);
        }
    }

    @Test
    void schemaCommandMatchesTheCommittedSchema() throws Exception {
        Run r = run("schema");
        assertEquals(Files.readString(Path.of("scenarios", "scenario.schema.json")), r.out(),
                "scenarios/scenario.schema.json is stale: regenerate it with ./pdsim schema > scenarios/scenario.schema.json");
    }
}

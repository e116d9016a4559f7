package dev.pdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.report.BenchReport;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.Strategy;
import dev.pdsim.serving.Outcome;
import dev.pdsim.serving.ReplayOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTest {
    @Test
    void aColocatedServerWithTboCrashesUnderTheReleasedMetadataAndServesWithDeepEp() {
        var scenario = ScenarioLoader.load(Path.of("scenarios/colocated-2node-tbo.yaml")).withDuration(10);
        Bench.Report report = Bench.run(scenario, List.of(Strategy.BUGGY, Strategy.DEEPEP), 1,
                ReplayOptions.DEFAULT.withCheck(true), run -> { });
        assertEquals(Outcome.CRASHED, report.of("buggy").get(0).result().outcome());
        assertEquals(Outcome.COMPLETED, report.of("deepep").get(0).result().outcome());
        assertEquals("colocated-0", report.fixCost().instance(), "the colocated server's MLP sync is the one a fix changes");
    }

    @Test
    void allStrategiesRunOnTheSameWorkloadAndLineUp(@TempDir Path dir) throws Exception {
        var scenario = ScenarioLoader.load(Path.of("scenarios/reported-xpyd.yaml")).withDuration(30);
        List<Bench.Run> seen = new ArrayList<>();
        Bench.Report report = Bench.run(scenario, List.of(Strategy.BUGGY, Strategy.PATCHED, Strategy.TBO_OFF, Strategy.DEEPEP), 2,
                ReplayOptions.DEFAULT.withCheck(true), seen::add);
        assertEquals(8, seen.size());
        assertEquals(List.of("buggy", "patched", "tbo-off", "deepep"), report.strategies());
        report.of("buggy").forEach(r -> assertEquals(Outcome.CRASHED, r.result().outcome()));
        // Counts alone do not make TBO serve without DeepEP: the MoE operations read DeepEP-only attributes
        // (srt/models/deepseek_v2.py:322-336, 546), so the patched warmup dies too; the workarounds serve.
        report.of("patched").forEach(r -> assertEquals(Outcome.CRASHED, r.result().outcome()));
        report.of("patched").forEach(r -> assertTrue(r.result().failure().error().contains("'DeepseekV2MoE'")));
        report.of("tbo-off").forEach(r -> assertEquals(Outcome.COMPLETED, r.result().outcome()));
        report.of("deepep").forEach(r -> assertEquals(Outcome.COMPLETED, r.result().outcome()));
        // Same seed, same workload: every strategy saw the same user requests.
        assertEquals(report.of("buggy").get(0).result().submitted(), report.of("patched").get(0).result().submitted());
        Bench.FixCost c = report.fixCost();
        assertEquals(16 * 6 * 8, c.releasedBytes());
        assertEquals(16 * 8 * 8, c.patchedBytes());
        assertTrue(c.patchedMicros() > c.releasedMicros());
        BenchReport.write(report, dir);
        List<String> csv = Files.readAllLines(dir.resolve("bench.csv"));
        assertEquals(9, csv.size());
        assertTrue(csv.get(1).startsWith("buggy,1,crashed,"));
        // bench.csv: plain decimals, empty latency cells where no request finished, the console's MLP-sync bytes
        for (String line : csv) {
            assertFalse(line.matches(".*\\d[eE][+-]?\\d.*"), "a number in scientific notation: " + line);
        }
        List<CSVRecord> rows;
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(Files.newBufferedReader(dir.resolve("bench.csv")))) {
            rows = parser.getRecords();
        }
        CSVRecord crashed = rows.get(0);
        assertEquals("0", crashed.get("finished"));
        assertEquals("", crashed.get("ttft_p50_ms"), "no request finished: no TTFT");
        assertEquals("", crashed.get("e2e_p99_ms"));
        assertEquals(Long.toString(c.releasedBytes()), crashed.get("mlp_sync_bytes_per_iteration"));
        assertEquals(Long.toString(c.patchedBytes()), rows.get(2).get("mlp_sync_bytes_per_iteration"));
        CSVRecord served = rows.get(4);
        assertEquals("tbo-off", served.get("strategy"));
        assertTrue(Double.parseDouble(served.get("ttft_p50_ms")) > 0 && Double.parseDouble(served.get("tpot_p99_ms")) > 0);
        String table = BenchReport.table(report);
        assertTrue(table.contains("comm_prepare_mlp") && table.contains("1024 instead of 768 bytes"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("buggy") && l.contains("no request finished")), table);
        assertFalse(table.contains("NaN"), table);
        // a strategy that leaves an instance crashing says so, instead of a ratio against zero throughput
        assertTrue(table.contains("patched leaves prefill-0 crashed: AttributeError: 'DeepseekV2MoE'"), table);
        assertTrue(table.contains("no throughput ratio against patched"), table);
        assertFalse(table.contains("0.000x"), table);
        assertTrue(Files.size(dir.resolve("bench.png")) > 0 && Files.size(dir.resolve("bench.svg")) > 0);
    }
}

package dev.pdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.InputException;
import dev.pdsim.report.SweepReport;
import dev.pdsim.scenario.DisaggregationMode;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
    @TempDir
    Path tmp;

    private Path sweepFile(String body) throws Exception {
        Path f = tmp.resolve("s.yaml");
        String base = Path.of("scenarios/reported-xpyd.yaml").toAbsolutePath().toString();
        Files.writeString(f, "base: " + base + "\n" + body);
        return f;
    }

    @Test
    void gridIsTheProductOfAxesAndSeedsInMixedRadixOrder() throws Exception {
        SweepSpec spec = SweepLoader.load(sweepFile("""
                duration_s: 10
                seeds: [1, 2]
                axes:
                  prefill:
                    enable_two_batch_overlap: [true, false]
                  strategy: [buggy, patched, deepep]
                """));
        SweepGrid grid = new SweepGrid(spec);
        assertEquals(12, grid.size());
        assertEquals(List.of("prefill.enable_two_batch_overlap", "strategy"), grid.columns());
        Combination c = grid.at(7); // (tbo=false, strategy=buggy, seed=2)
        assertEquals(List.of("false", "buggy"), c.labels());
        assertEquals(2, c.seed());
        assertFalse(c.scenario().instances(dev.pdsim.scenario.Role.PREFILL).get(0).args().enableTwoBatchOverlap());
        assertEquals(Strategy.BUGGY, c.scenario().strategy());
        assertEquals(10.0, c.scenario().durationS());
    }

    @Test
    void servingAxisTurnsEveryInstanceColocatedAtEqualGpus() throws Exception {
        SweepSpec spec = SweepLoader.load(sweepFile("""
                duration_s: 10
                axes:
                  decode:
                    count: [1, 2]
                  serving: [disaggregated, colocated]
                """));
        SweepGrid grid = new SweepGrid(spec);
        assertEquals(List.of("decode.count", "serving"), grid.columns());
        Combination pd = grid.at(2);
        Combination colocated = grid.at(3); // (decode.count=2, serving=colocated)
        assertEquals(List.of("2", "colocated"), colocated.labels());
        assertEquals(pd.scenario().totalGpus(), colocated.scenario().totalGpus());
        assertTrue(colocated.scenario().instances().stream().allMatch(i -> i.role() == Role.COLOCATED));
        assertEquals(List.of(1, 2), colocated.scenario().instances().stream().map(i -> i.count()).toList(),
                "the decode count applies to the decode shape before it is colocated");
        var former = colocated.scenario().instances().get(0).args();
        assertEquals(DisaggregationMode.NULL, former.disaggregationMode());
        assertFalse(former.disableCudaGraph(), "only a disaggregated prefill server turns CUDA graphs off");
        assertTrue(former.enableTwoBatchOverlap(), "flags are kept");
        assertThrows(InputException.class, () -> SweepLoader.load(sweepFile("axes:\n  serving: [colocted]\n")));
        SweepGrid shipped = new SweepGrid(SweepLoader.load(Path.of("scenarios/sweeps/pd-or-colocated.yaml")));
        assertEquals(List.of("serving", "strategy", "workload.rate"), shipped.columns());
        assertEquals(shipped.at(0).scenario().totalGpus(), shipped.at(4).scenario().totalGpus());
    }

    @Test
    void aCombinationThatBreaksAServerArgumentRuleIsInvalidNotAnError() throws Exception {
        SweepSpec spec = SweepLoader.load(sweepFile("""
                axes:
                  prefill:
                    dp_size: [16, 5]
                """));
        Combination bad = new SweepGrid(spec).at(1);
        assertFalse(bad.valid());
        assertTrue(bad.invalidReason().contains("not divisible by dp_size = 5"), bad.invalidReason());
    }

    @Test
    void layoutAxisMovesSeveralFlagsTogetherAndGpuBoundsFilter() throws Exception {
        SweepSpec spec = SweepLoader.load(sweepFile("""
                constraints: {max_gpus: 64}
                axes:
                  prefill:
                    layout:
                      - {nnodes: 2, tp_size: 16, dp_size: 16}
                      - {nnodes: 4, tp_size: 32, dp_size: 32, enable_deepep_moe: true, deepep_mode: normal, ep_num_redundant_experts: 32}
                """));
        SweepGrid grid = new SweepGrid(spec);
        Combination small = grid.at(0);
        Combination big = grid.at(1);
        assertEquals("nnodes=4 tp_size=32 dp_size=32 enable_deepep_moe=true deepep_mode=normal ep_num_redundant_experts=32", big.labels().get(0));
        assertEquals(64, small.scenario().totalGpus());
        assertEquals(80, big.scenario().totalGpus());
        assertTrue(grid.admitted(small));
        assertFalse(grid.admitted(big));
    }

    @Test
    void sweepFileMistakesAreReportedWithLocations() throws Exception {
        InputException e = assertThrows(InputException.class, () -> SweepLoader.load(sweepFile("""
                axes:
                  prefill:
                    tp_szie: [16]
                    dp_size: [sixteen]
                  strategy: [bugy]
                  workload:
                    rate: [1]
                    concurrency: [8]
                """)));
        String all = e.problems().toString();
        assertTrue(all.contains("tp_szie") && all.contains("tp_size"), all);
        assertTrue(all.contains("dp_size must be a whole number"), all);
        assertTrue(all.contains("did you mean 'buggy'"), all);
        assertTrue(all.contains("not both"), all);
        assertTrue(e.problems().stream().allMatch(p -> p.where().line() > 0), all);
    }

    @Test
    void anInvalidLayoutNamesTheRuleItsOwnValuesBreak() throws Exception {
        // The base launch line is node 1's (--node-rank 1); on one node, the layout's own problem is memory.
        SweepSpec spec = SweepLoader.load(sweepFile("""
                axes:
                  prefill:
                    layout:
                      - {nnodes: 1, tp_size: 8, dp_size: 8}
                """));
        Combination c = new SweepGrid(spec).at(0);
        assertFalse(c.valid());
        assertFalse(c.invalidReason().contains("node_rank"), c.invalidReason());
        assertTrue(c.invalidReason().contains("weights"), c.invalidReason());
    }

    @Test
    void rowsPageAndChartsAreIdenticalWhateverTheThreadCount() throws Exception {
        SweepSpec spec = SweepLoader.load(sweepFile("""
                duration_s: 20
                axes:
                  prefill:
                    dp_size: [16, 8, 3]
                  strategy: [buggy, deepep]
                """));
        byte[][] csv = new byte[2][];
        List<String> pages = List.of("index.html", "throughput-vs-interactivity.svg", "throughput-vs-tpot.svg");
        byte[][][] page = new byte[2][pages.size()][];
        for (int threads = 1; threads <= 2; threads++) {
            Path dir = Files.createDirectory(tmp.resolve("t" + threads));
            List<SweepRow> rows = new ArrayList<>();
            try (SweepReport report = new SweepReport(spec, dir)) {
                SweepRunner.run(spec, threads, true, row -> {
                    rows.add(row);
                    report.row(row);
                });
                report.finish(); // sweep.csv takes its name only once the sweep is whole
            }
            for (int f = 0; f < pages.size(); f++) {
                page[threads - 1][f] = Files.readAllBytes(dir.resolve(pages.get(f)));
            }
            assertEquals(List.of(0, 1, 2, 3, 4, 5), rows.stream().map(SweepRow::index).toList(), "index order");
            assertEquals(SweepOutcome.CRASHED, rows.get(0).outcome());
            assertEquals(SweepOutcome.COMPLETED, rows.get(1).outcome());
            assertEquals(SweepOutcome.INVALID, rows.get(4).outcome());
            assertNotNull(rows.get(1).figures());
            assertTrue(rows.get(1).tokensPerSPerGpu() > 0);
            csv[threads - 1] = Files.readAllBytes(dir.resolve("sweep.csv"));
        }
        assertArrayEquals(csv[0], csv[1]);
        for (int f = 0; f < pages.size(); f++) {
            assertArrayEquals(page[0][f], page[1][f], pages.get(f));
        }
    }

    @Test
    void finishWritesJsonParetoPlotsAndHtml() throws Exception {
        SweepSpec spec = SweepLoader.load(sweepFile("""
                duration_s: 20
                axes:
                  strategy: [buggy, deepep, tbo-off]
                  workload:
                    rate: [1, 3]
                """));
        Path dir = Files.createDirectory(tmp.resolve("out"));
        SweepReport report = new SweepReport(spec, dir);
        SweepRunner.run(spec, 2, true, report);
        report.finish();
        for (String f : List.of("sweep.csv", "sweep.json", "pareto.csv", "throughput-vs-ttft.svg", "throughput-vs-tpot.png",
                "throughput-vs-interactivity.svg", "throughput-vs-interactivity.png", "index.html", "figures-by-strategy.svg", "outcomes-by-strategy.svg", "figures-by-workload-rate.png")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertEquals(2, report.outcomes().get(SweepOutcome.CRASHED));
        assertEquals(4, report.outcomes().get(SweepOutcome.COMPLETED));
        assertFalse(report.paretoFront().isEmpty());
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("throughput-vs-ttft.svg") && html.contains("Top configurations, by tokens/s per GPU"), html);
        assertTrue(html.contains("Rows that did not complete") && html.contains("crash at"), html);
        assertFalse(html.contains("NaN"), html);
        assertTrue(html.contains("<h2>Output throughput per GPU vs tokens/s per user</h2>\n<img src=\"throughput-vs-interactivity.svg\"")
                && html.contains("One colour per value of <code>strategy</code>")
                && html.contains("<b>buggy</b> is not drawn: none of its 2 rows completed with a TPOT.")
                && html.contains("<th>tok/s per user</th><th>output tok/s per GPU</th><th>TPOT p50 ms</th>"), html);
        // The crashed strategy's rows are counted on the chart of its outcomes, not drawn as zero-latency points.
        assertEquals(2, report.outcomesBy(0).get("buggy").get(SweepOutcome.CRASHED));
        assertEquals(0, report.outcomesBy(0).get("buggy").get(SweepOutcome.COMPLETED));
        assertEquals(2, report.outcomesBy(0).get("deepep").get(SweepOutcome.COMPLETED));
        assertEquals("2 crashed", report.notPlotted(SweepReport.Point::ttftP99Ms));
        assertEquals(7, Files.readAllLines(dir.resolve("sweep.csv")).size());
        assertSpeedPerUserFollowsTpot(dir.resolve("sweep.csv"));
    }

    /** Each completed row's tokens/s per user is 1000 over its TPOT (p50 and mean), to the CSV's 3 decimals. */
    private static void assertSpeedPerUserFollowsTpot(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        int checked = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (!cells[header.indexOf("outcome")].equals("completed")) {
                continue;
            }
            for (String stat : List.of("p50", "mean")) {
                double tpot = Double.parseDouble(cells[header.indexOf("tpot_" + stat + "_ms")]);
                double perUser = Double.parseDouble(cells[header.indexOf("tok_s_per_user_tpot_" + stat)]);
                assertEquals(1000 / tpot, perUser, 0.0005 + 1000 / tpot * 0.0005 / tpot, line);
            }
            checked++;
        }
        assertEquals(4, checked);
    }

    @Test
    void withAnSloTheBestRowsAreRankedByGoodputPerGpu() throws Exception {
        SweepSpec spec = SweepLoader.load(sweepFile("""
                duration_s: 20
                slo: {ttft_ms: 400, tpot_ms: 40}
                axes:
                  strategy: [deepep, tbo-off]
                  workload:
                    rate: [1, 4]
                """));
        Path dir = Files.createDirectory(tmp.resolve("slo"));
        SweepReport report = new SweepReport(spec, dir);
        SweepRunner.run(spec, 2, true, report);
        report.finish();
        List<SweepReport.Point> top = report.top(10);
        assertEquals(4, top.size());
        for (int i = 0; i + 1 < top.size(); i++) {
            assertTrue(top.get(i).goodputPerGpu() >= top.get(i + 1).goodputPerGpu(), top.toString());
        }
        assertTrue(top.stream().mapToDouble(SweepReport.Point::goodputPerGpu).distinct().count() > 1, top.toString());
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("Top configurations, by goodput per GPU") && html.contains("TTFT &lt;= 400 ms"), html);
    }

    @Test
    void aSimulationThatThrowsIsAnErrorRowWithItsMessage() throws Exception {
        SweepSpec spec = SweepLoader.load(sweepFile("""
                axes:
                  strategy: [buggy, patched]
                """));
        SweepEvaluator broken = new SweepEvaluator(spec, (scenario, options) -> {
            throw new IllegalStateException("queue empty at t=3");
        });
        SweepRow row = broken.evaluate(1).row();
        assertEquals(SweepOutcome.ERROR, row.outcome());
        assertEquals("IllegalStateException: queue empty at t=3", row.message());
        assertEquals(List.of("patched"), row.labels());
        assertEquals(64, row.gpus());
        assertEquals(0, row.tokensPerSPerGpu());
    }
}

package dev.pdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.report.SweepParquet;
import dev.pdsim.report.SweepReport;
import dev.pdsim.scenario.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark in this JVM: two worker threads, and a failed task attempt is retried once. */
class SparkSweepRunnerTest {
    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2,2]").appName("SparkSweepRunnerTest")
                .config("spark.ui.enabled", false).getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Completed, crashed, invalid and filtered combinations, short enough for a unit test. */
    private SweepSpec smallSweep() throws Exception {
        Path f = tmp.resolve("small.yaml");
        String base = Path.of("scenarios/reported-xpyd.yaml").toAbsolutePath().toString();
        Files.writeString(f, "base: " + base + """

                duration_s: 10
                constraints: {max_gpus: 64}
                axes:
                  prefill:
                    layout:
                      - {nnodes: 2, tp_size: 16, dp_size: 16}
                      - {nnodes: 4, tp_size: 32, dp_size: 32, enable_deepep_moe: true, deepep_mode: normal,
                         ep_num_redundant_experts: 32}
                      - {nnodes: 2, tp_size: 16, dp_size: 5}
                  strategy: [buggy, deepep]
                """);
        return SweepLoader.load(f);
    }

    private Path report(SweepSpec spec, String name, Runner runner) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve(name));
        try (SweepReport report = new SweepReport(spec, dir)) {
            runner.run(report);
            report.finish();
        }
        return dir;
    }

    private interface Runner {
        void run(SweepReport report) throws Exception;
    }

    @Test
    void sparkWritesTheBytesOfTheThreadPoolAndTheirParquet() throws Exception {
        SweepSpec spec = smallSweep();
        Path pool = report(spec, "pool", r -> SweepRunner.run(spec, 2, true, r));
        String parquet = tmp.resolve("sweep.parquet").toString();
        Path onSpark = report(spec, "spark", r -> {
            Dataset<SweepRow> rows = SparkSweepRunner.run(spark, spec, true, r);
            SweepParquet.write(rows, spec, parquet);
            rows.unpersist();
        });
        String csv = Files.readString(pool.resolve("sweep.csv"));
        assertTrue(csv.contains(",crashed,") && csv.contains(",completed,") && csv.contains(",invalid,"), csv);
        assertTrue(Files.readString(pool.resolve("sweep.json")).contains("\"filtered_out\" : 2"));
        for (String file : List.of("sweep.csv", "sweep.json", "pareto.csv")) {
            assertArrayEquals(Files.readAllBytes(pool.resolve(file)), Files.readAllBytes(onSpark.resolve(file)), file);
        }
        Dataset<Row> table = spark.read().parquet(parquet);
        assertEquals(SweepReport.columns(spec), List.of(table.columns()));
        List<Row> read = table.collectAsList();
        List<String> lines = Files.readAllLines(pool.resolve("sweep.csv"));
        assertEquals(lines.size() - 1, read.size());
        for (int i = 0; i < read.size(); i++) {
            String[] cells = lines.get(i + 1).split(",", -1);
            assertEquals(Integer.parseInt(cells[0]), read.get(i).getInt(0), "index order");
            assertEquals(cells[4], read.get(i).getString(4), "outcome");
        }
    }

    @Test
    void aFailingSimulationIsAnErrorRowAndARetriedTaskGivesTheSameRow() throws Exception {
        SweepSpec spec = smallSweep();
        SweepEvaluator.Replay flaky = (scenario, options) -> {
            if (scenario.strategy() == Strategy.DEEPEP) {
                throw new IllegalStateException("no deepep run today");
            }
            if (TaskContext.get().attemptNumber() == 0) {
                throw new LostExecutor(); // the first attempt of every task dies, as with a killed executor
            }
            return SweepEvaluator.SIMULATION.run(scenario, options);
        };
        List<SweepRow> rows = new ArrayList<>();
        SparkSweepRunner.run(spark, spec, flaky, rows::add).unpersist();
        assertTrue(rows.stream().anyMatch(r -> r.outcome() == SweepOutcome.ERROR), "the grid holds rows that fail");
        List<SweepRow> expected = new ArrayList<>();
        SweepRunner.run(spec, 1, true, expected::add);
        assertEquals(expected.stream().map(SweepRow::index).toList(), rows.stream().map(SweepRow::index).toList());
        for (int i = 0; i < rows.size(); i++) {
            SweepRow row = rows.get(i);
            if (row.labels().get(1).equals("deepep") && expected.get(i).outcome() != SweepOutcome.INVALID) {
                assertEquals(SweepOutcome.ERROR, row.outcome());
                assertEquals("IllegalStateException: no deepep run today", row.message());
                assertNull(row.figures());
            } else {
                assertEquals(expected.get(i), row);
            }
        }
    }

    /** Not a RuntimeException: it fails the task attempt instead of becoming an error row. */
    private static final class LostExecutor extends Error {
        private static final long serialVersionUID = 1L;
    }
}

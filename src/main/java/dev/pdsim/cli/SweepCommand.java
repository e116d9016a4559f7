package dev.pdsim.cli;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.experiment.Combination;
import dev.pdsim.experiment.SweepLoader;
import dev.pdsim.experiment.SweepRow;
import dev.pdsim.experiment.SweepRunner;
import dev.pdsim.experiment.SweepSpec;
import dev.pdsim.report.OutputDirectory;
import dev.pdsim.report.ReplayConsole;
import dev.pdsim.report.SweepReport;
import dev.pdsim.report.TextTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sweep", mixinStandardHelpOptions = true, header = "Run a grid of layouts, flags, strategies and workloads; rank by throughput and latency.", sortOptions = false,
        description = {"Run the grid of a sweep file (tp, dp, nodes, TBO, DeepEP, strategy, workload, seeds around a base",
                "scenario) on all cores and rank the combinations by throughput per GPU and latency. A combination that",
                "breaks a server-argument rule is an 'invalid' row, a simulated crash a 'crashed' row. Writes sweep.csv",
                "(streamed as rows finish), sweep.json, pareto.csv, plots (SVG, PNG) and index.html."})
final class SweepCommand extends CommandBase {
    @Parameters(paramLabel = "SWEEP", description = "Sweep YAML file.")
    Path sweep;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores). Results do not depend on it.")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/sweep-<name>, a new one per run).")
    Path out;

    @Option(names = "--spark", paramLabel = "MASTER", arity = "0..1", fallbackValue = SparkSweep.SUBMITTED,
            description = {"Run on Apache Spark instead of the thread pool: local[*] (in this process), spark://HOST:7077,",
                    "or no value under spark-submit. Same rows, same bytes. ./pdsim builds target/pdsim-spark.jar for it."})
    String spark;

    @Option(names = "--parquet", description = "With --spark: also write sweep.parquet (always above "
            + SparkSweep.PARQUET_ABOVE + " combinations).")
    boolean parquet;

    @Option(names = "--check", description = "Verify the simulator's invariants after every event of every run (slower).")
    boolean check;

    @Mixin
    BudgetOptions budget;

    @Override
    public Integer call() throws InterruptedException {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || n > 1024) {
            throw new InputException(SourceLocation.ofFile("--threads"), "must be between 1 and 1024, got " + n);
        }
        if (spark != null && !sparkAvailable()) {
            throw new InputException(SourceLocation.ofFile("--spark"), "Spark is not in this jar: run ./pdsim, which builds"
                    + " target/pdsim-spark.jar and runs it with the JDK flags Spark needs");
        }
        if (spark != null) {
            SparkSweep.checkMaster(spark);
        }
        if (parquet && spark == null) {
            throw new InputException(SourceLocation.ofFile("--parquet"), "needs --spark (Spark writes the Parquet files)");
        }
        SweepSpec s = SweepLoader.load(sweep);
        budget.events().checkEveryRow(s);
        String name = sweep.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path dir = OutputDirectory.prepare(out, Path.of("results"), "sweep-" + name);
        PrintWriter err = err();
        err.printf(Locale.ROOT, "%s: %d combinations of %s, %s -> %s%n", sweep, s.size(), s.base().name(),
                spark != null ? "on Spark" : n + (n == 1 ? " thread" : " threads"), dir);
        err.flush();
        long t0 = System.nanoTime();
        try (SweepReport report = new SweepReport(s, dir); RunGuard guard = RunGuard.watch(dir, err, report::savePartial);
             ProgressBar bar = progressBar(s.size())) {
            SweepRunner.Listener listener = new SweepRunner.Listener() {
                @Override
                public void row(SweepRow row) {
                    report.row(row);
                    step(bar);
                }

                @Override
                public void filtered(Combination c) {
                    report.filtered(c);
                    step(bar);
                }
            };
            if (spark == null) {
                SweepRunner.run(s, n, check, listener);
            } else {
                SparkSweep.run(spark, s, name, dir, parquet, check, err, listener);
            }
            report.finish();
            guard.completed();
            double wall = (System.nanoTime() - t0) / 1e9;
            print(report, s, wall, dir);
        }
        return 0;
    }

    /** Whether Spark's classes are here: they are in target/pdsim-spark.jar, not in target/pdsim.jar. */
    private static boolean sparkAvailable() {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, SweepCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** A bar on a terminal; nothing when output goes to a file or a pipe. */
    private static ProgressBar progressBar(long total) {
        if (System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("sweep").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().setUpdateIntervalMillis(250).build();
    }

    private static void step(ProgressBar bar) {
        if (bar != null) {
            bar.step();
        }
    }

    private void print(SweepReport report, SweepSpec s, double wall, Path dir) {
        PrintWriter out = out();
        out.printf(Locale.ROOT, "%d rows in %.1f s (%.1f rows/s); %d filtered out by GPU bounds%n", report.points().size(),
                wall, report.points().size() / Math.max(wall, 1e-9), report.filteredCount());
        report.outcomes().forEach((o, c) -> out.printf("  %-10s %d%n", o.label(), c));
        boolean slo = s.slo().given();
        List<String> header = new ArrayList<>(List.of("#"));
        s.axes().forEach(a -> header.add(a.name()));
        header.addAll(List.of("seed", "GPUs", "tok/s/GPU", "E2E p50 ms"));
        if (slo) {
            header.addAll(List.of("goodput req/s", "goodput req/s/GPU"));
        }
        TextTable t = new TextTable(header.toArray(String[]::new)).numeric(0);
        for (SweepReport.Point p : report.top(10)) {
            List<Object> cells = new ArrayList<>(List.of(p.index()));
            cells.addAll(p.labels());
            cells.addAll(List.of(p.seed(), p.gpus(), String.format(Locale.ROOT, "%.1f", p.tokensPerGpu()),
                    Double.isNaN(p.e2eP50Ms()) ? "no request finished" : String.format(Locale.ROOT, "%.0f", p.e2eP50Ms())));
            if (slo) {
                cells.add(String.format(Locale.ROOT, "%.2f", p.goodputPerS()));
                cells.add(String.format(Locale.ROOT, "%.4f", p.goodputPerGpu()));
            }
            t.add(cells.toArray());
        }
        out.printf("%ntop configurations by %s:%n%s%nwrote %s (open index.html)%n",
                slo ? "goodput per GPU (SLO " + ReplayConsole.sloText(s.slo()) + ")" : "tokens/s per GPU", t, dir);
        out.flush();
    }
}

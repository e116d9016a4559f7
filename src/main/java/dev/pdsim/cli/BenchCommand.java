package dev.pdsim.cli;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Numbers;
import dev.pdsim.diag.Quote;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.experiment.Bench;
import dev.pdsim.experiment.RunBudget;
import dev.pdsim.experiment.SpeculativeAxis;
import dev.pdsim.report.BenchReport;
import dev.pdsim.report.OutputDirectory;
import dev.pdsim.scenario.NamedChoice;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.Strategy;
import dev.pdsim.serving.ReplayOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true, defaultValueProvider = BenchCommand.AllStrategies.class, header = "Compare all metadata strategies on one workload in one table.", sortOptions = false,
        description = {"Run every strategy on the same scenario, workload and seeds in one run and compare them in one",
                "table: outcome, where it failed, requests, corrupted tokens, throughput, latency, the cost of the fix,",
                "and the simulator's own speed. Writes bench.csv, bench.json, timing.json and bench.svg/png."})
final class BenchCommand extends CommandBase {
    @Parameters(paramLabel = "SCENARIO", description = "Scenario YAML file.")
    Path scenario;

    @Option(names = "--strategies", paramLabel = "LIST", split = ",", completionCandidates = ChoiceCandidates.Strategies.class,
            description = "Comma-separated strategies (default: all: ${DEFAULT-VALUE}).")
    List<String> strategies;

    @Option(names = "--seeds", paramLabel = "K", description = "Seeds per strategy, from the scenario's seed up (default: 1).")
    int seeds = 1;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Simulated seconds of user traffic (default: the scenario's).")
    Double duration;

    @Option(names = "--speculative", paramLabel = "off|STEPS[:ACCEPTANCE]", description = "MTP on the decode servers for "
            + "every run: off, or STEPS chained drafts (1..16) with an optional acceptance 0..1 (default: as the scenario).")
    String speculative;

    @Option(names = "--serving", paramLabel = "disaggregated|colocated", description = "disaggregated: the scenario's "
            + "servers as written; colocated: every prefill and decode instance becomes a colocated server of its own "
            + "shape, on the same GPUs, as the sweep's serving axis does (default: disaggregated).")
    String serving;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/bench-<scenario>, a new one per run).")
    Path out;

    @Option(names = "--check", description = "Verify the simulator's invariants after every event of every run (slower).")
    boolean check;

    @Mixin
    BudgetOptions budget;

    @Override
    public Integer call() {
        if (seeds < 1 || seeds > 1000) {
            throw new InputException(SourceLocation.ofFile("--seeds"), "must be between 1 and 1000, got " + seeds);
        }
        Scenario s = ScenarioLoader.load(scenario);
        if (duration != null) {
            s = s.withDuration(CliArgs.duration(duration, "--duration"));
        }
        if (speculative != null) {
            s = SpeculativeAxis.apply(s, SpeculativeAxis.parse(speculative, "--speculative"));
        }
        if (colocated()) {
            s = s.withColocatedServing();
        }
        List<Strategy> chosen = chosenStrategies();
        RunBudget limits = budget.events();
        for (Strategy st : chosen) {
            limits.check(s.withStrategy(st), ReplayOptions.DEFAULT.fidelity(), "the " + st.yamlName() + " run");
        }
        Path dir = OutputDirectory.prepare(out, Path.of("results"), "bench-" + s.name());
        PrintWriter err = err();
        AtomicInteger finished = new AtomicInteger();
        int runs = chosen.size() * seeds;
        try (RunGuard guard = RunGuard.watch(dir, err, () -> "no finished file: bench.csv and bench.json are written"
                + " once every run has finished, and " + finished.get() + " of " + runs + " had")) {
            Bench.Report report = Bench.run(s, chosen, seeds, ReplayOptions.DEFAULT.withCheck(check), run -> {
                err.printf(Locale.ROOT, "  %-10s seed %d: %s in %.2f s wall%n", run.strategy(), run.seed(),
                        run.result().outcome().label(), run.wallNanos() / 1e9);
                err.flush();
                finished.incrementAndGet();
            });
            BenchReport.write(report, dir);
            guard.completed();
            print(s, report, dir);
        }
        return 0;
    }

    private void print(Scenario s, Bench.Report report, Path dir) {
        PrintWriter out = out();
        out.printf("%s, %s simulated s of traffic, %d seed%s%n%n", s.name(), Numbers.plain(s.durationS()), seeds, seeds == 1 ? "" : "s");
        out.print(BenchReport.table(report));
        out.printf("%nwrote %s%n", dir);
        out.flush();
    }

    /** Whether --serving asks for colocated servers; anything but the two modes is bad input. */
    private boolean colocated() {
        if (serving == null || serving.equals("disaggregated")) {
            return false;
        }
        if (serving.equals("colocated")) {
            return true;
        }
        throw new InputException(SourceLocation.ofFile("--serving"), "got " + Quote.of(serving)
                + "; accepted: disaggregated, colocated");
    }

    /** The strategies of --strategies, each once, before any output: an empty list or name is bad input. */
    private List<Strategy> chosenStrategies() {
        List<String> names = strategies == null ? List.of() : strategies;
        if (names.isEmpty() || names.stream().anyMatch(String::isBlank)) {
            throw new InputException(SourceLocation.ofFile("--strategies"), "needs one or more strategy names separated"
                    + " by commas, got " + Quote.of(String.join(",", names)) + "; accepted: "
                    + String.join(", ", NamedChoice.names(Strategy.class)));
        }
        return names.stream().map(n -> Strategy.byName(n, "--strategies")).distinct().toList();
    }

    /** The default of --strategies: every strategy, written as the option takes them. */
    static final class AllStrategies implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            return arg instanceof CommandLine.Model.OptionSpec o && o.longestName().equals("--strategies")
                    ? String.join(",", NamedChoice.names(Strategy.class)) : null;
        }
    }

}

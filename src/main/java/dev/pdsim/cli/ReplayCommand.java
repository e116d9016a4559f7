package dev.pdsim.cli;

import dev.pdsim.experiment.RunBudget;
import dev.pdsim.report.OutputDirectory;
import dev.pdsim.report.ReplayConsole;
import dev.pdsim.report.ReplayRun;
import dev.pdsim.report.TraceWindow;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.Strategy;
import dev.pdsim.serving.Fidelity;
import dev.pdsim.serving.ReplayOptions;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "replay", mixinStandardHelpOptions = true, header = "Simulate a scenario and report whether and where it fails, throughput and latency.", sortOptions = false,
        description = {"Simulate a scenario: warmup, then its workload for duration_s, and report whether and where",
                "it crashed or hung, plus throughput and latency. Writes summary.json, requests.csv, timing.json",
                "(and trace.json with --trace) into a new folder. A simulated crash is a result: exit 0."})
final class ReplayCommand extends CommandBase {
    @Parameters(paramLabel = "SCENARIO", description = "Scenario YAML file.")
    Path scenario;

    @Option(names = "--strategy", paramLabel = "S", completionCandidates = ChoiceCandidates.Strategies.class,
            description = "Metadata initialisation: ${COMPLETION-CANDIDATES} (default: the scenario's).")
    String strategy;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random stream (default: the scenario's).")
    Long seed;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Simulated seconds of user traffic (default: the scenario's duration_s).")
    Double duration;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/<scenario>-<strategy>-<seed>, a new one per run).")
    Path out;

    @Option(names = "--fidelity", paramLabel = "LEVEL", completionCandidates = ChoiceCandidates.Fidelities.class,
            description = "${DEFAULT-VALUE} (default) or layer: one event per layer operation and TBO stage.")
    String fidelity = CliArgs.name(Fidelity.ITERATION);

    @Option(names = "--trace", description = "Also write trace.json (Chrome/Perfetto: a track per rank and one per TBO child of each rank).")
    boolean trace;

    @Option(names = "--trace-window", paramLabel = "START:END",
            description = "Simulated seconds trace.json covers (default 0:10, warmup included); implies --trace.")
    String traceWindow;

    @Option(names = "--check", description = "Verify the simulator's invariants after every event (slower).")
    boolean check;

    @Mixin
    BudgetOptions budget;

    @Option(names = "--max-output", paramLabel = "BYTES", description = "Refuse a run estimated to write a larger "
            + "requests.csv than this (default: " + RunBudget.DEFAULT_MAX_OUTPUT + ", 1 GiB).")
    long maxOutput = RunBudget.DEFAULT_MAX_OUTPUT;

    @Override
    public Integer call() {
        Scenario s = ScenarioLoader.load(scenario);
        if (strategy != null) {
            s = s.withStrategy(Strategy.byName(strategy, "--strategy"));
        }
        if (seed != null) {
            s = s.withSeed(seed);
        }
        if (duration != null) {
            s = s.withDuration(CliArgs.duration(duration, "--duration"));
        }
        Fidelity f = CliArgs.choice(fidelity, "--fidelity", Fidelity.class);
        budget.withOutput(maxOutput).check(s, f, "this replay");
        // Every argument is checked before the output folder is claimed: bad input leaves no folder.
        TraceWindow window = traceWindow != null ? CliArgs.traceWindow(traceWindow, "--trace-window")
                : trace ? TraceWindow.DEFAULT : null;
        Path dir = OutputDirectory.prepare(out, Path.of("results"), s.name() + "-" + s.strategy().yamlName() + "-" + s.seed());
        ReplayRun.Outcome outcome;
        try (RunGuard guard = RunGuard.watch(dir, err(), ReplayRun::partialContents)) {
            outcome = ReplayRun.write(s, ReplayOptions.DEFAULT.withFidelity(f).withCheck(check), dir, window);
            guard.completed();
        }
        out().print(ReplayConsole.render(outcome));
        out().flush();
        return 0;
    }
}

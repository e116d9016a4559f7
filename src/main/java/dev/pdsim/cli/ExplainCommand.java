package dev.pdsim.cli;

import dev.pdsim.report.ExplainReport;
import dev.pdsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Show the topology a scenario derives: per instance its nodes, ranks, DP and attention-TP",
                "groups, what SGLang adjusts, the flags pdsim ignores, per-layer scatter modes, and where",
                "two-batch overlap runs and which of its stages gather across DP ranks."})
final class ExplainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO", description = "Scenario YAML file.")
    Path scenario;

    @Option(names = "--costs", description = "Also print where the time of one prefill and one decode iteration goes, per stage.")
    boolean costs;

    @Option(names = "--prefill-tokens", paramLabel = "N", description = "Tokens per prefill DP rank for --costs (default: the chunk size).")
    int prefillTokens;

    @Option(names = "--decode-batch", paramLabel = "N", description = "Requests per decode DP rank for --costs (default: 64).")
    int decodeBatch = 64;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var s = ScenarioLoader.load(scenario);
        spec.commandLine().getOut().print(ExplainReport.render(s));
        if (costs) {
            if (prefillTokens < 0 || decodeBatch < 1) {
                throw new dev.pdsim.scenario.InputException(dev.pdsim.scenario.SourceLocation.ofFile("--costs"),
                        "--prefill-tokens must be >= 0 and --decode-batch >= 1");
            }
            spec.commandLine().getOut().print("\n" + dev.pdsim.report.CostReport.render(s, prefillTokens, decodeBatch));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}

package dev.pdsim.cli;

import dev.pdsim.report.ExplainReport;
import dev.pdsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "explain", mixinStandardHelpOptions = true, header = "Show the derived topology, scatter modes, TBO region and (--costs) time breakdown.",
        description = {"Show the topology a scenario derives: per instance its nodes, ranks, DP and attention-TP",
                "groups, what SGLang adjusts, the flags pdsim ignores, per-layer scatter modes, and where",
                "two-batch overlap runs and which of its stages gather across DP ranks."})
final class ExplainCommand extends CommandBase {
    @Parameters(paramLabel = "SCENARIO", description = "Scenario YAML file.")
    Path scenario;

    @Option(names = "--costs", description = "Also print where the time of one prefill and one decode iteration goes, per stage.")
    boolean costs;

    @Option(names = "--prefill-tokens", paramLabel = "N", description = "Tokens per prefill DP rank for --costs (default: the chunk size).")
    int prefillTokens;

    @Option(names = "--decode-batch", paramLabel = "N", description = "Requests per decode DP rank for --costs "
            + "(default: a concurrency workload's clients per decode DP rank, else 64).")
    int decodeBatch;

    @Option(names = "--context", paramLabel = "N", description = "Cached tokens per decoding request for --costs "
            + "(default: the workload's longest input plus half its longest output).")
    int context;

    @Override
    public Integer call() {
        var s = ScenarioLoader.load(scenario);
        out().print(ExplainReport.render(s));
        if (costs) {
            if (prefillTokens < 0 || decodeBatch < 0 || context < 0) {
                throw new dev.pdsim.diag.InputException(dev.pdsim.diag.SourceLocation.ofFile("--costs"),
                        "--prefill-tokens, --decode-batch and --context must be >= 1 (or left out for their defaults)");
            }
            out().print("\n" + dev.pdsim.report.CostReport.render(s, prefillTokens, decodeBatch, context));
        }
        out().flush();
        return 0;
    }
}

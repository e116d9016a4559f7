package dev.pdsim.cli;

import dev.pdsim.report.ExplainReport;
import dev.pdsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Show the topology a scenario derives: per instance its nodes, ranks, DP and attention-TP",
                "groups, what SGLang adjusts, the flags pdsim ignores, per-layer scatter modes, and where",
                "two-batch overlap runs and which of its stages gather across DP ranks."})
final class ExplainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO", description = "Scenario YAML file.")
    Path scenario;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ExplainReport.render(ScenarioLoader.load(scenario)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}

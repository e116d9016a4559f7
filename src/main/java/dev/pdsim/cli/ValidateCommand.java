package dev.pdsim.cli;

import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true, header = "Check a scenario (YAML, launch lines, SGLang server-argument rules, memory) without running it.",
        description = {"Check a scenario without running it: YAML, fields, launch lines, SGLang 0.4.8.post1's",
                "server-argument rules and whether each instance's memory lets SGLang start (what replay",
                "refuses, with the same messages). Prints every problem as file:line:column: message; exit 2 if any."})
final class ValidateCommand extends CommandBase {
    @Parameters(paramLabel = "SCENARIO", description = "Scenario YAML file.")
    Path scenario;

    @Override
    public Integer call() {
        Scenario s = ScenarioLoader.load(scenario);
        out().printf("%s: valid (%d instance groups, %d GPUs)%n", scenario, s.instances().size(),
                s.totalGpus());
        // A valid launch may still set what pdsim does not simulate: say so before anyone runs it.
        s.warnings().forEach(w -> out().printf("%s: warning: %s%n", scenario, w));
        return 0;
    }
}

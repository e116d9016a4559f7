package dev.pdsim.cli;

import dev.pdsim.scenario.ScenarioSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Print the JSON Schema of scenario files (the same as scenarios/scenario.schema.json),",
                "for editors that validate YAML against a schema."})
final class SchemaCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ScenarioSchema.render());
        spec.commandLine().getOut().flush();
        return 0;
    }
}

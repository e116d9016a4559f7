package dev.pdsim.cli;

import dev.pdsim.scenario.ScenarioSchema;
import picocli.CommandLine.Command;

@Command(name = "schema", mixinStandardHelpOptions = true, header = "Print the JSON Schema of scenario files.",
        description = {"Print the JSON Schema of scenario files (the same as scenarios/scenario.schema.json),",
                "for editors that validate YAML against a schema."})
final class SchemaCommand extends CommandBase {

    @Override
    public Integer call() {
        out().print(ScenarioSchema.render());
        out().flush();
        return 0;
    }
}

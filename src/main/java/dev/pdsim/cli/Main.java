package dev.pdsim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code pdsim} command line. */
@Command(name = "pdsim", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
                "Deterministic discrete-event simulator of SGLang disaggregated prefill/decode serving",
                "(DeepSeek-V3/R1, DP attention, TP/EP groups, two-batch overlap).",
                "",
                "Exit codes: 0 the command ran (a simulated crash is a result), 2 bad input, 1 internal error."},
        subcommands = {ReplayCommand.class, SweepCommand.class, BenchCommand.class, CalibrateCommand.class, ValidateCommand.class, ExplainCommand.class, SchemaCommand.class,
                CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        // Outputs must be byte-identical whatever the user's locale (decimal points, case mapping).
        java.util.Locale.setDefault(java.util.Locale.ROOT);
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // The descriptions are written as lines of about 110 columns; wider terminals use more.
        cli.setUsageHelpWidth(120);
        cli.setUsageHelpAutoWidth(true);
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(ErrorHandler::onUsageError);
        return cli.execute(args);
    }
}

package dev.pdsim.cli;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.experiment.RunBudget;
import picocli.CommandLine.Option;

/**
 * The events budget of the commands that simulate: runs estimated above it are refused before
 * they start. Only replay writes requests.csv, so only it adds {@code --max-output}.
 */
final class BudgetOptions {
    @Option(names = "--max-events", paramLabel = "N", description = "Refuse a run estimated to take more simulation "
            + "events than this (default: " + RunBudget.DEFAULT_MAX_EVENTS + ").")
    long maxEvents = RunBudget.DEFAULT_MAX_EVENTS;

    /** The budget of runs that write no requests.csv. */
    RunBudget events() {
        return new RunBudget(positive(maxEvents, "--max-events"), Long.MAX_VALUE);
    }

    RunBudget withOutput(long maxOutput) {
        return new RunBudget(positive(maxEvents, "--max-events"), positive(maxOutput, "--max-output"));
    }

    private static long positive(long value, String option) {
        if (value < 1) {
            throw new InputException(SourceLocation.ofFile(option), "must be a positive number, got " + value);
        }
        return value;
    }
}

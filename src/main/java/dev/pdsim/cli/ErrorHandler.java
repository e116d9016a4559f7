package dev.pdsim.cli;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problem;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns failures into the exit codes of the CLI contract: bad input prints one line per problem and
 * exits 2; anything else is an internal error, exit 1, with the stack trace only under --verbose.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int BAD_INPUT = 2;
    static final int INTERNAL_ERROR = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof InputException input) {
            for (Problem p : input.problems()) {
                err.println(p);
            }
            err.flush();
            return BAD_INPUT;
        }
        err.println("pdsim: internal error: " + e + " (run again with --verbose for the stack trace)");
        if (isVerbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return INTERNAL_ERROR;
    }

    static int onUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("pdsim: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return BAD_INPUT;
    }

    private static boolean isVerbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}

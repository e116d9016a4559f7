package dev.pdsim.cli;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problem;
import dev.pdsim.diag.Quote;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import picocli.CommandLine;

/**
 * Turns failures into the exit codes of the CLI contract: bad input prints one line per problem and
 * exits 2, and so does a file system that refuses to read or write (a full disk, a read-only
 * folder), which is the environment's problem, not pdsim's; anything else is an internal error,
 * exit 1, with the stack trace only under --verbose. Every line is printed with its control
 * characters escaped, whatever value it quotes.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int BAD_INPUT = 2;
    static final int INTERNAL_ERROR = 1;
    /** Longest line printed for a failure. */
    private static final int MAX_LINE = 500;

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
        IOException io = ioCause(e);
        if (io != null) {
            err.println("pdsim: " + Quote.line(describe(io), MAX_LINE) + " (a problem of the file system: a full disk,"
                    + " a read-only or vanished folder)");
            if (isVerbose(parsed)) {
                e.printStackTrace(err);
            }
            err.flush();
            return BAD_INPUT;
        }
        err.println("pdsim: internal error: " + Quote.line(e.toString(), MAX_LINE)
                + " (run again with --verbose for the stack trace)");
        if (isVerbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return INTERNAL_ERROR;
    }

    static int onUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("pdsim: " + Quote.line(String.valueOf(e.getMessage()), MAX_LINE));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return BAD_INPUT;
    }

    /** The I/O failure behind {@code e}, if that is what it is. */
    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            return "cannot write or read " + f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile())
                    + ": " + (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason());
        }
        return "input/output error: " + e.getMessage();
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

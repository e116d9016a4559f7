package dev.pdsim.cli;

import dev.pdsim.report.OutputDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Watches a run that writes into its output folder. Ctrl-C or SIGTERM stops the JVM through its
 * shutdown hooks; this one then saves what the command has complete, rewrites the folder's
 * {@value OutputDirectory#PARTIAL} marker to say the run was interrupted and what the folder holds,
 * and says so on the console. A run that ends normally removes the marker ({@link #completed}).
 */
final class RunGuard implements AutoCloseable {
    /** Saves the complete part of an interrupted run; returns what the folder then holds. */
    @FunctionalInterface
    interface PartialWriter {
        String savePartial();
    }

    private final Path dir;
    private final Thread hook;
    private boolean done;
    private boolean interrupted;

    private RunGuard(Path dir, PrintWriter err, PartialWriter partial) {
        this.dir = dir;
        this.hook = new Thread(() -> onInterrupt(err, partial), "pdsim-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static RunGuard watch(Path dir, PrintWriter err, PartialWriter partial) {
        return new RunGuard(dir, err, partial);
    }

    /** The run wrote everything; unless an interruption came first, whose marker then stays. */
    void completed() {
        boolean interruptedFirst;
        synchronized (this) {
            interruptedFirst = interrupted;
            close();
        }
        if (!interruptedFirst) {
            OutputDirectory.complete(dir);
        }
    }

    /** Stops watching; a run that failed keeps its marker. */
    @Override
    public synchronized void close() {
        if (!done) {
            done = true;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook runs and marks the folder.
            }
        }
    }

    private synchronized void onInterrupt(PrintWriter err, PartialWriter partial) {
        if (done) {
            return;
        }
        done = true;
        interrupted = true;
        String holds;
        try {
            holds = partial.savePartial();
        } catch (RuntimeException e) {
            holds = "nothing complete (saving the finished part failed: " + e.getMessage() + ")";
        }
        OutputDirectory.markPartial(dir, "INTERRUPTED: the run was stopped (Ctrl-C or SIGTERM) before it finished."
                + " This folder holds " + holds + "; nothing else here is a finished result.");
        err.println();
        err.println("pdsim: interrupted: " + dir + " holds a partial run (" + holds + "); see " + dir.resolve(
                OutputDirectory.PARTIAL));
        err.flush();
    }
}

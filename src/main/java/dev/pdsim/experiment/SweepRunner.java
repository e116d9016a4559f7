package dev.pdsim.experiment;

import dev.pdsim.metrics.RequestSink;
import dev.pdsim.serving.FailureReport;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a sweep on a thread pool and hands rows to the sink in index order, whatever order they
 * finish in: the same grid gives the same rows, in the same order, with any thread count. At most
 * a few rows per thread wait for their turn, so memory does not grow with the grid.
 */
public final class SweepRunner {
    private SweepRunner() {
    }

    /** Receives every finished row (in index order) and every skipped combination. */
    public interface Listener {
        void row(SweepRow row);

        default void filtered(Combination c) {
        }
    }

    public static void run(SweepSpec spec, int threads, Listener listener) throws InterruptedException {
        SweepGrid grid = new SweepGrid(spec);
        int total = (int) grid.size();
        int window = Math.max(threads * 4, 8);
        ReplayOptions options = ReplayOptions.DEFAULT.withSlo(spec.slo());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pdsim-sweep");
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<Evaluated> done = new ExecutorCompletionService<>(pool);
        Map<Integer, Evaluated> waiting = new TreeMap<>();
        int submitted = 0;
        int next = 0;
        int inFlight = 0;
        try {
            while (next < total) {
                while (submitted < total && inFlight < window) {
                    final int index = submitted++;
                    done.submit(() -> evaluate(grid, index, options));
                    inFlight++;
                }
                Future<Evaluated> f = done.take();
                inFlight--;
                Evaluated r = f.get();
                waiting.put(r.index(), r);
                while (waiting.containsKey(next)) {
                    Evaluated item = waiting.remove(next++);
                    if (item.row() != null) {
                        listener.row(item.row());
                    } else {
                        listener.filtered(item.filtered());
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A combination's row, or the combination itself when the GPU bounds filter it out. */
    record Evaluated(int index, SweepRow row, Combination filtered) {
        static Evaluated of(SweepRow row) {
            return new Evaluated(row.index(), row, null);
        }
    }

    static Evaluated evaluate(SweepGrid grid, int index, ReplayOptions options) {
        Combination c = grid.at(index);
        if (!grid.admitted(c)) {
            return new Evaluated(index, null, c);
        }
        if (!c.valid()) {
            return Evaluated.of(new SweepRow(index, c.labels(), c.seed(), SweepOutcome.INVALID, c.invalidReason(), 0, null, 0));
        }
        // A layout whose memory SGLang would not start is already an invalid combination.
        RunResult r = ServingSimulation.run(c.scenario(), options, RequestSink.NONE, null);
        FailureReport f = r.failure();
        String message = f == null ? "" : String.format(java.util.Locale.ROOT, "%s at %.3f s: %s layer %d %s", f.hang() ? "hang" : "crash",
                f.timeS(), f.instance(), f.layer(), f.operation());
        return Evaluated.of(new SweepRow(index, c.labels(), c.seed(), SweepOutcome.of(r.outcome()), message, r.gpus(), r,
                c.scenario().durationS()));
    }

}

package dev.pdsim.experiment;

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

    /** @param check whether every run checks the simulator's invariants ({@code --check}) */
    public static void run(SweepSpec spec, int threads, boolean check, Listener listener) throws InterruptedException {
        SweepEvaluator evaluator = new SweepEvaluator(spec, SweepEvaluator.simulation(check));
        int total = (int) evaluator.size();
        int window = Math.max(threads * 4, 8);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pdsim-sweep");
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<SweepEvaluator.Evaluated> done = new ExecutorCompletionService<>(pool);
        Map<Integer, SweepEvaluator.Evaluated> waiting = new TreeMap<>();
        int submitted = 0;
        int next = 0;
        int inFlight = 0;
        try {
            while (next < total) {
                while (submitted < total && inFlight < window) {
                    final int index = submitted++;
                    done.submit(() -> evaluator.evaluate(index));
                    inFlight++;
                }
                Future<SweepEvaluator.Evaluated> f = done.take();
                inFlight--;
                SweepEvaluator.Evaluated r = f.get();
                waiting.put(r.index(), r);
                while (waiting.containsKey(next)) {
                    SweepEvaluator.Evaluated item = waiting.remove(next++);
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
}

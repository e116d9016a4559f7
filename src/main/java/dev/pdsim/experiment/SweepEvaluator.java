package dev.pdsim.experiment;

import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.serving.FailureReport;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.io.Serializable;
import java.util.Locale;

/**
 * Turns one index of a sweep grid into its row: the single call that both the thread pool and a
 * Spark task make, so both give the same row for the same index. A row depends only on the
 * combination and its seed, so a task Spark retries after losing an executor gives the same row.
 */
public final class SweepEvaluator {
    /** Runs one scenario to its result; a test replaces it to make a simulation fail. */
    @FunctionalInterface
    interface Replay extends Serializable {
        RunResult run(Scenario scenario, ReplayOptions options);
    }

    static final Replay SIMULATION = (scenario, options) -> ServingSimulation.run(scenario, options, RequestSink.NONE, null);
    /** The simulation with its invariants checked ({@code --check}). */
    static final Replay CHECKED_SIMULATION = (scenario, options) -> SIMULATION.run(scenario, options.withCheck(true));

    /** The simulation, checking its invariants when {@code check}. */
    static Replay simulation(boolean check) {
        return check ? CHECKED_SIMULATION : SIMULATION;
    }

    /** A combination's row, or the combination itself when the GPU bounds filter it out. */
    public record Evaluated(int index, SweepRow row, Combination filtered) {
        static Evaluated of(SweepRow row) {
            return new Evaluated(row.index(), row, null);
        }
    }

    private final SweepGrid grid;
    private final ReplayOptions options;
    private final Replay replay;

    public SweepEvaluator(SweepSpec spec) {
        this(spec, SIMULATION);
    }

    SweepEvaluator(SweepSpec spec, Replay replay) {
        this.grid = new SweepGrid(spec);
        this.options = ReplayOptions.DEFAULT;
        this.replay = replay;
    }

    public long size() {
        return grid.size();
    }

    public Combination combination(int index) {
        return grid.at(index);
    }

    public Evaluated evaluate(int index) {
        Combination c = grid.at(index);
        if (!grid.admitted(c)) {
            return new Evaluated(index, null, c);
        }
        if (!c.valid()) {
            return Evaluated.of(new SweepRow(index, c.labels(), c.seed(), SweepOutcome.INVALID, c.invalidReason(), 0, null));
        }
        int gpus = c.scenario().totalGpus();
        RunResult r;
        try {
            // A layout whose memory SGLang would not start is already an invalid combination.
            r = replay.run(c.scenario(), options);
        } catch (RuntimeException e) {
            // One broken combination must not cost the other rows of the sweep (nor fail a Spark job).
            return Evaluated.of(new SweepRow(index, c.labels(), c.seed(), SweepOutcome.ERROR,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), gpus, null));
        }
        FailureReport f = r.failure();
        String message = f == null ? "" : String.format(Locale.ROOT, "%s at %.3f s: %s layer %d %s", f.hang() ? "hang" : "crash",
                f.timeS(), f.instance(), f.layer(), f.operation());
        return Evaluated.of(new SweepRow(index, c.labels(), c.seed(), SweepOutcome.of(r.outcome()), message, r.gpus(),
                SweepFigures.of(r, r.gpus())));
    }
}

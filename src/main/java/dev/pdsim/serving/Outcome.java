package dev.pdsim.serving;

import java.util.Locale;

/** How a replay ended: by its first failure, if any server failed. */
public enum Outcome {
    COMPLETED, CRASHED, HUNG;

    /** The name in summary.json, the CSV files and the console. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Outcome of(FailureReport firstFailure) {
        return firstFailure == null ? COMPLETED : firstFailure.hang() ? HUNG : CRASHED;
    }
}

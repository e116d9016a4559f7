package dev.pdsim.experiment;

import dev.pdsim.serving.Outcome;
import java.util.Locale;

/** How one combination of a sweep ended: as its replay did, invalid before it could run, or in error. */
public enum SweepOutcome {
    COMPLETED, CRASHED, HUNG,
    /** Broke a validation rule, or its weights do not fit its GPUs: never replayed. */
    INVALID,
    /** The simulator itself failed on this combination (a bug in pdsim, not a simulated crash). */
    ERROR;

    public static SweepOutcome of(Outcome replay) {
        return switch (replay) {
            case COMPLETED -> COMPLETED;
            case CRASHED -> CRASHED;
            case HUNG -> HUNG;
        };
    }

    /** The name in sweep.csv, index.html and the console. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

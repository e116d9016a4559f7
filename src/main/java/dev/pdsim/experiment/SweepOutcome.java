package dev.pdsim.experiment;

import dev.pdsim.serving.Outcome;
import java.util.Locale;

/** How one combination of a sweep ended: as its replay did, or invalid before it could run. */
public enum SweepOutcome {
    COMPLETED, CRASHED, HUNG,
    /** Broke a validation rule, or its weights do not fit its GPUs: never replayed. */
    INVALID;

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

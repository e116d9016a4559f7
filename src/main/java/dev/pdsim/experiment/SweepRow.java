package dev.pdsim.experiment;

import java.io.Serializable;
import java.util.List;

/**
 * The outcome of one combination: invalid (with the rule it broke), failed (with the error), or
 * the figures its replay gave. Serializable, so a Spark task can return it as it is.
 *
 * @param figures null unless the combination was replayed to its end (completed, crashed or hung)
 */
public record SweepRow(int index, List<String> labels, long seed, SweepOutcome outcome, String message, int gpus,
                       SweepFigures figures) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Input plus output tokens per second per GPU of the whole cluster. */
    public double tokensPerSPerGpu() {
        return figures == null ? 0 : figures.tokensPerSPerGpu();
    }

    public double goodputPerS() {
        return figures == null ? 0 : figures.goodputPerS();
    }
}

package dev.pdsim.experiment;

import java.io.Serializable;
import java.util.ArrayList;
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

    /** The cells every table of rows starts with: index, axis labels, seed, outcome, message, GPUs. */
    public List<Object> leadingCells() {
        List<Object> cells = new ArrayList<>();
        cells.add(index);
        cells.addAll(labels);
        cells.add(seed);
        cells.add(outcome.label());
        cells.add(message);
        cells.add(gpus);
        return cells;
    }

    /** Input plus output tokens per second per GPU of the whole cluster. */
    public double tokensPerSPerGpu() {
        return figures == null ? 0 : figures.tokensPerSPerGpu();
    }

    /** Finished requests per second within the SLO; NaN without an SLO or figures. */
    public double goodputPerS() {
        return figures == null ? Double.NaN : figures.goodputPerS();
    }
}

package dev.pdsim.experiment;

import dev.pdsim.serving.RunResult;
import java.util.List;

/**
 * The outcome of one combination: invalid (with the rule it broke) or what its replay gave.
 *
 * @param result null for an invalid combination
 */
public record SweepRow(int index, List<String> labels, long seed, SweepOutcome outcome, String message, int gpus,
                       RunResult result, double windowS) {

    /** Input plus output tokens per second per GPU of the whole cluster. */
    public double tokensPerSPerGpu() {
        if (result == null || gpus == 0) {
            return 0;
        }
        double in = result.inputTokensPerSPerNode() * result.prefillNodes();
        double out = result.outputTokensPerSPerNode() * result.decodeNodes();
        return (in + out) / gpus;
    }

    public double goodputPerS() {
        return result == null ? 0 : result.goodputPerS(windowS);
    }
}

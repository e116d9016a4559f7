package dev.pdsim.experiment;

import dev.pdsim.serving.RunResult;
import java.io.Serializable;

/**
 * The figures of one replayed combination that a sweep keeps: just what sweep.csv and the
 * summaries show, so a row is small and travels from a Spark executor to the driver unchanged.
 * Latencies in milliseconds.
 */
public record SweepFigures(long finished, long aborted, long corruptedTokens, double inputTokensPerSPerNode,
                           double outputTokensPerSPerNode, double tokensPerSPerGpu, double ttftP50, double ttftP99,
                           double itlP50, double itlP99, double e2eP50, double e2eP99, double goodputPerS)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code windowS}: the simulated traffic period over which goodput is counted. */
    static SweepFigures of(RunResult r, int gpus, double windowS) {
        double in = r.inputTokensPerSPerNode() * r.prefillNodes();
        double out = r.outputTokensPerSPerNode() * r.decodeNodes();
        return new SweepFigures(r.finished(), r.aborted(), r.corruptedTokens(), r.inputTokensPerSPerNode(),
                r.outputTokensPerSPerNode(), gpus == 0 ? 0 : (in + out) / gpus, r.ttft().p50(), r.ttft().p99(),
                r.itl().p50(), r.itl().p99(), r.e2e().p50(), r.e2e().p99(), r.goodputPerS(windowS));
    }
}

package dev.pdsim.experiment;

import dev.pdsim.serving.RunResult;
import java.io.Serializable;

/**
 * The figures of one replayed combination that a sweep keeps: just what sweep.csv and the
 * summaries show, so a row is small and travels from a Spark executor to the driver unchanged.
 * Latencies in milliseconds, NaN when no request finished; goodput NaN when the sweep has no SLO.
 */
public record SweepFigures(long finished, long aborted, long unfinished, long corruptedTokens,
                           double inputTokensPerSPerNode, double outputTokensPerSPerNode, double tokensPerSPerGpu,
                           double ttftP50, double ttftP99, double tpotP50, double tpotP99, double itlP50, double itlP99,
                           double e2eP50, double e2eP99, double goodputPerS)
        implements Serializable {
    private static final long serialVersionUID = 2L;

    static SweepFigures of(RunResult r, int gpus) {
        double in = r.inputTokensPerSPerNode() * r.prefillNodes();
        double out = r.outputTokensPerSPerNode() * r.decodeNodes();
        RunResult.Latencies l = r.latency();
        return new SweepFigures(r.finished(), r.aborted(), r.unfinished(), r.corruptedTokens(),
                r.inputTokensPerSPerNode(), r.outputTokensPerSPerNode(), gpus == 0 ? 0 : (in + out) / gpus,
                l.ttft().p50(), l.ttft().p99(), l.tpot().p50(), l.tpot().p99(), l.itl().p50(), l.itl().p99(),
                l.e2e().p50(), l.e2e().p99(), r.goodput());
    }
}

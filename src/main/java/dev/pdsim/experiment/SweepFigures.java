package dev.pdsim.experiment;

import dev.pdsim.serving.RunResult;
import java.io.Serializable;

/**
 * The figures of one replayed combination that a sweep keeps: just what sweep.csv and the
 * summaries show, so a row is small and travels from a Spark executor to the driver unchanged.
 * Latencies in milliseconds, NaN when no request finished; goodput NaN when the sweep has no SLO.
 *
 * @param tokensPerSPerGpu       input plus output tokens per second of the whole cluster, per GPU
 * @param tpotMean               bench_serving's mean TPOT (exact, from the sum of the samples)
 * @param outputTokensPerSPerGpu output tokens per second of the whole cluster, per GPU: what a GPU
 *                               earns in the tokens users pay for, whichever role it has
 */
public record SweepFigures(long finished, long aborted, long unfinished, long corruptedTokens,
                           double inputTokensPerSPerNode, double outputTokensPerSPerNode, double tokensPerSPerGpu,
                           double ttftP50, double ttftP99, double tpotP50, double tpotP99, double itlP50, double itlP99,
                           double e2eP50, double e2eP99, double goodputPerS, double tpotMean,
                           double outputTokensPerSPerGpu)
        implements Serializable {
    private static final long serialVersionUID = 3L;

    static SweepFigures of(RunResult r, int gpus) {
        double in = r.inputTokensPerSPerNode() * r.prefillNodes();
        double out = r.outputTokensPerSPerNode() * r.decodeNodes();
        RunResult.Latencies l = r.latency();
        return new SweepFigures(r.finished(), r.aborted(), r.unfinished(), r.corruptedTokens(),
                r.inputTokensPerSPerNode(), r.outputTokensPerSPerNode(), gpus == 0 ? 0 : (in + out) / gpus,
                l.ttft().p50(), l.ttft().p99(), l.tpot().p50(), l.tpot().p99(), l.itl().p50(), l.itl().p99(),
                l.e2e().p50(), l.e2e().p99(), r.goodput(), l.tpot().mean(), gpus == 0 ? 0 : out / gpus);
    }

    /**
     * Output tokens per second one user sees while its answer streams, at the median TPOT: the
     * x axis of the usual throughput-against-interactivity chart. TPOT excludes the wait for the
     * first token, so this is the decode speed, not the answer's overall rate. Since 1000/x falls
     * as x rises, it is also the median of the users' own rates (up to how an even count is split).
     */
    public double tokensPerSPerUserP50() {
        return perUser(tpotP50);
    }

    /** Output tokens per second of a user at the mean TPOT (below the median user's when a few requests are slow). */
    public double tokensPerSPerUserMean() {
        return perUser(tpotMean);
    }

    /** Tokens per second at one token every {@code tpotMs} ms; NaN when no TPOT was measured. */
    static double perUser(double tpotMs) {
        return tpotMs > 0 ? 1000 / tpotMs : Double.NaN;
    }
}

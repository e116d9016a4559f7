package dev.pdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.LatencySummary;
import dev.pdsim.scenario.Slo;
import dev.pdsim.serving.Outcome;
import dev.pdsim.serving.RunResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepFiguresTest {
    /** 2 prefill and 6 decode nodes (64 GPUs), the given TPOT, 3,000 input and 1,200 output tokens/s per node. */
    private static RunResult run(LatencySummary tpot) {
        LatencySummary other = new LatencySummary(500, 400, 700, 900, 100);
        return new RunResult("s.yaml", "patched", 1, Outcome.COMPLETED, null, new RunResult.RequestCounts(100, 100, 0, 0, 0),
                0, 3000, 1200, new RunResult.Latencies(other, tpot, other, other), 1, Map.of(), 0, 60, 2, 6, Map.of(),
                0, 0, 0, Slo.NONE, 64, List.of(), List.of(), null);
    }

    @Test
    void tokensPerUserAreTheTokensOfOneTpotPerSecond() {
        // A median TPOT of 25 ms streams 40 tokens/s to a user; the mean, pulled up by slow requests, 32.
        SweepFigures f = SweepFigures.of(run(new LatencySummary(31.25, 25, 40, 80, 100)), 64);
        assertEquals(40.0, f.tokensPerSPerUserP50(), 1e-12);
        assertEquals(32.0, f.tokensPerSPerUserMean(), 1e-12);
        assertEquals(31.25, f.tpotMean());
    }

    @Test
    void outputPerGpuDividesTheClusterOutputByAllItsGpus() {
        SweepFigures f = SweepFigures.of(run(new LatencySummary(31.25, 25, 40, 80, 100)), 64);
        assertEquals(1200.0 * 6 / 64, f.outputTokensPerSPerGpu(), 1e-12);
        assertEquals((3000.0 * 2 + 1200.0 * 6) / 64, f.tokensPerSPerGpu(), 1e-12);
    }

    @Test
    void withoutATpotThereIsNoSpeedPerUser() {
        SweepFigures f = SweepFigures.of(run(LatencySummary.EMPTY), 64);
        assertTrue(Double.isNaN(f.tokensPerSPerUserP50()));
        assertTrue(Double.isNaN(f.tokensPerSPerUserMean()));
        assertTrue(Double.isNaN(SweepFigures.perUser(0)), "a zero TPOT is no measurement, not an infinite speed");
    }
}

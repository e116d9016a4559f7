package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.serving.Outcome;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import dev.pdsim.serving.SpeculativeUse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** scenarios/mtp-2p2d.yaml end to end: what its decode servers' verifies accept, and what MTP buys a user. */
class SpeculativeDecodingTest {
    private static final Path FILE = Path.of("scenarios", "mtp-2p2d.yaml");
    /** Two-sided 99.9 % normal quantile. */
    private static final double Z_999 = 3.2905;

    private static RunResult run(Scenario s) {
        return ServingSimulation.run(s.withDuration(30), ReplayOptions.DEFAULT, RequestSink.NONE, null);
    }

    @Test
    void acceptedLengthMeanEqualsItsAnalyticValueWithinTheSamplesConfidenceInterval() {
        RunResult r = run(ScenarioLoader.load(FILE));
        assertEquals(Outcome.COMPLETED, r.outcome());
        SpeculativeUse use = r.speculative();
        long[] counts = use.acceptedLengths();
        long n = use.verifies();
        double mean = use.acceptedLengthMean();
        double squares = 0;
        for (int len = 1; len < counts.length; len++) {
            squares += counts[len] * Math.pow(len - mean, 2);
        }
        double halfWidth = Z_999 * Math.sqrt(squares / (n - 1) / n);
        assertTrue(n > 10_000, "verifies: " + n);
        assertTrue(Math.abs(mean - use.analyticMean()) <= halfWidth, "mean " + mean + " +- " + halfWidth
                + " does not cover the analytic " + use.analyticMean());
        assertEquals(1 + 0.85 + 0.85 * 0.85 + 0.85 * 0.85 * 0.85, use.analyticMean(), 1e-12);
    }

    @Test
    void mtpRaisesEachUsersDecodeSpeedAndCostsLongerSteps() throws IOException {
        String text = Files.readString(FILE);
        Scenario without = ScenarioLoader.parse("no-mtp.yaml", text.replaceAll("(?m)^ +speculative_.*\\n", ""));
        RunResult plain = run(without);
        RunResult mtp = run(ScenarioLoader.load(FILE));
        assertNull(plain.speculative());
        // Several tokens per verify, each verify longer than a plain step but by less than the tokens it gives.
        double plainTpot = plain.latency().tpot().mean();
        double mtpTpot = mtp.latency().tpot().mean();
        assertTrue(mtpTpot < plainTpot, mtpTpot + " vs " + plainTpot);
        assertTrue(mtp.latency().itl().mean() > plain.latency().itl().mean());
        assertEquals(1e3 / mtpTpot, mtp.speculative().userTokensPerSMean(), 0.05 * 1e3 / mtpTpot);
    }
}

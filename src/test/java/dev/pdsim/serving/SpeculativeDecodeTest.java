package dev.pdsim.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.engine.RandomStreams;
import dev.pdsim.scenario.SpeculativeAcceptance;
import dev.pdsim.scenario.SpeculativeArgs;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeculativeDecodeTest {
    private static final int DRAWS = 200_000;
    /** Two-sided 99.9 % normal quantile: a correct sampler fails one seed in a thousand. */
    private static final double Z_999 = 3.2905;

    private static SpeculativeDecode sampler(long seed, SpeculativeAcceptance acceptance, int steps) {
        return new SpeculativeDecode(new SpeculativeArgs(steps, 1, steps + 1), acceptance,
                new RandomStreams(seed).stream("speculative/test"));
    }

    /** Sample mean and its confidence half-width from the sample's own standard deviation. */
    private static double[] meanAndHalfWidth(SpeculativeDecode d) {
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < DRAWS; i++) {
            int g = d.drawGain();
            sum += g;
            squares += (double) g * g;
        }
        double mean = sum / DRAWS;
        double variance = (squares - DRAWS * mean * mean) / (DRAWS - 1);
        return new double[] {mean, Z_999 * Math.sqrt(variance / DRAWS)};
    }

    @Test
    void acceptedLengthMeanMatchesItsAnalyticValueWithinTheConfidenceInterval() {
        for (SpeculativeAcceptance a : List.of(SpeculativeAcceptance.DEFAULT,
                new SpeculativeAcceptance(List.of(0.9, 0.7, 0.5)), new SpeculativeAcceptance(List.of(0.6)))) {
            double[] m = meanAndHalfWidth(sampler(7, a, 3));
            double analytic = a.meanAcceptedLength(3);
            assertTrue(Math.abs(m[0] - analytic) <= m[1], a + ": sample mean " + m[0] + " +- " + m[1]
                    + " does not cover the analytic " + analytic);
        }
    }

    @Test
    void theIntervalIsNarrowEnoughToCatchAnOffByOnePosition() {
        // The same draws judged against the mean of one draft fewer must fail: the test has power.
        SpeculativeAcceptance a = SpeculativeAcceptance.DEFAULT;
        double[] m = meanAndHalfWidth(sampler(7, a, 3));
        assertTrue(Math.abs(m[0] - a.meanAcceptedLength(2)) > m[1]);
    }

    @Test
    void analyticMeanIsOnePlusTheSumOfLeadingProducts() {
        SpeculativeAcceptance a = new SpeculativeAcceptance(List.of(0.9, 0.5));
        assertEquals(1 + 0.9 + 0.45 + 0.225, a.meanAcceptedLength(3), 1e-12);
        assertEquals(1.0, new SpeculativeAcceptance(List.of(0.0)).meanAcceptedLength(3));
        assertEquals(4.0, new SpeculativeAcceptance(List.of(1.0)).meanAcceptedLength(3));
    }

    @Test
    void theSameSeedDrawsTheSameLengths() {
        SpeculativeDecode x = sampler(3, SpeculativeAcceptance.DEFAULT, 3);
        SpeculativeDecode y = sampler(3, SpeculativeAcceptance.DEFAULT, 3);
        for (int i = 0; i < 1000; i++) {
            assertEquals(x.drawGain(), y.drawGain());
        }
        assertArrayEquals(x.gainedHistogram(), y.gainedHistogram());
    }
}

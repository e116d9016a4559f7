package dev.pdsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpertLoadTest {
    private final ExpertLoad skewed = new ExpertLoad(ModelSpec.DEEPSEEK_V3, 0.85, 0.1);

    @Test
    void balancedRoutingLeavesOnlyPoissonNoise() {
        ExpertLoad balanced = new ExpertLoad(ModelSpec.DEEPSEEK_V3.withRouting(ExpertRouting.BALANCED), 0.85, 0.1);
        // 4M tokens route 32M copies: about 125k per EP256 rank, whose Poisson spread is ~0.3%;
        // the busiest of 256 ranks sits about 3 standard deviations up.
        double large = balanced.busiestOverMean(256, 0, false, 1L << 22);
        assertEquals(1.0, large, 0.015, "balanced, large batch: " + large);
        // A small batch's counts are noisy: each expert gets a Poisson number of copies.
        double small = balanced.busiestOverMean(72, 32, true, 72 * 8);
        assertTrue(small > 1.1, "balanced, 8 tokens per rank: " + small);
        // Popularity skew and drift are gone, with or without EPLB.
        assertTrue(balanced.busiestOverMean(72, 32, false, 500_000) < 0.5 * skewed.busiestOverMean(72, 32, false, 500_000));
        assertEquals(balanced.busiestOverMean(64, 0, false, 500_000), balanced.busiestOverMean(64, 0, true, 500_000), 0.01);
        // Tokens spread over the deployed slots, replicas included: the LMSYS decode layout (EP72 with
        // 32 redundant experts) at 256 requests per GPU is within a few Poisson deviations of even.
        double lmsys = balanced.busiestOverMean(72, 32, true, 72 * 256);
        assertEquals(1.0, lmsys, 0.08, "EP72 + 32 redundant, 256 tokens per rank: " + lmsys);
    }

    @Test
    void oneRankIsNeverImbalanced() {
        assertEquals(1.0, skewed.busiestOverMean(1, 0, false, 100_000));
    }

    @Test
    void theBusiestRankCarriesMoreThanTheMean() {
        assertTrue(skewed.busiestOverMean(32, 32, true, 500_000) > 1.0);
    }

    @Test
    void eplbLowersTheBusiestRank() {
        double trivial = skewed.busiestOverMean(32, 32, false, 500_000);
        double balanced = skewed.busiestOverMean(32, 32, true, 500_000);
        assertTrue(trivial > 1.3 * balanced, trivial + " vs " + balanced);
    }

    @Test
    void fewerExpertsPerRankMeansAWorseBusiestRank() {
        // EP72 holds 4 experts a rank, EP32 9: a rank averages fewer experts' popularity.
        assertTrue(skewed.busiestOverMean(72, 32, false, 500_000) > skewed.busiestOverMean(32, 32, false, 500_000));
    }

    @Test
    void smallBatchesAreNoisier() {
        // A few tokens route a few copies: Poisson counts spread the load even under EPLB.
        assertTrue(skewed.busiestOverMean(72, 32, true, 72) > skewed.busiestOverMean(72, 32, true, 72 * 256));
    }

    @Test
    void uniformPopularityWithoutDriftIsBalancedAtLargeBatches() {
        ExpertLoad uniform = new ExpertLoad(ModelSpec.DEEPSEEK_V3, 0.0, 0.0);
        assertEquals(1.0, uniform.busiestOverMean(32, 0, false, 4_000_000), 0.02);
    }

    @Test
    void sameInputsGiveTheSameValue() {
        // Past the memo: two estimates from scratch.
        ExpertLoad again = new ExpertLoad(ModelSpec.DEEPSEEK_V3, 0.85, 0.1);
        assertEquals(skewed.estimate(48, 32, true, 12_345), again.estimate(48, 32, true, 12_345));
    }

    @Test
    void theLoadFactorFallsSmoothlyAsTheBatchGrows() {
        // Common random numbers across batch sizes: no step up beyond the Monte Carlo noise of the
        // counts (about 0.5% once the skew dominates), and a batch between two powers of two
        // lands between their values.
        for (boolean eplb : new boolean[] {false, true}) {
            double previous = Double.MAX_VALUE;
            for (long tokens = 256; tokens <= 1L << 20; tokens *= 2) {
                double v = skewed.busiestOverMean(72, 32, eplb, tokens);
                assertTrue(v <= previous * 1.01, "EP72 eplb=" + eplb + " at " + tokens + " tokens: " + v + " > " + previous);
                previous = v;
            }
            double low = skewed.busiestOverMean(72, 32, eplb, 8192);
            double high = skewed.busiestOverMean(72, 32, eplb, 16384);
            double mid = skewed.busiestOverMean(72, 32, eplb, 12_000);
            assertTrue(mid <= low && mid >= high, low + " / " + mid + " / " + high);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 4.0, 29.0, 31.0, 2_000.0})
    void poissonCountsHaveTheMeanAndVarianceOfAPoisson(double mean) {
        // Both sides of the switch to the normal approximation. Over n draws the sample mean's
        // standard error is sqrt(mean / n) and the sample variance's sqrt((2 mean^2 + mean) / n);
        // rounding the normal approximation to whole counts adds up to 1/12 to the variance.
        Well19937c rng = new Well19937c(7);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double k = ExpertLoad.poisson(rng, mean);
            assertEquals(Math.rint(k), k, "a count is whole");
            assertTrue(k >= 0);
            sum += k;
            sumSq += k * k;
        }
        double m = sum / n;
        double var = sumSq / n - m * m;
        assertEquals(mean, m, 4 * Math.sqrt(mean / n));
        assertEquals(mean, var, 4 * Math.sqrt((2 * mean * mean + mean) / n) + 1.0 / 12);
    }
}

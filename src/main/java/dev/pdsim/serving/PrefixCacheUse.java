package dev.pdsim.serving;

import java.util.Arrays;

/**
 * How much of the prompts a prefill instance served it found in its DP ranks' prefix caches, over
 * the user requests it admitted. Index i of the arrays is DP rank i.
 *
 * @param radixCache   false when the instance runs with {@code --disable-radix-cache}
 * @param servedTokens prompt tokens of the requests each rank admitted
 * @param cachedTokens of those, the tokens found in the rank's cache (not computed)
 */
public record PrefixCacheUse(String instance, boolean radixCache, long[] servedTokens, long[] cachedTokens) {

    public long served() {
        return Arrays.stream(servedTokens).sum();
    }

    public long cached() {
        return Arrays.stream(cachedTokens).sum();
    }

    /** Prompt tokens the instance computed. */
    public long computed() {
        return served() - cached();
    }

    /** Cached over served prompt tokens (0 when nothing was served). */
    public double hitRate() {
        return ratio(cached(), served());
    }

    /** The hit rate of each DP rank. */
    public double[] rankHitRates() {
        double[] rates = new double[servedTokens.length];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = ratio(cachedTokens[i], servedTokens[i]);
        }
        return rates;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}

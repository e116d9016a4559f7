package dev.pdsim.serving;

import java.util.List;

/** One DP rank's count of the prompt tokens of admitted user requests, and of those found in its prefix cache. */
final class PrefixCacheTally {
    private long served;
    private long cached;

    /** {@code r} was admitted with {@code cachedTokens} of its prompt in the cache (warmup requests do not count). */
    void admitted(Request r, int cachedTokens) {
        if (r.kind == Request.Kind.USER) {
            served += r.inputLen;
            cached += cachedTokens;
        }
    }

    /** The use of an instance's prefix caches, from its ranks' tallies in rank order. */
    static PrefixCacheUse use(String instance, boolean radixCache, List<PrefixCacheTally> ranks) {
        long[] served = new long[ranks.size()];
        long[] cached = new long[ranks.size()];
        for (int r = 0; r < served.length; r++) {
            served[r] = ranks.get(r).served;
            cached[r] = ranks.get(r).cached;
        }
        return new PrefixCacheUse(instance, radixCache, served, cached);
    }
}

package dev.pdsim.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pdsim.workload.Prompt;
import org.junit.jupiter.api.Test;

/** The per-rank radix cache: hits on repeated blocks, locks, duplicates, LRU eviction; and the disabled cache. */
class RadixPrefixCacheTest {
    private long ids;

    private Request request(int tokens, long... blocks) {
        int[] lens = new int[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            lens[i] = Math.min(512, tokens - 512 * i);
        }
        return new Request(ids++, Request.Kind.USER, 0, new Prompt(tokens, blocks, lens), 1);
    }

    /** A request that goes through the whole life: matched, computed, sent; returns its cached tokens. */
    private int serve(PrefixCache cache, Request r) {
        int cached = cache.match(r);
        cache.prefilled(r);
        cache.release(r);
        return cached;
    }

    @Test
    void repeatedBlocksHitUpToThePromptLessOneToken() {
        RadixPrefixCache cache = new RadixPrefixCache(1);
        assertEquals(0, serve(cache, request(1100, 1, 2, 3)));
        assertEquals(1100, cache.size());
        assertEquals(1100, cache.evictable());
        assertEquals(1099, serve(cache, request(1100, 1, 2, 3)));
        assertEquals(1024, serve(cache, request(1100, 1, 2, 9)));
        assertEquals(0, serve(cache, request(1100, 2, 1, 3)), "blocks match from the start only");
        assertEquals(1100 + 76 + 1100, cache.size());
    }

    @Test
    void thePageSizeFloorsTheCachedPrefix() {
        RadixPrefixCache cache = new RadixPrefixCache(64);
        serve(cache, request(1100, 1, 2, 3));
        assertEquals(1088, serve(cache, request(1100, 1, 2, 3)));
    }

    @Test
    void lockedBlocksStayAndAComputedDuplicateIsFreed() {
        RadixPrefixCache cache = new RadixPrefixCache(1);
        Request first = request(1024, 1, 2);
        Request twin = request(1024, 1, 2);
        assertEquals(0, cache.match(first));
        assertEquals(0, cache.match(twin), "the twin is admitted before the first is computed");
        assertEquals(2048, cache.requestSlots());
        assertEquals(0, cache.prefilled(first));
        assertEquals(1024, cache.requestSlots(), "the first's slots are the cache's now");
        assertEquals(1024, cache.size());
        assertEquals(0, cache.evict(10_000), "a request in flight holds its blocks");
        assertEquals(1024, cache.prefilled(twin), "the twin's blocks were inserted meanwhile: its slots are freed");
        assertEquals(0, cache.release(first));
        assertEquals(0, cache.evictable(), "still locked by the twin");
        assertEquals(0, cache.release(twin));
        assertEquals(1024, cache.evictable());
    }

    @Test
    void aRequestReleasedBeforeItsPromptIsComputedFreesItsOwnSlots() {
        RadixPrefixCache cache = new RadixPrefixCache(1);
        serve(cache, request(600, 1, 2));
        Request aborted = request(1000, 1, 5);
        assertEquals(512, cache.match(aborted));
        assertEquals(488, cache.release(aborted));
        assertEquals(600, cache.evictable());
    }

    @Test
    void evictionTakesTheLeastRecentlyUsedUnlockedLeavesFirst() {
        RadixPrefixCache cache = new RadixPrefixCache(1);
        serve(cache, request(512, 1));
        serve(cache, request(512, 2));
        serve(cache, request(512, 3));
        Request touch = request(1024, 1, 7);
        cache.match(touch);
        cache.cancel(touch);
        assertEquals(512, cache.evict(1), "one leaf, whole");
        assertEquals(511, cache.match(request(512, 1)), "block 1 was used last, so it stayed");
        assertEquals(0, cache.match(request(512, 2)), "block 2 was the least recently used");
        assertEquals(511, cache.match(request(512, 3)));
        assertEquals(0, cache.evict(512), "every block left is locked by the matches above");
    }

    @Test
    void aParentBecomesEvictableOnceItsChildrenAreGone() {
        RadixPrefixCache cache = new RadixPrefixCache(1);
        serve(cache, request(1024, 1, 2));
        assertEquals(1024, cache.evict(1024));
        assertEquals(0, cache.size());
        assertEquals(0, serve(cache, request(1024, 1, 2)));
    }

    @Test
    void theDisabledCacheNeverHitsAndFreesEveryPromptOnRelease() {
        PrefixCache cache = PrefixCache.of(true, 1);
        Request a = request(1024, 1, 2);
        assertEquals(0, serve(cache, a));
        Request b = request(1024, 1, 2);
        assertEquals(0, cache.match(b));
        assertEquals(0, cache.prefilled(b));
        assertEquals(1024, cache.requestSlots());
        assertEquals(1024, cache.release(b));
        assertEquals(0, cache.size());
        assertEquals(0, cache.requestSlots());
    }
}

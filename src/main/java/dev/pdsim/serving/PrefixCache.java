package dev.pdsim.serving;

/**
 * The prefix cache of one prefill DP rank, SGLang's tree cache: which prompt tokens already have
 * KV in the rank's pool, and which of those may be evicted. The rank keeps the count of free
 * slots; every method that frees slots returns how many. A request goes through
 * {@link #match} (then {@link #cancel} if it is not admitted), {@link #prefilled} when its last
 * chunk is computed, and {@link #release} when its KV has left for the decode side or it is aborted.
 */
sealed interface PrefixCache permits RadixPrefixCache, ChunkPrefixCache {

    /** SGLang's choice (srt/managers/scheduler.py:569-604): the radix cache unless it is disabled. */
    static PrefixCache of(boolean disableRadixCache, int pageSize) {
        return disableRadixCache ? new ChunkPrefixCache() : new RadixPrefixCache(pageSize);
    }

    /** The cached tokens {@code r}'s prompt starts with, now locked against eviction. */
    int match(Request r);

    /** {@code r} was matched but not admitted: its lock is dropped. */
    void cancel(Request r);

    /** Tokens held by the cache that no request uses, so an allocation may evict them. */
    long evictable();

    /** Tokens held by the cache, evictable or not. */
    long size();

    /** Slots admitted requests hold outside the cache: with {@link #size} and the free slots, the whole pool. */
    long requestSlots();

    /** Evicts at least {@code tokens} unused tokens (fewer if it has fewer); returns those freed. */
    long evict(long tokens);

    /** {@code r}'s whole prompt is computed: its blocks enter the cache; returns slots freed as duplicates. */
    long prefilled(Request r);

    /** {@code r} no longer needs its KV; returns the slots freed (its own slots the cache did not take). */
    long release(Request r);

    /**
     * The free slots after taking {@code tokens} of them, evicting cached prefixes when the free ones
     * are too few: as SGLang's {@code alloc_token_slots}, which then asks the cache for the whole
     * amount, not the shortfall (srt/managers/schedule_batch.py:966-969).
     */
    default long freeAfterTaking(long free, long tokens) {
        return (free < tokens ? free + evict(tokens) : free) - tokens;
    }
}

package dev.pdsim.serving;

/**
 * SGLang's ChunkCache, used with {@code --disable-radix-cache} (srt/managers/scheduler.py:569-576):
 * nothing is ever matched, and a request's slots go back to the pool when it is released.
 */
final class ChunkPrefixCache implements PrefixCache {
    private long requestSlots;

    @Override
    public int match(Request r) {
        requestSlots += r.inputLen;
        return 0;
    }

    @Override
    public void cancel(Request r) {
        requestSlots -= r.inputLen;
    }

    @Override
    public long evictable() {
        return 0;
    }

    @Override
    public long size() {
        return 0;
    }

    @Override
    public long requestSlots() {
        return requestSlots;
    }

    @Override
    public long evict(long tokens) {
        return 0;
    }

    @Override
    public long prefilled(Request r) {
        return 0;
    }

    @Override
    public long release(Request r) {
        requestSlots -= r.inputLen;
        return r.inputLen;
    }
}

package dev.pdsim.serving;

import dev.pdsim.workload.Prompt;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * SGLang's RadixCache (srt/mem_cache/radix_cache.py) on one prefill DP rank, at the granularity of
 * a prompt's blocks: a node is one block, keyed by its id and length under its parent, so a path
 * from the root is a prompt prefix. A request matches the longest cached path of its blocks
 * (at most its prompt less one token, srt/managers/schedule_batch.py:673-689, floored to the page
 * size, srt/mem_cache/radix_cache.py:155-157) and locks it; when its prompt is computed its blocks
 * are inserted, a block some other request inserted meanwhile being freed as a duplicate
 * (radix_cache.py:205-208, called at srt/disaggregation/prefill.py:398); when its KV has left for
 * the decode side the path is unlocked (prefill.py:487) and stays cached. Eviction removes
 * unlocked leaves, least recently matched or inserted first (radix_cache.py:261-282).
 *
 * <p>ASSUMPTION: matching stops at the first block that differs, so a prompt that diverges inside
 * a block shares none of that block; SGLang (page size 1) would share its common tokens. Traces
 * name only whole 512-token blocks, so nothing finer can be known from them; it would be settled by
 * traces of token ids. A chunked prompt enters the cache when its last chunk is computed, where
 * SGLang inserts every chunk (prefill.py:546): only a request of the same prefix arriving while a
 * long prompt is still being chunked would hit in SGLang and miss here.
 */
final class RadixPrefixCache implements PrefixCache {
    private final int pageSize;
    private final Node root = new Node(null, null, 0);
    /** Unlocked leaves, least recently used first: the order in which they are evicted. */
    private final TreeSet<Node> evictableLeaves = new TreeSet<>((a, b) -> Long.compare(a.lastAccess, b.lastAccess));
    private final Map<Long, Holding> holdings = new HashMap<>();
    private long evictable;
    private long size;
    /** Stands for {@code time.monotonic()}: every access gets a later, distinct stamp. */
    private long clock;
    /** Ids of the blocks no other prompt has (a prompt's own tokens after its named blocks). */
    private long nextOwnBlockId = -1;

    private record BlockKey(long id, int tokens) {
    }

    private static final class Node {
        final Node parent;
        final BlockKey key;
        final int tokens;
        final Map<BlockKey, Node> children = new LinkedHashMap<>();
        int lockRef;
        long lastAccess;

        Node(Node parent, BlockKey key, int tokens) {
            this.parent = parent;
            this.key = key;
            this.tokens = tokens;
        }
    }

    /**
     * What a request holds: the deepest node of its locked path, the cached tokens it was given,
     * and its own slots for the rest of its prompt, which become the cache's when it is inserted.
     */
    private static final class Holding {
        Node locked;
        final int cached;
        final int ownSlots;
        boolean inserted;

        Holding(Node locked, int cached, int ownSlots) {
            this.locked = locked;
            this.cached = cached;
            this.ownSlots = ownSlots;
        }
    }

    RadixPrefixCache(int pageSize) {
        this.pageSize = pageSize;
    }

    @Override
    public int match(Request r) {
        Prompt p = r.prompt;
        Node node = root;
        int matched = 0;
        for (int i = 0; i < p.blockIds().length; i++) {
            Node child = node.children.get(new BlockKey(p.blockIds()[i], p.blockTokens()[i]));
            if (child == null) {
                break;
            }
            touch(child);
            matched += child.tokens;
            node = child;
        }
        int cached = Math.min(matched, r.inputLen - 1);
        cached -= cached % pageSize;
        lock(node);
        holdings.put(r.id, new Holding(node, cached, r.inputLen - cached));
        return cached;
    }

    @Override
    public void cancel(Request r) {
        unlock(holdings.remove(r.id).locked);
    }

    @Override
    public long evictable() {
        return evictable;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long requestSlots() {
        long slots = 0;
        for (Map.Entry<Long, Holding> e : holdings.entrySet()) {
            slots += e.getValue().inserted ? 0 : e.getValue().ownSlots;
        }
        return slots;
    }

    @Override
    public long evict(long tokens) {
        long freed = 0;
        while (freed < tokens && !evictableLeaves.isEmpty()) {
            Node leaf = evictableLeaves.pollFirst();
            freed += leaf.tokens;
            evictable -= leaf.tokens;
            size -= leaf.tokens;
            Node parent = leaf.parent;
            parent.children.remove(leaf.key);
            if (parent != root && parent.children.isEmpty() && parent.lockRef == 0) {
                evictableLeaves.add(parent);
            }
        }
        return freed;
    }

    @Override
    public long prefilled(Request r) {
        Holding h = holdings.get(r.id);
        Prompt p = r.prompt;
        int named = p.blockIds().length;
        int ownTail = r.inputLen - Arrays.stream(p.blockTokens()).sum();
        Node node = root;
        int start = 0;
        long duplicates = 0;
        for (int i = 0; i < named + (ownTail > 0 ? 1 : 0); i++) {
            BlockKey key = i < named ? new BlockKey(p.blockIds()[i], p.blockTokens()[i])
                    : new BlockKey(nextOwnBlockId--, ownTail);
            Node child = node.children.get(key);
            if (child == null) {
                // Past the match, so the request computed every token of it (its slots become the block's).
                child = add(node, key);
            } else {
                touch(child);
                duplicates += Math.max(0, start + child.tokens - Math.max(start, h.cached));
            }
            start += child.tokens;
            node = child;
        }
        lock(node);
        unlock(h.locked);
        h.locked = node;
        h.inserted = true;
        return duplicates;
    }

    @Override
    public long release(Request r) {
        Holding h = holdings.remove(r.id);
        unlock(h.locked);
        return h.inserted ? 0 : h.ownSlots;
    }

    /** A new unlocked leaf under {@code parent}. */
    private Node add(Node parent, BlockKey key) {
        Node n = new Node(parent, key, key.tokens());
        evictableLeaves.remove(parent);
        parent.children.put(key, n);
        size += n.tokens;
        evictable += n.tokens;
        n.lastAccess = ++clock;
        evictableLeaves.add(n);
        return n;
    }

    private void touch(Node n) {
        boolean leaf = evictableLeaves.remove(n);
        n.lastAccess = ++clock;
        if (leaf) {
            evictableLeaves.add(n);
        }
    }

    /** {@code inc_lock_ref}: the path from {@code node} to the root can no longer be evicted. */
    private void lock(Node node) {
        for (Node n = node; n != root; n = n.parent) {
            if (n.lockRef == 0) {
                evictable -= n.tokens;
                evictableLeaves.remove(n);
            }
            n.lockRef++;
        }
    }

    /** {@code dec_lock_ref}. */
    private void unlock(Node node) {
        for (Node n = Objects.requireNonNull(node); n != root; n = n.parent) {
            n.lockRef--;
            if (n.lockRef == 0) {
                evictable += n.tokens;
                if (n.children.isEmpty()) {
                    evictableLeaves.add(n);
                }
            }
        }
    }
}

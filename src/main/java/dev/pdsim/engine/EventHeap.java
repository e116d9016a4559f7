package dev.pdsim.engine;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Min-heap of events ordered by (time, key), stored as three parallel arrays.
 *
 * <p>Primitive arrays instead of a heap of entry objects: no allocation per event and the sift
 * loops compare times that sit next to each other in memory, instead of chasing one pointer per
 * comparison. The heap is 4-ary: half the depth of a binary heap, and the four children of a node
 * share one or two cache lines of {@code times}. The key array is read only on exact time ties and
 * when an entry moves, so the common comparison touches a single array.
 *
 * <p>Keys must be unique (the simulator's keys embed the insertion sequence number), which makes
 * the order total: the pop order never depends on the heap's internal layout.
 */
final class EventHeap {

    private static final int ARITY_SHIFT = 2;
    private static final int ARITY = 1 << ARITY_SHIFT;
    private static final int INITIAL_CAPACITY = 64;

    private long[] times = new long[INITIAL_CAPACITY];
    private long[] keys = new long[INITIAL_CAPACITY];
    private Event[] events = new Event[INITIAL_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** Time of the earliest entry; only meaningful when {@code size() > 0}. */
    long topTime() {
        return times[0];
    }

    /** Key of the earliest entry; only meaningful when {@code size() > 0}. */
    long topKey() {
        return keys[0];
    }

    /** Event of the earliest entry; only meaningful when {@code size() > 0}. */
    Event topEvent() {
        return events[0];
    }

    void push(long time, long key, Event event) {
        if (size == times.length) {
            grow();
        }
        siftUp(size++, time, key, event);
    }

    /** Removes the earliest entry; the caller has read what it needs through the top accessors. */
    void removeTop() {
        int last = --size;
        long time = times[last];
        long key = keys[last];
        Event event = events[last];
        events[last] = null; // let the fired event be collected
        if (last > 0) {
            siftDown(0, time, key, event, last);
        }
    }

    /** Removes every entry whose key matches, in O(size), and restores the heap property. */
    void removeIf(LongPredicate keyIsDead) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!keyIsDead.test(keys[i])) {
                times[kept] = times[i];
                keys[kept] = keys[i];
                events[kept] = events[i];
                kept++;
            }
        }
        Arrays.fill(events, kept, size, null);
        size = kept;
        // Floyd's heap construction: sift every internal node down, deepest first.
        if (size > 1) {
            for (int k = (size - 2) >>> ARITY_SHIFT; k >= 0; k--) {
                siftDown(k, times[k], keys[k], events[k], size);
            }
        }
    }

    private void siftUp(int k, long time, long key, Event event) {
        long[] ts = times;
        long[] ks = keys;
        Event[] es = events;
        while (k > 0) {
            int parent = (k - 1) >>> ARITY_SHIFT;
            long parentTime = ts[parent];
            if (parentTime < time || (parentTime == time && ks[parent] < key)) {
                break;
            }
            ts[k] = parentTime;
            ks[k] = ks[parent];
            es[k] = es[parent];
            k = parent;
        }
        ts[k] = time;
        ks[k] = key;
        es[k] = event;
    }

    /** Moves the hole at {@code k} down until (time, key) fits, among the first {@code n} slots. */
    private void siftDown(int k, long time, long key, Event event, int n) {
        long[] ts = times;
        long[] ks = keys;
        Event[] es = events;
        for (;;) {
            int first = (k << 2) + 1;
            int best;
            long bestTime;
            if (first + 3 < n) {
                long t0 = ts[first];
                long t1 = ts[first + 1];
                long t2 = ts[first + 2];
                long t3 = ts[first + 3];
                int best01 = t1 < t0 ? first + 1 : first;
                long min01 = t1 < t0 ? t1 : t0;
                int best23 = t3 < t2 ? first + 3 : first + 2;
                long min23 = t3 < t2 ? t3 : t2;
                best = min23 < min01 ? best23 : best01;
                bestTime = min23 < min01 ? min23 : min01;
                if ((t0 == t1) | (t2 == t3) | (min01 == min23)) {
                    best = minChild(first, first + 4);
                }
            } else if (first < n) {
                best = minChild(first, n);
                bestTime = ts[best];
            } else {
                break;
            }
            if (time < bestTime || (time == bestTime && key < ks[best])) {
                break;
            }
            ts[k] = bestTime;
            ks[k] = ks[best];
            es[k] = es[best];
            k = best;
        }
        ts[k] = time;
        ks[k] = key;
        es[k] = event;
    }

    private int minChild(int from, int to) {
        long[] ts = times;
        long[] ks = keys;
        int best = from;
        for (int c = from + 1; c < to; c++) {
            if (ts[c] < ts[best] || (ts[c] == ts[best] && ks[c] < ks[best])) {
                best = c;
            }
        }
        return best;
    }

    private void grow() {
        int capacity = times.length * 2;
        if (capacity < 0) {
            throw new IllegalStateException("event calendar cannot hold more than "
                    + times.length + " pending events");
        }
        times = Arrays.copyOf(times, capacity);
        keys = Arrays.copyOf(keys, capacity);
        events = Arrays.copyOf(events, capacity);
    }
}

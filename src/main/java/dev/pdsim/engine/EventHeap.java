package dev.pdsim.engine;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Min-heap of calendar entries ordered by (time, key), stored as parallel primitive arrays.
 *
 * <p>Why it looks the way it does, all measured with a hold model (pop one, push one):
 * <ul>
 *   <li>Primitive arrays, no entry objects: no allocation per event, and the children a sift
 *       compares sit next to each other in memory instead of behind one pointer each.
 *   <li>Events are parked in {@link EventSlots} and the heap moves only an int slot number, since
 *       every reference store into an array pays a GC write barrier.
 *   <li>4-ary: half the depth of a binary heap. 8-ary measured clearly slower on HotSpot 17:
 *       its child scan does not get the tight code the four-child loop gets.
 *   <li>The child scan compares times only; keys are looked at only when two children have the
 *       same time. Folding the key tie-break into the scan's condition halved throughput.
 *   <li>Popping leaves the root vacant ({@link #vacateTop}) instead of refilling it at once: an
 *       event usually schedules a follow-up, which then takes the root's place with a single sift
 *       down instead of a sift down for the last leaf plus a sift up for the newcomer.
 * </ul>
 *
 * <p>Keys must be unique (the simulator's embed the insertion sequence number), which makes the
 * order total: the pop order never depends on the heap's internal layout.
 */
final class EventHeap {

    private static final int INITIAL_CAPACITY = 64;

    private long[] times = new long[INITIAL_CAPACITY];
    private long[] keys = new long[INITIAL_CAPACITY];
    private int[] slots = new int[INITIAL_CAPACITY];
    /** Entries in the arrays, including a vacant root. */
    private int size;
    /** The root's entry is removed but the root not yet refilled; see {@link #vacateTop}. */
    private boolean topVacant;
    private final EventSlots events = new EventSlots();

    /** @return the number of entries */
    int size() {
        return topVacant ? size - 1 : size;
    }

    /** Time of the earliest entry; requires {@code size() > 0} and no vacant root. */
    long topTime() {
        return times[0];
    }

    /** Key of the earliest entry; requires {@code size() > 0} and no vacant root. */
    long topKey() {
        return keys[0];
    }

    /** Event of the earliest entry; requires {@code size() > 0} and no vacant root. */
    Event topEvent() {
        return events.get(slots[0]);
    }

    void push(long time, long key, Event event) {
        int slot = events.park(event);
        if (topVacant) {
            topVacant = false;
            siftDown(0, time, key, slot, size);
            return;
        }
        if (size == times.length) {
            grow();
        }
        siftUp(size++, time, key, slot);
    }

    /** Removes the earliest entry; requires {@code size() > 0} and no vacant root. */
    void removeTop() {
        events.release(slots[0]);
        fillRootFromLast();
    }

    /**
     * Removes the earliest entry but leaves its place empty until the next {@link #push} takes it
     * or {@link #settle} refills it. Requires {@code size() > 0} and no vacant root.
     */
    void vacateTop() {
        events.release(slots[0]);
        topVacant = true;
    }

    /** Refills a vacant root; the top accessors may be used again afterwards. */
    void settle() {
        if (topVacant) {
            topVacant = false;
            fillRootFromLast();
        }
    }

    /** Removes every entry whose key matches, in O(size), and restores the heap order. */
    void removeIf(LongPredicate keyIsDead) {
        settle();
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (keyIsDead.test(keys[i])) {
                events.release(slots[i]);
            } else {
                times[kept] = times[i];
                keys[kept] = keys[i];
                slots[kept] = slots[i];
                kept++;
            }
        }
        size = kept;
        // Floyd's heap construction: sift every internal node down, deepest first.
        for (int k = (size - 2) >> 2; k >= 0; k--) {
            siftDown(k, times[k], keys[k], slots[k], size);
        }
    }

    private void fillRootFromLast() {
        int last = --size;
        if (last > 0) {
            siftDown(0, times[last], keys[last], slots[last], last);
        }
    }

    private void siftUp(int k, long time, long key, int slot) {
        long[] ts = times;
        long[] ks = keys;
        int[] ss = slots;
        while (k > 0) {
            int parent = (k - 1) >>> 2;
            long parentTime = ts[parent];
            if (parentTime < time || (parentTime == time && ks[parent] < key)) {
                break;
            }
            ts[k] = parentTime;
            ks[k] = ks[parent];
            ss[k] = ss[parent];
            k = parent;
        }
        ts[k] = time;
        ks[k] = key;
        ss[k] = slot;
    }

    /** Moves the hole at {@code k} down until (time, key) fits, among the first {@code n} slots. */
    private void siftDown(int k, long time, long key, int slot, int n) {
        long[] ts = times;
        long[] ks = keys;
        int[] ss = slots;
        for (;;) {
            int first = (k << 2) + 1;
            if (first >= n) {
                break;
            }
            int end = Math.min(first + 4, n);
            int best = first;
            long bestTime = ts[first];
            for (int c = first + 1; c < end; c++) {
                long t = ts[c];
                if (t < bestTime) {
                    best = c;
                    bestTime = t;
                }
            }
            int ties = 0;
            for (int c = first; c < end; c++) {
                ties += ts[c] == bestTime ? 1 : 0;
            }
            if (ties > 1) {
                best = smallestKeyAt(first, end, bestTime);
            }
            if (time < bestTime || (time == bestTime && key < ks[best])) {
                break;
            }
            ts[k] = bestTime;
            ks[k] = ks[best];
            ss[k] = ss[best];
            k = best;
        }
        ts[k] = time;
        ks[k] = key;
        ss[k] = slot;
    }

    /** Among positions {@code from..to-1}, the one with the given time and the smallest key. */
    private int smallestKeyAt(int from, int to, long time) {
        int best = -1;
        for (int c = from; c < to; c++) {
            if (times[c] == time && (best < 0 || keys[c] < keys[best])) {
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
        slots = Arrays.copyOf(slots, capacity);
    }
}

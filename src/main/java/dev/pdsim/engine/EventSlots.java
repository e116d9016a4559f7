package dev.pdsim.engine;

import java.util.Arrays;

/**
 * Parking places for the events of pending calendar entries, so that the heap itself holds only
 * primitives. Moving a reference within an array costs a garbage-collector write barrier on every
 * store, which made sifting entries with their events inline about twice as slow; an event is now
 * written once when scheduled and read once when fired.
 *
 * <p>Released slots are reused last-in first-out: the slot a firing event just gave up is the one
 * its follow-up event gets, and it is still in cache.
 */
final class EventSlots {

    private Event[] events = new Event[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;

    /** @return the slot now holding {@code event} */
    int park(Event event) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (used == events.length) {
                events = Arrays.copyOf(events, used * 2);
                free = Arrays.copyOf(free, used * 2);
            }
            slot = used++;
        }
        events[slot] = event;
        return slot;
    }

    Event get(int slot) {
        return events[slot];
    }

    /** Empties a slot for reuse; the event in it can then be garbage-collected. */
    void release(int slot) {
        events[slot] = null;
        free[freeCount++] = slot;
    }
}

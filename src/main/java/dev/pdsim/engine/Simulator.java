package dev.pdsim.engine;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Simulated clock plus event calendar. Single-threaded and deterministic.
 *
 * <p>Time is a {@code long} count of nanoseconds, never a double: integer time cannot drift, and
 * two events computed to happen at the same instant compare equal. The clock starts at 0.
 *
 * <p>Events fire in a total order: by time, then by phase (smaller first), then by insertion
 * order. Phases let a model say "at equal times, all completions before any new admission" without
 * inventing fake time offsets. Because the order is total, a run is a pure function of the events
 * scheduled; it never depends on the calendar's internal layout.
 *
 * <p>An event id is the event's insertion sequence number (0, 1, 2, ...), so ids also identify
 * events in traces and are the same in every run of the same model.
 */
public final class Simulator {

    /** Phases are {@code 0..MAX_PHASE}. */
    public static final int MAX_PHASE = 255;

    /**
     * The heap key packs phase above the sequence number, so one comparison resolves both
     * tie-breaks. 55 sequence bits (3.6e16 events) keep the 8 phase bits clear of the sign bit.
     */
    private static final int SEQ_BITS = 55;
    private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;

    private final EventHeap heap = new EventHeap();
    private final RetiredIds retired = new RetiredIds();
    /** Cancelled events still sitting in the heap; they are dropped when they reach the top. */
    private int cancelledInHeap;
    private long now;
    private long nextSeq;
    private long eventsFired;
    private boolean stopRequested;
    private boolean running;
    private Runnable afterEachEvent;

    /** Creates an empty simulator with its clock at 0. */
    public Simulator() {
    }

    /** @return the current simulated time, in ns */
    public long now() {
        return now;
    }

    /**
     * Schedules an event at an absolute time.
     *
     * @param timeNs when the event fires; may equal {@link #now()}, in which case it fires in the
     *     current run after every pending event that sorts before it
     * @param phase tie-break among events at the same time, {@code 0..MAX_PHASE}, smaller first
     * @param event what to fire
     * @return the event's id, usable with {@link #cancel(long)}
     * @throws PastEventException if {@code timeNs < now()}
     * @throws IllegalArgumentException if the phase is out of range
     */
    public long schedule(long timeNs, int phase, Event event) {
        if (timeNs < now) {
            throw new PastEventException(now, timeNs);
        }
        if ((phase & ~MAX_PHASE) != 0) {
            throw new IllegalArgumentException("phase must be in 0.." + MAX_PHASE + ", got " + phase);
        }
        Objects.requireNonNull(event, "event");
        long id = nextSeq++;
        retired.issue(id);
        heap.push(timeNs, ((long) phase << SEQ_BITS) | id, event);
        return id;
    }

    /**
     * Schedules an event {@code delayNs} after {@link #now()}.
     *
     * @return the event's id
     * @throws PastEventException if {@code delayNs < 0}
     * @throws ArithmeticException if the resulting time overflows a long
     * @see #schedule(long, int, Event)
     */
    public long scheduleAfter(long delayNs, int phase, Event event) {
        if (delayNs < 0) {
            throw new PastEventException(now, now + delayNs);
        }
        return schedule(Math.addExact(now, delayNs), phase, event);
    }

    /**
     * Cancels a pending event in amortised O(1): the event stays in the calendar, marked, and is
     * discarded unfired when it reaches the front, or when cancelled entries make up half the
     * calendar and it is purged in one linear pass.
     *
     * @return true if the event was pending and now never fires; false if it already fired, was
     *     already cancelled, is the event currently firing, or the id was never issued
     */
    public boolean cancel(long eventId) {
        if (eventId < 0 || eventId >= nextSeq || !retired.retire(eventId)) {
            return false;
        }
        cancelledInHeap++;
        if (cancelledInHeap > 1024 && cancelledInHeap > heap.size() / 2) {
            // Bound the garbage: events cancelled long before their time would otherwise stay.
            heap.removeIf(key -> retired.isRetired(key & SEQ_MASK));
            cancelledInHeap = 0;
        }
        return true;
    }

    /** Fires events until the calendar is empty or {@link #stop()} is called. */
    public void run() {
        enterRun();
        try {
            while (!stopRequested && step()) {
                // step() did the work
            }
        } finally {
            running = false;
        }
    }

    /**
     * Fires every event with time {@code <= timeNs}, then advances the clock to
     * {@code max(now(), timeNs)}. Later events stay pending. If {@link #stop()} is called first,
     * returns right away and leaves the clock at the stopping event's time.
     */
    public void runUntil(long timeNs) {
        enterRun();
        try {
            while (!stopRequested && hasLiveTop() && heap.topTime() <= timeNs) {
                step();
            }
            if (!stopRequested) {
                now = Math.max(now, timeNs);
            }
        } finally {
            running = false;
        }
    }

    /**
     * Fires events until {@code stopCondition} returns true, the calendar is empty, or
     * {@link #stop()} is called. The condition is checked before the first event and after each
     * event, so a condition that already holds fires nothing.
     */
    public void runUntil(BooleanSupplier stopCondition) {
        Objects.requireNonNull(stopCondition, "stopCondition");
        enterRun();
        try {
            while (!stopRequested && !stopCondition.getAsBoolean() && step()) {
                // step() did the work
            }
        } finally {
            running = false;
        }
    }

    /**
     * Makes the current {@code run}/{@code runUntil} call return once the current event has
     * finished. The request is cleared when the next run call starts.
     */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Fires exactly one event: the earliest pending one. This is the dispatch loop's body, exposed
     * for stepping debuggers and benchmarks; it ignores {@link #stop()}. Like the run methods, it
     * must not be called from inside an event.
     *
     * @return false, without doing anything, if no event is pending
     */
    public boolean step() {
        if (!hasLiveTop()) {
            return false;
        }
        long id = heap.topKey() & SEQ_MASK;
        Event event = heap.topEvent();
        now = heap.topTime();
        heap.vacateTop();
        // Retired before firing, so the event cannot cancel itself.
        retired.retire(id);
        eventsFired++;
        event.fire(this);
        if (afterEachEvent != null) {
            afterEachEvent.run();
        }
        return true;
    }

    /** @return the number of events fired so far (cancelled events are not counted) */
    public long eventsFired() {
        return eventsFired;
    }

    /** @return the number of pending, not cancelled, events */
    public int pending() {
        return heap.size() - cancelledInHeap;
    }

    /**
     * Installs a hook run after every fired event, for example an invariant check; null removes
     * it. Exceptions thrown by the hook propagate out of the run call.
     */
    public void afterEachEvent(Runnable hook) {
        afterEachEvent = hook;
    }

    /** Discards cancelled events at the front. @return whether a pending event is at the front */
    private boolean hasLiveTop() {
        heap.settle();
        while (cancelledInHeap > 0 && heap.size() > 0
                && retired.isRetired(heap.topKey() & SEQ_MASK)) {
            heap.removeTop();
            cancelledInHeap--;
        }
        return heap.size() > 0;
    }

    private void enterRun() {
        if (running) {
            throw new IllegalStateException("run methods cannot be called from inside an event");
        }
        running = true;
        stopRequested = false;
    }
}

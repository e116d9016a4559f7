package dev.pdsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorRunControlTest {

    private final Simulator sim = new Simulator();
    private final List<Long> firedAt = new ArrayList<>();
    private final Event record = s -> firedAt.add(s.now());

    private void scheduleAt(long... times) {
        for (long t : times) {
            sim.schedule(t, 0, record);
        }
    }

    @Test
    void runUntilTimeFiresUpToAndIncludingTheTimeThenSetsTheClock() {
        scheduleAt(10, 20, 30);

        sim.runUntil(20);
        assertEquals(List.of(10L, 20L), firedAt);
        assertEquals(20, sim.now());
        assertEquals(1, sim.pending());

        sim.runUntil(25);
        assertEquals(25, sim.now());
        assertEquals(2, firedAt.size());

        sim.runUntil(5);
        assertEquals(25, sim.now(), "the clock never goes back");

        sim.run();
        assertEquals(List.of(10L, 20L, 30L), firedAt);
    }

    @Test
    void runUntilTimeSkipsCancelledEventsBeyondTheLimit() {
        scheduleAt(10);
        long late = sim.schedule(50, 0, record);
        sim.cancel(late);

        sim.runUntil(40);

        assertEquals(List.of(10L), firedAt);
        assertEquals(40, sim.now());
        assertEquals(0, sim.pending());
    }

    @Test
    void runUntilPredicateChecksAfterEachEvent() {
        for (long t = 1; t <= 100; t++) {
            scheduleAt(t);
        }

        sim.runUntil(() -> firedAt.size() >= 10);

        assertEquals(10, firedAt.size());
        assertEquals(10, sim.now());
        assertEquals(90, sim.pending());
    }

    @Test
    void runUntilPredicateThatAlreadyHoldsFiresNothing() {
        scheduleAt(1, 2);
        sim.runUntil(() -> true);
        assertEquals(0, sim.eventsFired());
    }

    @Test
    void runUntilPredicateEndsWhenTheCalendarEmpties() {
        scheduleAt(1, 2);
        sim.runUntil(() -> false);
        assertEquals(2, sim.eventsFired());
    }

    @Test
    void stopReturnsAfterTheCurrentEventAndRunResumes() {
        scheduleAt(1, 2);
        sim.schedule(3, 0, s -> {
            firedAt.add(s.now());
            s.stop();
        });
        scheduleAt(3, 4, 5);

        sim.run();
        assertEquals(List.of(1L, 2L, 3L), firedAt);
        assertEquals(3, sim.pending());

        sim.run();
        assertEquals(List.of(1L, 2L, 3L, 3L, 4L, 5L), firedAt);
    }

    @Test
    void stopDuringRunUntilTimeLeavesTheClockAtTheStoppingEvent() {
        sim.schedule(3, 0, Simulator::stop);
        scheduleAt(4);

        sim.runUntil(100);

        assertEquals(3, sim.now());
        assertEquals(1, sim.pending());
    }

    @Test
    void stepFiresExactlyOneEvent() {
        scheduleAt(1, 2);
        assertEquals(true, sim.step());
        assertEquals(List.of(1L), firedAt);
        assertEquals(true, sim.step());
        assertEquals(false, sim.step());
        assertEquals(2, sim.eventsFired());
    }

    @Test
    void afterEachEventHookRunsOncePerFiredEventAndCanBeCleared() {
        int[] calls = new int[1];
        sim.afterEachEvent(() -> calls[0]++);
        scheduleAt(1, 2, 3);
        sim.cancel(sim.schedule(4, 0, record));

        sim.run();
        assertEquals(3, calls[0]);

        sim.afterEachEvent(null);
        scheduleAt(5);
        sim.run();
        assertEquals(3, calls[0]);
    }

    @Test
    void hookExceptionsPropagateAndTheSimulatorStaysUsable() {
        sim.afterEachEvent(() -> {
            throw new IllegalStateException("invariant broken");
        });
        scheduleAt(1, 2);

        assertThrows(IllegalStateException.class, sim::run);

        sim.afterEachEvent(null);
        sim.run();
        assertEquals(List.of(1L, 2L), firedAt);
    }
}

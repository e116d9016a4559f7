package dev.pdsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorCancelTest {

    private final Simulator sim = new Simulator();
    private final List<Long> fired = new ArrayList<>();

    private long scheduleRecorded(long time) {
        long[] id = new long[1];
        id[0] = sim.schedule(time, 0, s -> fired.add(id[0]));
        return id[0];
    }

    @Test
    void cancelledEventNeverFiresAndPendingCountsRight() {
        long a = scheduleRecorded(10);
        long b = scheduleRecorded(20);
        long c = scheduleRecorded(30);
        assertEquals(3, sim.pending());

        assertTrue(sim.cancel(b));
        assertEquals(2, sim.pending());

        sim.run();
        assertEquals(List.of(a, c), fired);
        assertEquals(0, sim.pending());
        assertEquals(2, sim.eventsFired());
    }

    @Test
    void cancellingTheEarliestEventWorks() {
        long a = scheduleRecorded(10);
        long b = scheduleRecorded(20);

        assertTrue(sim.cancel(a));
        sim.run();

        assertEquals(List.of(b), fired);
        assertEquals(20, sim.now());
    }

    @Test
    void cancelTwiceReturnsFalse() {
        long a = scheduleRecorded(10);
        assertTrue(sim.cancel(a));
        assertFalse(sim.cancel(a));
        assertEquals(0, sim.pending());
    }

    @Test
    void cancelAfterFiringReturnsFalse() {
        long a = scheduleRecorded(10);
        sim.run();
        assertFalse(sim.cancel(a));
        assertEquals(0, sim.pending());
    }

    @Test
    void cancelUnknownIdReturnsFalse() {
        scheduleRecorded(10);
        assertFalse(sim.cancel(-1));
        assertFalse(sim.cancel(1));
        assertFalse(sim.cancel(Long.MAX_VALUE));
        assertEquals(1, sim.pending());
    }

    @Test
    void anEventCannotCancelItselfButCanCancelALaterOneAtTheSameTime() {
        long[] ids = new long[2];
        List<Boolean> results = new ArrayList<>();
        ids[0] = sim.schedule(5, 0, s -> {
            results.add(s.cancel(ids[0]));
            results.add(s.cancel(ids[1]));
        });
        ids[1] = sim.schedule(5, 0, s -> fired.add(ids[1]));

        sim.run();

        assertEquals(List.of(false, true), results);
        assertEquals(List.of(), fired);
        assertEquals(1, sim.eventsFired());
    }

    @Test
    void massCancellationKeepsTheSurvivorsInOrder() {
        // Enough cancellations to make the calendar purge its cancelled entries.
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            long id = scheduleRecorded(20_000 - i);
            if (i % 10 != 0) {
                assertTrue(sim.cancel(id));
            } else {
                expected.add(0, id);
            }
        }
        assertEquals(2_000, sim.pending());

        sim.run();

        assertEquals(expected, fired);
        assertEquals(0, sim.pending());
    }

    @Test
    void massCancellationFromInsideAnEventKeepsTheSurvivorsInOrder() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            ids.add(scheduleRecorded(10 + i % 7));
        }
        long[] spawned = new long[1];
        sim.schedule(1, 0, s -> {
            // Enough to purge the calendar while the firing event's place is still open.
            for (int i = 0; i < ids.size(); i++) {
                if (i % 6 != 0) {
                    s.cancel(ids.get(i));
                }
            }
            spawned[0] = scheduleRecorded(1);
        });

        sim.run();

        List<Long> expected = new ArrayList<>(List.of(spawned[0]));
        for (int time = 10; time < 17; time++) {
            for (int i = 0; i < ids.size(); i += 6) {
                if (10 + i % 7 == time) {
                    expected.add(ids.get(i));
                }
            }
        }
        assertEquals(expected, fired);
    }
}

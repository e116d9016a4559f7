package dev.pdsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SimulatorSchedulingErrorsTest {

    private final Simulator sim = new Simulator();
    private final Event noop = s -> { };

    @Test
    void schedulingBeforeNowThrowsNamingBothTimes() {
        sim.runUntil(1_000);

        PastEventException e = assertThrows(PastEventException.class, () -> sim.schedule(999, 0, noop));

        assertEquals(1_000, e.nowNs());
        assertEquals(999, e.requestedNs());
        assertTrue(e.getMessage().contains("1000") && e.getMessage().contains("999"), e.getMessage());
        assertEquals(0, sim.pending());
    }

    @Test
    void schedulingAtNowIsAllowed() {
        sim.runUntil(1_000);
        sim.schedule(1_000, 0, noop);
        assertEquals(1, sim.pending());
    }

    @Test
    void negativeDelayThrows() {
        sim.runUntil(50);

        PastEventException e = assertThrows(PastEventException.class, () -> sim.scheduleAfter(-1, 0, noop));

        assertEquals(50, e.nowNs());
        assertEquals(49, e.requestedNs());
    }

    @Test
    void schedulingInThePastFromInsideAnEventThrows() {
        sim.schedule(10, 0, s -> s.schedule(9, 0, noop));
        assertThrows(PastEventException.class, sim::run);
    }

    @Test
    void phaseOutOfRangeThrows() {
        assertThrows(IllegalArgumentException.class, () -> sim.schedule(0, -1, noop));
        assertThrows(IllegalArgumentException.class, () -> sim.schedule(0, 256, noop));
        assertThrows(IllegalArgumentException.class, () -> sim.scheduleAfter(0, Integer.MIN_VALUE, noop));
        assertEquals(0, sim.pending());
    }

    @Test
    void delayOverflowThrowsInsteadOfWrappingIntoThePast() {
        sim.runUntil(1);
        assertThrows(ArithmeticException.class, () -> sim.scheduleAfter(Long.MAX_VALUE, 0, noop));
    }

    @Test
    void nullEventIsRejected() {
        assertThrows(NullPointerException.class, () -> sim.schedule(0, 0, null));
    }

    @Test
    void runningFromInsideAnEventThrows() {
        sim.schedule(1, 0, Simulator::run);
        assertThrows(IllegalStateException.class, sim::run);
    }
}

package dev.pdsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorOrderingTest {

    private final Simulator sim = new Simulator();
    private final List<String> fired = new ArrayList<>();

    /** An event that records its label and the clock it saw. */
    private Event record(String label) {
        return s -> fired.add(label + "@" + s.now());
    }

    @Test
    void firesInTimeOrder() {
        sim.schedule(30, 0, record("c"));
        sim.schedule(10, 0, record("a"));
        sim.schedule(20, 0, record("b"));

        sim.run();

        assertEquals(List.of("a@10", "b@20", "c@30"), fired);
        assertEquals(30, sim.now());
    }

    @Test
    void sameTimeResolvesBySmallerPhaseFirst() {
        sim.schedule(5, 3, record("p3"));
        sim.schedule(5, 255, record("p255"));
        sim.schedule(5, 0, record("p0"));
        sim.schedule(5, 128, record("p128"));
        sim.schedule(5, 127, record("p127"));
        sim.schedule(4, 200, record("early"));

        sim.run();

        assertEquals(List.of("early@4", "p0@5", "p3@5", "p127@5", "p128@5", "p255@5"), fired);
    }

    @Test
    void sameTimeAndPhaseIsFirstInFirstOut() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sim.schedule(7, 1, record("e" + i));
            expected.add("e" + i + "@7");
        }

        sim.run();

        assertEquals(expected, fired);
    }

    @Test
    void eventsScheduledAtNowFromInsideAnEventFireInTheSameRunInOrder() {
        sim.schedule(10, 1, s -> {
            fired.add("a@" + s.now());
            s.schedule(s.now(), 0, record("b"));
            s.scheduleAfter(0, 1, record("c"));
            s.schedule(s.now(), 2, record("d"));
        });
        sim.schedule(10, 1, record("e"));
        sim.schedule(10, 2, record("f"));
        sim.schedule(11, 0, record("g"));

        sim.run();

        // b jumps ahead of e by phase; c queues behind e (same phase, inserted later); d after f.
        assertEquals(List.of("a@10", "b@10", "e@10", "c@10", "f@10", "d@10", "g@11"), fired);
    }

    @Test
    void idsAreInsertionSequenceNumbers() {
        assertEquals(0, sim.schedule(100, 0, record("x")));
        assertEquals(1, sim.scheduleAfter(5, 9, record("y")));
        assertEquals(2, sim.schedule(0, 0, record("z")));
    }
}

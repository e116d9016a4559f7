package dev.pdsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    /** What identifies a firing: equal traces mean the same events fired at the same instants. */
    private record Fired(long time, int phase, long id) { }

    @Test
    void twoRunsOfASeededWorkloadFireTheSameEventSequence() {
        List<Fired> first = runWorkload(7);
        List<Fired> second = runWorkload(7);

        assertTrue(first.size() > 10_000, "workload too small: " + first.size());
        assertEquals(first, second);
    }

    @Test
    void anotherSeedGivesAnotherSequence() {
        assertNotEquals(runWorkload(7), runWorkload(8));
    }

    /**
     * Sources spawn jobs with random delays and phases (many exact ties), jobs spawn follow-ups,
     * and a canceller cancels random recent ids.
     */
    private static List<Fired> runWorkload(long seed) {
        RandomStreams streams = new RandomStreams(seed);
        RandomGenerator delays = streams.stream("delays");
        RandomGenerator choices = streams.stream("choices");
        Simulator sim = new Simulator();
        List<Fired> trace = new ArrayList<>();
        List<Long> ids = new ArrayList<>();

        class Job implements Event {
            private final int phase;
            private long id;

            Job(int phase) {
                this.phase = phase;
            }

            @Override
            public void fire(Simulator s) {
                trace.add(new Fired(s.now(), phase, id));
                int children = choices.nextInt(4);
                for (int i = 0; i < children && s.eventsFired() < 30_000; i++) {
                    Job child = new Job(choices.nextInt(4));
                    child.id = s.scheduleAfter(delays.nextInt(5) * 100L, child.phase, child);
                    ids.add(child.id);
                }
                if (choices.nextInt(5) == 0 && !ids.isEmpty()) {
                    s.cancel(ids.get(ids.size() - 1 - choices.nextInt(Math.min(ids.size(), 50))));
                }
            }
        }
        for (int i = 0; i < 100; i++) {
            Job job = new Job(choices.nextInt(4));
            job.id = sim.schedule(delays.nextInt(10) * 100L, job.phase, job);
            ids.add(job.id);
        }
        sim.run();
        return trace;
    }
}

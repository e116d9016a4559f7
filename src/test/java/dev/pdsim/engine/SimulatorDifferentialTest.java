package dev.pdsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random schedule/cancel/fire sequences checked step by step against a TreeSet ordered by
 * (time, phase, id), the specification of the firing order.
 */
class SimulatorDifferentialTest {

    private static final int OPERATIONS = 300_000;
    private static final int EPOCH = 25_000;
    /** Cumulative percentages of schedule, cancel, step; the rest is runUntil(time). */
    private static final int[][] MIXES = {{70, 70, 100}, {10, 80, 100}, {30, 40, 98}};

    /** A scheduled event as the reference sees it. */
    private record Ref(long time, int phase, long id) { }

    private static final Comparator<Ref> ORDER = Comparator.comparingLong(Ref::time)
            .thenComparingInt(Ref::phase).thenComparingLong(Ref::id);

    private final Simulator sim = new Simulator();
    private final TreeSet<Ref> reference = new TreeSet<>(ORDER);
    private final Map<Long, Ref> pendingById = new HashMap<>();
    private final List<Long> cancelCandidates = new ArrayList<>();
    private final List<Long> cancelledIds = new ArrayList<>();
    private long issuedCount;
    private Random rnd;
    private long firedCount;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20240601})
    void firesInTheSameOrderAsTheReference(long seed) {
        rnd = new Random(seed);
        for (int op = 0; op < OPERATIONS; op++) {
            // Epochs alternate between growing, cancel-heavy and draining the calendar, so its
            // size and its share of cancelled entries vary widely.
            int[] mix = MIXES[(op / EPOCH) % MIXES.length];
            int r = rnd.nextInt(100);
            if (r < mix[0]) {
                scheduleRandom();
            } else if (r < mix[1]) {
                cancelRandom();
            } else if (r < mix[2]) {
                stepBoth();
            } else {
                runUntilBoth(sim.now() + rnd.nextInt(20));
            }
            assertEquals(reference.size(), sim.pending(), "pending after op " + op);
        }
        sim.run();
        assertTrue(reference.isEmpty());
        assertEquals(firedCount, sim.eventsFired());
        assertTrue(firedCount > OPERATIONS / 4, "the workload should fire many events: " + firedCount);
    }

    private void scheduleRandom() {
        long time = sim.now() + (rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(50));
        int phase = rnd.nextInt(10) == 0 ? Simulator.MAX_PHASE : rnd.nextInt(4);
        boolean spawnsChild = rnd.nextInt(4) == 0;
        long[] self = new long[1];
        self[0] = sim.schedule(time, phase, s -> {
            Ref expected = reference.pollFirst();
            assertEquals(expected, new Ref(s.now(), phase, self[0]));
            pendingById.remove(self[0]);
            firedCount++;
            if (spawnsChild) {
                scheduleRandom();
            }
        });
        Ref ref = new Ref(time, phase, self[0]);
        reference.add(ref);
        pendingById.put(ref.id(), ref);
        cancelCandidates.add(ref.id());
        issuedCount++;
    }

    private void cancelRandom() {
        long id;
        int kind = rnd.nextInt(20);
        if (kind == 0 || cancelCandidates.isEmpty()) {
            id = issuedCount + rnd.nextInt(3) - 1; // around the first unissued id
        } else if (kind == 1 && !cancelledIds.isEmpty()) {
            id = cancelledIds.get(rnd.nextInt(cancelledIds.size()));
        } else {
            // Candidates are every scheduled id not drawn yet, so a draw may hit a fired event.
            int i = rnd.nextInt(cancelCandidates.size());
            id = cancelCandidates.get(i);
            cancelCandidates.set(i, cancelCandidates.get(cancelCandidates.size() - 1));
            cancelCandidates.remove(cancelCandidates.size() - 1);
        }
        Ref ref = pendingById.remove(id);
        if (ref != null) {
            reference.remove(ref);
            cancelledIds.add(id);
        }
        assertEquals(ref != null, sim.cancel(id), "cancel(" + id + ")");
    }

    private void stepBoth() {
        boolean hadPending = !reference.isEmpty();
        assertEquals(hadPending, sim.step());
    }

    private void runUntilBoth(long limit) {
        sim.runUntil(limit);
        assertTrue(reference.isEmpty() || reference.first().time() > limit);
        assertEquals(limit, sim.now());
    }
}

package dev.pdsim.engine;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Classic hold model: the calendar holds N pending events; each operation pops the earliest and
 * schedules a replacement at now + a random increment, so the calendar stays at N events. One
 * operation is one pop plus one schedule. {@code priorityQueue} runs the same model, with the same
 * increments, on a bare {@link PriorityQueue}: the floor the simulator has to beat.
 *
 * <p>Run: {@code java -jar target/pdsim-bench.jar HoldModel}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HoldModelBenchmark {

    private static final int HOLDS_PER_INVOCATION = 1_000;

    /** Pre-drawn increments, cycled, so that drawing random numbers is not measured. */
    @State(Scope.Thread)
    public abstract static class Hold {
        /** A power of two, so the cursor wraps with a mask. */
        private static final int INCREMENTS = 1 << 16;
        private static final double MEAN_INCREMENT_NS = 1e6;

        @Param({"1000", "65536", "1048576"})
        public int pending;

        private final long[] increments = new long[INCREMENTS];
        private int cursor;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom rnd = new SplittableRandom(42);
            for (int i = 0; i < INCREMENTS; i++) {
                increments[i] = Math.round(-Math.log(1 - rnd.nextDouble()) * MEAN_INCREMENT_NS);
            }
            for (int i = 0; i < pending; i++) {
                add(nextIncrement());
            }
        }

        /** Pre-fills the calendar with one event at {@code time}. */
        abstract void add(long time);

        long nextIncrement() {
            return increments[cursor++ & (INCREMENTS - 1)];
        }
    }

    /** The simulator's calendar, filled with events that each re-schedule themselves. */
    public static class SimulatorHold extends Hold {
        final Simulator sim = new Simulator();

        /** Each pending event is its own object, as in a real model, so firing touches N objects. */
        private final class Reschedule implements Event {
            @Override
            public void fire(Simulator s) {
                s.scheduleAfter(nextIncrement(), 0, this);
            }
        }

        @Override
        void add(long time) {
            sim.schedule(time, 0, new Reschedule());
        }
    }

    /** What a PriorityQueue-based calendar would store per event, minus the payload. */
    private record Entry(long time, long seq) { }

    /** A bare PriorityQueue ordered like the simulator's calendar: by time, then insertion. */
    public static class QueueHold extends Hold {
        final PriorityQueue<Entry> queue = new PriorityQueue<>(
                Comparator.comparingLong(Entry::time).thenComparingLong(Entry::seq));
        long now;
        long seq;

        @Override
        void add(long time) {
            queue.add(new Entry(time, seq++));
        }
    }

    @Benchmark
    @OperationsPerInvocation(HOLDS_PER_INVOCATION)
    public long simulator(SimulatorHold hold) {
        Simulator sim = hold.sim;
        for (int i = 0; i < HOLDS_PER_INVOCATION; i++) {
            sim.step();
        }
        return sim.now();
    }

    @Benchmark
    @OperationsPerInvocation(HOLDS_PER_INVOCATION)
    public long priorityQueue(QueueHold hold) {
        PriorityQueue<Entry> queue = hold.queue;
        for (int i = 0; i < HOLDS_PER_INVOCATION; i++) {
            hold.now = queue.poll().time();
            queue.add(new Entry(hold.now + hold.nextIncrement(), hold.seq++));
        }
        return hold.now;
    }
}

package dev.pdsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.junit.jupiter.api.Test;

/**
 * End-to-end check of the clock, the calendar and the random streams together: an M/M/1 queue
 * simulated for a million customers must reproduce the analytic mean wait in queue.
 */
class MM1QueueTest {

    private static final double LAMBDA = 0.8;
    private static final double MU = 1.0;
    /** One mean service time, in ns; large enough that rounding draws to whole ns is negligible. */
    private static final double TIME_UNIT_NS = 1e6;
    private static final int CUSTOMERS = 1_000_000;
    /** Customers discarded while the initially empty queue warms up (many relaxation times). */
    private static final int WARMUP = 10_000;
    private static final int BATCHES = 50;
    private static final double CONFIDENCE = 0.99;

    @Test
    void meanWaitInQueueMatchesTheAnalyticValue() {
        double[] waits = new MM1(new RandomStreams(42)).run();
        assertEquals(CUSTOMERS, waits.length);

        double expected = LAMBDA / (MU * (MU - LAMBDA)); // 4.0 service times
        int batchSize = (CUSTOMERS - WARMUP) / BATCHES;
        SummaryStatistics batchMeans = new SummaryStatistics();
        for (int b = 0; b < BATCHES; b++) {
            double sum = 0;
            for (int i = WARMUP + b * batchSize, end = i + batchSize; i < end; i++) {
                sum += waits[i];
            }
            batchMeans.addValue(sum / batchSize);
        }
        double t = new TDistribution(BATCHES - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        double halfWidth = t * batchMeans.getStandardDeviation() / Math.sqrt(BATCHES);
        double mean = batchMeans.getMean();

        String interval = String.format("Wq = %.4f +- %.4f service times (99%%), analytic %.1f",
                mean, halfWidth, expected);
        assertTrue(Math.abs(mean - expected) <= halfWidth, interval);
        assertTrue(halfWidth < 0.05 * expected, "interval too wide: " + interval);
    }

    /** The queue model: one server, FIFO, Poisson arrivals, exponential service. */
    private static final class MM1 {
        private static final int DEPARTURE_PHASE = 0;
        private static final int ARRIVAL_PHASE = 1;

        private final Simulator sim = new Simulator();
        private final RandomGenerator arrivals;
        private final RandomGenerator service;
        private final long[] queuedArrivalTimes = new long[CUSTOMERS];
        private int queueHead;
        private int queueTail;
        private boolean busy;
        private int arrived;
        private final double[] waits = new double[CUSTOMERS];
        private int served;

        MM1(RandomStreams streams) {
            arrivals = streams.stream("arrivals");
            service = streams.stream("service");
        }

        double[] run() {
            sim.scheduleAfter(exponential(arrivals, LAMBDA), ARRIVAL_PHASE, this::arrive);
            sim.run();
            return waits;
        }

        private void arrive(Simulator s) {
            arrived++;
            if (busy) {
                queuedArrivalTimes[queueTail++] = s.now();
            } else {
                startService(s, s.now());
            }
            if (arrived < CUSTOMERS) {
                s.scheduleAfter(exponential(arrivals, LAMBDA), ARRIVAL_PHASE, this::arrive);
            }
        }

        private void depart(Simulator s) {
            busy = false;
            if (queueHead < queueTail) {
                startService(s, queuedArrivalTimes[queueHead++]);
            }
        }

        private void startService(Simulator s, long arrivalTime) {
            busy = true;
            waits[served++] = (s.now() - arrivalTime) / TIME_UNIT_NS;
            s.scheduleAfter(exponential(service, MU), DEPARTURE_PHASE, this::depart);
        }

        /** Inverse transform; 1 - u is in (0, 1], so the logarithm is finite. */
        private static long exponential(RandomGenerator rng, double rate) {
            return Math.round(-Math.log(1 - rng.nextDouble()) / rate * TIME_UNIT_NS);
        }
    }
}

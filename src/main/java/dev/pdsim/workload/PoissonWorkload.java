package dev.pdsim.workload;

import dev.pdsim.engine.Simulator;
import org.apache.commons.math3.random.RandomGenerator;

/** Open loop: exponential inter-arrival times at {@code rate} requests per second. */
public final class PoissonWorkload implements Workload {
    private final double ratePerNs;
    private final long maxRequests;
    private final LengthSampler input;
    private final LengthSampler output;
    private final PromptSource prompts;
    private final RandomGenerator arrivals;
    private final int phase;
    private long issued;

    PoissonWorkload(double ratePerS, long maxRequests, LengthSampler input, LengthSampler output,
                    PromptSource prompts,
                    RandomGenerator arrivals, int phase) {
        this.ratePerNs = ratePerS / 1e9;
        this.maxRequests = maxRequests;
        this.input = input;
        this.output = output;
        this.prompts = prompts;
        this.arrivals = arrivals;
        this.phase = phase;
    }

    @Override
    public void start(Simulator sim, long startNs, long endNs, Submitter submitter) {
        scheduleNext(sim, startNs, endNs, submitter);
    }

    private void scheduleNext(Simulator sim, long fromNs, long endNs, Submitter submitter) {
        if (maxRequests > 0 && issued >= maxRequests) {
            return;
        }
        long gap = (long) Math.ceil(-Math.log(1.0 - arrivals.nextDouble()) / ratePerNs);
        long at = fromNs + gap;
        if (at > endNs) {
            return;
        }
        sim.schedule(at, phase, e -> {
            issued++;
            submitter.submit(prompts.next(input.next()), output.next());
            scheduleNext(sim, at, endNs, submitter);
        });
    }
}

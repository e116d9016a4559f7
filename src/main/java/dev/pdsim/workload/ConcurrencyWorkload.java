package dev.pdsim.workload;

import dev.pdsim.engine.Simulator;

/**
 * Closed loop: {@code concurrency} clients, each sending its next request as soon as the previous
 * one ends. A request rejected at arrival (no live instance) is retried after a second, so a dead
 * cluster does not spin the loop at one instant.
 */
public final class ConcurrencyWorkload implements Workload {
    static final long REJECTED_BACKOFF_NS = 1_000_000_000L;

    private final int concurrency;
    private final long maxRequests;
    private final LengthSampler input;
    private final LengthSampler output;
    private final PromptSource prompts;
    private final int phase;
    private Simulator sim;
    private long endNs;
    private Submitter submitter;
    private long issued;

    ConcurrencyWorkload(int concurrency, long maxRequests, LengthSampler input, LengthSampler output,
                        PromptSource prompts, int phase) {
        this.concurrency = concurrency;
        this.maxRequests = maxRequests;
        this.input = input;
        this.output = output;
        this.prompts = prompts;
        this.phase = phase;
    }

    @Override
    public void start(Simulator sim, long startNs, long endNs, Submitter submitter) {
        this.sim = sim;
        this.endNs = endNs;
        this.submitter = submitter;
        for (int i = 0; i < concurrency; i++) {
            issueAt(startNs);
        }
    }

    @Override
    public void requestDone(boolean rejectedAtArrival) {
        if (sim != null) {
            issueAt(sim.now() + (rejectedAtArrival ? REJECTED_BACKOFF_NS : 0));
        }
    }

    private void issueAt(long at) {
        if (at > endNs || (maxRequests > 0 && issued >= maxRequests)) {
            return;
        }
        issued++;
        sim.schedule(at, phase, e -> submitter.submit(prompts.next(input.next()), output.next()));
    }
}

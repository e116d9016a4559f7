package dev.pdsim.workload;

import dev.pdsim.engine.RandomStreams;
import dev.pdsim.engine.Simulator;
import dev.pdsim.scenario.WorkloadSpec;

/**
 * User traffic: decides when requests arrive, how long they are and which prefixes their prompts
 * share. Draws come from the "workload.arrivals", "workload.lengths" and "workload.prefix" streams
 * only, so other components never shift them; a trace draws nothing.
 */
public sealed interface Workload permits PoissonWorkload, ConcurrencyWorkload, TraceWorkload {

    /** Receives each generated request. */
    @FunctionalInterface
    interface Submitter {
        void submit(Prompt prompt, int outputLen);
    }

    /** Starts generating at {@code startNs}; nothing arrives after {@code endNs}. */
    void start(Simulator sim, long startNs, long endNs, Submitter submitter);

    /** A request of this workload reached a terminal state (closed loops issue the next one). */
    default void requestDone(boolean rejectedAtArrival) {
    }

    static Workload of(WorkloadSpec spec, RandomStreams streams, int arrivalPhase) {
        PromptSource prompts = new PromptSource(spec.prefix(), streams.stream("workload.prefix"));
        LengthSampler input = new LengthSampler(spec.inputLen(), streams.stream("workload.lengths.input"));
        LengthSampler output = new LengthSampler(spec.outputLen(), streams.stream("workload.lengths.output"));
        return switch (spec.type()) {
            case CONCURRENCY -> new ConcurrencyWorkload(spec.concurrency(), spec.maxRequests(), input, output,
                    prompts, arrivalPhase);
            case POISSON -> new PoissonWorkload(spec.rate(), spec.maxRequests(), input, output, prompts,
                    streams.stream("workload.arrivals"), arrivalPhase);
            case TRACE -> new TraceWorkload(spec.trace(), spec.prefix(), spec.maxRequests(), arrivalPhase);
        };
    }
}

package dev.pdsim.serving;

/**
 * How to run a replay.
 *
 * @param check        verify the simulator's invariants after every event (always on in tests)
 * @param traceDetailIterations forward passes per instance whose operations go into the trace at iteration fidelity
 */
public record ReplayOptions(Fidelity fidelity, boolean check, int traceDetailIterations) {
    public static final ReplayOptions DEFAULT = new ReplayOptions(Fidelity.ITERATION, false, 3);

    public ReplayOptions withFidelity(Fidelity f) {
        return new ReplayOptions(f, check, traceDetailIterations);
    }

    public ReplayOptions withCheck(boolean c) {
        return new ReplayOptions(fidelity, c, traceDetailIterations);
    }
}

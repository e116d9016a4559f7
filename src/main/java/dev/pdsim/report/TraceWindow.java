package dev.pdsim.report;

/** The simulated time a trace.json covers, in nanoseconds from the start of the simulation (warmup included). */
public record TraceWindow(long startNs, long endNs) {
    /** The first 10 simulated seconds: warmup and the first iterations of every server. */
    public static final TraceWindow DEFAULT = new TraceWindow(0, 10_000_000_000L);

    public TraceWindow {
        if (startNs < 0 || endNs <= startNs) {
            throw new IllegalArgumentException("a trace window runs forward from 0 or later, got " + startNs + ".." + endNs);
        }
    }
}

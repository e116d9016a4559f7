package dev.pdsim.serving;

/**
 * Receives what a Chrome/Perfetto trace shows: one track per rank, a slice per forward pass and,
 * at layer fidelity, per operation (TBO children as separate slices). Times in nanoseconds.
 */
public interface TraceSink {
    void slice(String instance, int rank, String name, String category, long startNs, long endNs, String args);

    void instant(String instance, int rank, String name, long atNs, String args);
}

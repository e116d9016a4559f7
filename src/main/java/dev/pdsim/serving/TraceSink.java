package dev.pdsim.serving;

/**
 * Receives what a Chrome/Perfetto trace shows: a track per rank with a slice per forward pass and
 * its layer operations, and per rank a track for each TBO child, whose operations overlap the
 * other child's and so cannot share a track with them. Times in nanoseconds.
 */
public interface TraceSink {
    /** @param child the TBO child ("A" or "B") whose track the slice goes on, or null for the rank's own track */
    void slice(String instance, int rank, String child, String name, String category, long startNs, long endNs,
               String args);

    void instant(String instance, int rank, String name, long atNs, String args);
}

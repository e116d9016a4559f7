package dev.pdsim.scenario;

/** A fault a scenario injects into its run, from {@code atS} seconds of simulated time (warmup included). */
public sealed interface Fault permits NodeLost, KvTransferFailure, Straggler, CollectiveHang, DegradedLink {
    double atS();

    /** What was injected, as reports and abort reasons say it. */
    String describe();

    /** The server it hits ({@code <role>-<index>}), or {@code kv} for the KV-transfer fabric. */
    String target();
}

package dev.pdsim.scenario;

/** A fault a scenario injects into its run, from {@code atS} seconds of simulated time (warmup included). */
public sealed interface Fault permits NodeLost, KvTransferFailure, Straggler {
    double atS();
}

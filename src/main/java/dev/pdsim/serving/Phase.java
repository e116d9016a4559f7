package dev.pdsim.serving;

/**
 * Event phases: at one instant, arrivals come first, then network completions (bootstrap
 * handshakes, KV transfers), then the end of forward passes, and only then do schedulers build the
 * next batch, so a batch sees everything that finished at that instant. Stage events of layer
 * fidelity and watchdogs come after.
 */
final class Phase {
    static final int ARRIVAL = 0;
    static final int NETWORK = 1;
    static final int ITERATION_END = 2;
    static final int ITERATION_START = 3;
    static final int STAGE = 4;
    static final int WATCHDOG = 5;

    private Phase() {
    }
}

package dev.pdsim.serving;

/** Life of an SGLang server in the simulation. */
public enum InstanceStatus {
    /** Up, running its warmup request; the router does not use it yet. */
    WARMING_UP,
    READY,
    /** A rank raised: the processes died. */
    CRASHED,
    /** A collective never completed; the watchdog has not fired (yet). */
    HUNG,
    /** The watchdog killed a hung server. */
    KILLED,
    /** One of its nodes was lost (an injected fault): every rank of the server stopped. */
    LOST;

    public boolean alive() {
        return this == WARMING_UP || this == READY;
    }
}

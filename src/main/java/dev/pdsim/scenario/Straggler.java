package dev.pdsim.scenario;

import dev.pdsim.diag.Numbers;

/**
 * An injected fault: GPU {@code rank} (TP rank, from 0) of instance {@code instance} computes
 * {@code slowdown} times slower from {@code atS} to {@code toS} seconds of simulated time.
 */
public record Straggler(String instance, int rank, double atS, double toS, double slowdown) implements Fault {

    @Override
    public String describe() {
        return "TP rank " + rank + " of " + instance + " " + Numbers.plain(slowdown) + "x slower from "
                + Numbers.plain(atS) + " s to " + Numbers.plain(toS) + " s";
    }

    @Override
    public String target() {
        return instance;
    }
}

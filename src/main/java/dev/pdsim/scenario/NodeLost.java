package dev.pdsim.scenario;

import dev.pdsim.diag.Numbers;

/**
 * An injected fault: node {@code node} (from 0) of instance {@code instance} ({@code <role>-<index>}
 * as the run names its servers) is lost at {@code atS} seconds of simulated time, warmup included.
 */
public record NodeLost(String instance, int node, double atS) implements Fault {

    @Override
    public String describe() {
        return "node " + node + " of " + instance + " lost at " + Numbers.plain(atS) + " s";
    }

    @Override
    public String target() {
        return instance;
    }
}

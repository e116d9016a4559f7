package dev.pdsim.scenario;

import dev.pdsim.diag.Numbers;

/**
 * An injected fault: a collective of instance {@code instance} never completes from {@code atS}
 * seconds of simulated time on (one rank stops answering, e.g. a GPU hung on an Xid error), so
 * the instance makes no forward progress until its watchdog ({@code --watchdog-timeout}) kills it.
 */
public record CollectiveHang(String instance, double atS) implements Fault {

    @Override
    public String describe() {
        return "collective hang on " + instance + " at " + Numbers.plain(atS) + " s";
    }

    @Override
    public String target() {
        return instance;
    }
}

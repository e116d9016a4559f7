package dev.pdsim.scenario;

import dev.pdsim.diag.Numbers;

/** An injected fault: the next {@code count} KV transfers that complete from {@code atS} seconds on fail. */
public record KvTransferFailure(double atS, int count) implements Fault {

    @Override
    public String describe() {
        return "injected kv_transfer_failure at " + Numbers.plain(atS) + " s";
    }

    @Override
    public String target() {
        return "kv";
    }
}

package dev.pdsim.serving;

import dev.pdsim.scenario.Fault;
import dev.pdsim.scenario.KvTransferFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * The injected KV-transfer failures of a run: each fault fails the next {@code count} transfers
 * that complete from its {@code at_s} on, in the order they complete (so the same scenario fails
 * the same requests). SGLang polls a failed transfer as {@code KVPoll.Failed} on both sides: the
 * prefill server aborts the request and unlocks its KV (srt/disaggregation/prefill.py:493-504),
 * the decode server aborts it and frees its preallocated KV (srt/disaggregation/decode.py:558-575).
 */
final class KvTransferFaults {
    private final List<KvTransferFailure> faults;
    private final int[] failed;

    KvTransferFaults(List<KvTransferFailure> faults) {
        this.faults = List.copyOf(faults);
        this.failed = new int[faults.size()];
    }

    static KvTransferFaults of(List<Fault> all) {
        List<KvTransferFailure> kv = new ArrayList<>();
        for (Fault f : all) {
            if (f instanceof KvTransferFailure k) {
                kv.add(k);
            }
        }
        return new KvTransferFaults(kv);
    }

    /** Whether {@code fault} (one of this run's, the same object) has failed a transfer yet. */
    boolean claimedAny(KvTransferFailure fault) {
        for (int i = 0; i < faults.size(); i++) {
            if (faults.get(i) == fault) {
                return failed[i] > 0;
            }
        }
        throw new IllegalArgumentException("not a fault of this run: " + fault);
    }

    /**
     * Whether the transfer completing at {@code nowNs} fails; claims it for the first fault due.
     *
     * @return what to give as the reason (which fault, and the how-manieth of its transfers), or null
     */
    String claim(long nowNs) {
        for (int i = 0; i < faults.size(); i++) {
            KvTransferFailure f = faults.get(i);
            if (nowNs >= (long) (f.atS() * 1e9) && failed[i] < f.count()) {
                failed[i]++;
                return f.describe() + ", " + failed[i] + " of " + f.count();
            }
        }
        return null;
    }
}

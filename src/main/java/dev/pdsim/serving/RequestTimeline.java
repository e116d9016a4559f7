package dev.pdsim.serving;

/**
 * Checks that the timestamps a request reached are in the order of its life: arrival, retry (when
 * the router sent it again: the timestamps that follow are of that attempt, restarted from scratch),
 * bootstrap, prefill start, prefill end, KV start, KV end, decode start, first token, finish. Unset ones are
 * skipped; so are the prefill-side ones of a request with a fake bootstrap (warmup, fake transfer),
 * whose KV is "there" when its decode server takes it.
 */
final class RequestTimeline {
    private RequestTimeline() {
    }

    /** @throws InvariantViolation at the first pair out of order */
    static void check(Request r, long nowNs) {
        if (r.decodeStartNs != Request.UNSET && r.kvEndNs != Request.UNSET && r.decodeStartNs < r.kvEndNs) {
            throw InvariantViolation.of(Invariant.DECODE_AFTER_KV, nowNs, r,
                    "decode start " + r.decodeStartNs + " ns < KV end " + r.kvEndNs + " ns");
        }
        boolean prefillSide = !r.fakeBootstrap || r.decode == null;
        String[] names = {"arrival", "retry", "bootstrap", "prefill start", "prefill end", "KV start", "KV end",
            "decode start", "first token", "finish"};
        long[] times = {r.arrivalNs, r.retriedNs, prefillSide ? r.bootstrappedNs : Request.UNSET,
            prefillSide ? r.prefillStartNs : Request.UNSET, prefillSide ? r.prefillEndNs : Request.UNSET,
            prefillSide ? r.kvStartNs : Request.UNSET, r.kvEndNs, r.decodeStartNs, r.firstTokenNs, r.finishNs()};
        int last = -1;
        for (int i = 0; i < times.length; i++) {
            if (times[i] == Request.UNSET) {
                continue;
            }
            if (last >= 0 && times[i] < times[last]) {
                throw InvariantViolation.of(Invariant.REQUEST_TIMELINE, nowNs, r,
                        names[i] + " " + times[i] + " ns < " + names[last] + " " + times[last] + " ns");
            }
            last = i;
        }
    }
}

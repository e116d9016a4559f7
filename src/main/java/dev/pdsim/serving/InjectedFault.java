package dev.pdsim.serving;

/**
 * A fault the scenario injected, as it happened, or one the run never reached.
 *
 * @param description what was injected, as the aborted requests give it for their reason
 * @param timeS       simulated time it happened (its scheduled time when not reached)
 * @param instance    the server it hit, or the two a failed KV transfer joined ({@code prefill-0 -> decode-1})
 *                    ({@code kv} for a KV-transfer fault not reached)
 * @param took        false when it hit a server that had already crashed, hung or been lost, or was not reached
 * @param aborted     user requests that ended aborted because of it
 * @param retried     user requests it failed that the router sent again instead (its {@code retries})
 * @param reached     false when the run ended before its time came (or, for failing KV transfers, before
 *                    any transfer completed from its time on)
 */
public record InjectedFault(String description, double timeS, String instance, boolean took, long aborted,
                            long retried, boolean reached) {

    /** A fault that happened, with a router that does not retry. */
    public InjectedFault(String description, double timeS, String instance, boolean took, long aborted) {
        this(description, timeS, instance, took, aborted, 0, true);
    }

    static InjectedFault notReached(String description, double atS, String target) {
        return new InjectedFault(description, atS, target, false, 0, 0, false);
    }
}

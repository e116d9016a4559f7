package dev.pdsim.scenario;

/**
 * The user traffic of a scenario.
 *
 * @param type        open loop at {@code rate} requests/s, closed loop with {@code concurrency}
 *                    requests in flight, or a trace replay
 * @param inputLen    for a trace, the range of its prompts
 * @param outputLen   for a trace, the range of its outputs
 * @param maxRequests stop generating after this many requests (0 = until the scenario's duration ends)
 * @param prefix      the shared prompt prefixes, or null when prompts share none
 * @param trace       the replayed file when {@code type} is trace, else null
 */
public record WorkloadSpec(WorkloadType type, double rate, int concurrency, LengthSpec inputLen, LengthSpec outputLen,
                           long maxRequests, PrefixSpec prefix, TraceSpec trace) {

    /** Whether some prompts may start with the same tokens, so a prefix cache can hit. */
    public boolean sharesPrefixes() {
        return prefix != null || (trace != null && trace.sharesPrefixes());
    }
}

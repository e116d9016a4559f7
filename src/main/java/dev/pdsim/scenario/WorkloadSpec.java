package dev.pdsim.scenario;

/**
 * The user traffic of a scenario.
 *
 * @param type        open loop at {@code rate} requests/s, or closed loop with {@code concurrency}
 *                    requests in flight
 * @param maxRequests stop generating after this many requests (0 = until the scenario's duration ends)
 */
public record WorkloadSpec(WorkloadType type, double rate, int concurrency, LengthSpec inputLen, LengthSpec outputLen,
                           long maxRequests) {
}

package dev.pdsim.scenario;

/**
 * The user traffic of a scenario.
 *
 * @param type        "poisson" (open loop at {@code rate} requests/s) or "concurrency" (closed loop,
 *                    {@code concurrency} requests in flight)
 * @param maxRequests stop generating after this many requests (0 = until the scenario's duration ends)
 */
public record WorkloadSpec(String type, double rate, int concurrency, LengthSpec inputLen, LengthSpec outputLen,
                           long maxRequests) {

    public static final java.util.List<String> TYPES = java.util.List.of("poisson", "concurrency");
}

package dev.pdsim.serving;

/**
 * A fault the scenario injected, as it happened.
 *
 * @param description what was injected, as the aborted requests give it for their reason
 * @param timeS       simulated time it happened
 * @param instance    the server it hit, or the two a failed KV transfer joined ({@code prefill-0 -> decode-1})
 * @param took        false when it hit a server that had already crashed or hung
 * @param aborted     user requests that ended aborted because of it
 */
public record InjectedFault(String description, double timeS, String instance, boolean took, long aborted) {
}

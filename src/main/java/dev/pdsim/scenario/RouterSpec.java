package dev.pdsim.scenario;

/**
 * The router in front of the servers: how it picks a prefill/decode pair, and how many times it
 * sends a request that failed (its server lost, hung and killed, or its KV transfer failed) to
 * another live pair before giving up.
 *
 * <p>ASSUMPTION: retries model a router placed in front of SGLang. Its own load balancer at
 * 0.4.8.post1 (python/sglang/srt/disaggregation/mini_lb.py:64-109) picks a pair at random and
 * returns whatever the decode server answers, with no retry; 0 retries is that behaviour.
 */
public record RouterSpec(RouterPolicy policy, int retries) {
    public static final RouterSpec DEFAULT = new RouterSpec(ScenarioFields.ROUTER, 0);
}

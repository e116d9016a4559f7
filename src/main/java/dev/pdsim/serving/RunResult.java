package dev.pdsim.serving;

import dev.pdsim.metrics.Percentiles;
import java.util.List;
import java.util.Map;

/**
 * What a replay produced. Everything here is a function of the scenario and seed (no wall-clock
 * figures), so its rendering is byte-identical across runs.
 *
 * @param failure          the first failure, or null
 * @param instanceStatus   final status of each instance, by name
 * @param trafficStartS    when user traffic began (after every server warmed up or died)
 * @param prefixCache      per prefill instance; empty when the workload's prompts share no prefix
 */
public record RunResult(String scenario, String strategy, long seed, Outcome outcome, FailureReport failure,
                        long submitted, long finished, long aborted, long corruptedTokens,
                        double inputTokensPerSPerNode, double outputTokensPerSPerNode,
                        Percentiles ttft, Percentiles itl, Percentiles e2e, long events,
                        Map<String, InstanceStatus> instanceStatus, double trafficStartS, double endS,
                        int prefillNodes, int decodeNodes, double meanSyncBytes, double meanSyncMicros,
                        Map<String, Long> iterations, long goodRequests, int gpus,
                        List<PrefixCacheUse> prefixCache) {

    /** Requests per second that met the SLO, over the traffic period. */
    public double goodputPerS(double windowS) {
        return windowS <= 0 ? 0 : goodRequests / windowS;
    }
}

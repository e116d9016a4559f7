package dev.pdsim.serving;

import dev.pdsim.metrics.LatencySummary;
import dev.pdsim.scenario.Slo;
import java.util.List;
import java.util.Map;

/**
 * What a replay produced. Everything here is a function of the scenario and seed (no wall-clock
 * figures), so its rendering is byte-identical across runs.
 *
 * @param failure             the first failure, or null
 * @param inputTokensPerSPerNode  prompt tokens computed in the traffic period, per second and prefill node
 * @param outputTokensPerSPerNode output tokens produced in the traffic period, per second and decode node
 * @param instanceStatus      final status of each instance, by name
 * @param trafficStartS       when user traffic began (after every server warmed up or died), -1 if it never did
 * @param finishedInputTokens prompt tokens of the finished requests (bench_serving's total input)
 * @param finishedOutputTokens output tokens of the finished requests (bench_serving's total output)
 * @param goodRequests        finished requests within every bound of {@code slo}
 * @param prefixCache         per prefill instance; empty when the workload's prompts share no prefix
 * @param faults              the injected faults that happened, in time order; empty when none did
 * @param speculative         accepted lengths and per-user decode speed; null when no server speculates
 */
public record RunResult(String scenario, String strategy, long seed, Outcome outcome, FailureReport failure,
                        RequestCounts requests, long corruptedTokens, double inputTokensPerSPerNode,
                        double outputTokensPerSPerNode, Latencies latency, long events,
                        Map<String, InstanceStatus> instanceStatus, double trafficStartS, double endS,
                        int prefillNodes, int decodeNodes, Map<String, Long> iterations, long finishedInputTokens,
                        long finishedOutputTokens, long goodRequests, Slo slo, int gpus,
                        List<PrefixCacheUse> prefixCache, List<InjectedFault> faults,
                        SpeculativeUse speculative) {

    /**
     * User requests by how they ended: {@code submitted = finished + aborted + unfinished}; apart,
     * {@code retries}: times the router sent a failed request again (each request counted once above).
     */
    public record RequestCounts(long submitted, long finished, long aborted, long unfinished, long retries) {
    }

    /** The latencies bench_serving reports, over the finished user requests. */
    public record Latencies(LatencySummary ttft, LatencySummary tpot, LatencySummary itl, LatencySummary e2e) {
    }

    public long submitted() {
        return requests.submitted();
    }

    public long finished() {
        return requests.finished();
    }

    public long aborted() {
        return requests.aborted();
    }

    public long unfinished() {
        return requests.unfinished();
    }

    public long retries() {
        return requests.retries();
    }

    /**
     * bench_serving's benchmark duration: from the first user request to the end of the last
     * (python/sglang/bench_serving.py:1318, which times the whole benchmark); 0 when traffic never started.
     */
    public double durationS() {
        return trafficStartS < 0 ? 0 : endS - trafficStartS;
    }

    /** Finished requests per second over {@link #durationS}. */
    public double requestThroughput() {
        return perSecond(requests.finished());
    }

    public double inputThroughput() {
        return perSecond(finishedInputTokens);
    }

    public double outputThroughput() {
        return perSecond(finishedOutputTokens);
    }

    public double totalThroughput() {
        return perSecond(finishedInputTokens + finishedOutputTokens);
    }

    /** Requests per second that met the SLO; NaN when the run has no SLO (nothing to be good against). */
    public double goodput() {
        return slo.given() ? perSecond(goodRequests) : Double.NaN;
    }

    private double perSecond(long count) {
        double d = durationS();
        return d <= 0 ? 0 : count / d;
    }
}

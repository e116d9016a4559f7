package dev.pdsim.serving;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.metadata.MetadataStrategy;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.WorkloadType;
import java.util.Arrays;

/**
 * One forward pass of an instance on a made-up, even batch, outside any simulation: what
 * {@code explain --costs} and the calibration checks look at. Every DP rank gets the same batch.
 */
public final class IterationProbe {
    private IterationProbe() {
    }

    /** Requests a probe puts on each DP rank of a decode instance when no batch is given. */
    private static final int DEFAULT_DECODE_BATCH = 64;

    /**
     * Requests per decode DP rank at the scenario's load: a concurrency workload's clients spread
     * over every decode DP rank, as many as a rank admits (max_running_requests); 64 for arrivals
     * at a rate, whose batch depends on the run.
     */
    public static int decodeRequestsPerRank(Scenario scenario, InstanceTopology decode) {
        if (scenario.workload().type() != WorkloadType.CONCURRENCY) {
            return DEFAULT_DECODE_BATCH;
        }
        int decodeRanks = 0;
        for (InstanceTopology t : InstanceTopology.deriveAll(scenario)) {
            if (t.role() == Role.DECODE) {
                decodeRanks += t.dpSize();
            }
        }
        int perRank = Math.max(1, scenario.workload().concurrency() / Math.max(1, decodeRanks));
        Integer cap = decode.args().maxRunningRequests();
        return cap != null && cap > 0 ? Math.min(perRank, Math.max(1, cap / decode.dpSize())) : perRank;
    }

    /** Cached tokens of a decoding request halfway through its output: what a probe assumes. */
    public static int decodeContext(Scenario scenario) {
        return scenario.workload().inputLen().max() + scenario.workload().outputLen().max() / 2;
    }

    /** An EXTEND of {@code tokensPerRank} prompt tokens per DP rank, in sequences of {@code seqLen}. */
    public static ForwardResult prefill(InstanceTopology t, InstanceCostModel cost, MetadataStrategy strategy,
                                        int tokensPerRank, int seqLen, double expertImbalance) {
        int n = Math.max(1, (tokensPerRank + seqLen - 1) / seqLen);
        int[] lens = new int[n];
        Arrays.fill(lens, seqLen);
        lens[n - 1] = tokensPerRank - seqLen * (n - 1);
        RankBatch batch = new RankBatch(ForwardKind.EXTEND, lens, new int[n], 0, 0);
        return run(t, cost, strategy, batch, expertImbalance);
    }

    /** A DECODE of {@code requestsPerRank} requests per DP rank, each with {@code context} cached tokens. */
    public static ForwardResult decode(InstanceTopology t, InstanceCostModel cost, MetadataStrategy strategy,
                                       int requestsPerRank, int context, double expertImbalance) {
        RankBatch batch = RankBatch.decode(requestsPerRank, (long) requestsPerRank * context);
        return run(t, cost, strategy, batch, expertImbalance);
    }

    private static ForwardResult run(InstanceTopology t, InstanceCostModel cost, MetadataStrategy strategy,
                                     RankBatch batch, double expertImbalance) {
        RankBatch[] batches = new RankBatch[t.dpSize()];
        Arrays.fill(batches, batch);
        return new ForwardPass(t, cost, strategy).run(batches, true, expertImbalance);
    }
}

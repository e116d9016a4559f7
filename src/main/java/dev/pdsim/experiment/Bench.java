package dev.pdsim.experiment;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.cost.RooflineCostModel;
import dev.pdsim.metadata.MetadataStrategies;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.Strategy;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every strategy on the same scenario, workload and seeds, one after another in one process, so
 * their outcomes, throughput, latency and the cost of the fix line up in one table.
 */
public final class Bench {

    /**
     * One strategy on one seed.
     *
     * @param scenario         the scenario as run: under this strategy, with this seed
     * @param changedInstances the instances whose launch the strategy changed (a workaround's), in order
     * @param mlpSync          the MLP sync of the first prefill instance under this strategy
     */
    public record Run(String strategy, long seed, Scenario scenario, RunResult result, long wallNanos, List<String> changedInstances,
                      MlpSync mlpSync) {
        public double eventsPerSecond() {
            return wallNanos == 0 ? 0 : result.events() / (wallNanos / 1e9);
        }
    }

    /**
     * One MLP sync of an instance: {@code int64PerRank} values from each of its {@code ranks}
     * all-gathered, {@code bytes} in all, taking {@code micros} by the cost model.
     */
    public record MlpSync(String instance, int ranks, int int64PerRank, long bytes, double micros) {
    }

    /**
     * What the fix costs per MLP sync of the first prefill instance: the all-gather carries
     * {@code patchedInt64} instead of {@code releasedInt64} values per rank.
     */
    public record FixCost(String instance, int ranks, int releasedInt64, int patchedInt64, long releasedBytes,
                          long patchedBytes, double releasedMicros, double patchedMicros) {
    }

    public record Report(Scenario scenario, List<Run> runs, FixCost fixCost) {
        public List<Run> of(String strategy) {
            return runs.stream().filter(r -> r.strategy().equals(strategy)).toList();
        }

        public List<String> strategies() {
            return runs.stream().map(Run::strategy).distinct().toList();
        }
    }

    private Bench() {
    }

    /**
     * @param strategies in the order of the report
     * @param seeds      how many seeds, from the scenario's seed upwards
     */
    public static Report run(Scenario scenario, List<Strategy> strategies, int seeds, ReplayOptions options,
                             Consumer<Run> progress) {
        List<Run> runs = new ArrayList<>();
        List<InstanceTopology> asWritten = InstanceTopology.deriveAll(scenario.withStrategy(Strategy.BUGGY));
        for (Strategy strategy : strategies) {
            for (int k = 0; k < seeds; k++) {
                Scenario s = scenario.withStrategy(strategy).withSeed(scenario.seed() + k);
                List<String> changed = changedInstances(asWritten, InstanceTopology.deriveAll(s));
                long t0 = System.nanoTime();
                RunResult result = ServingSimulation.run(s, options, RequestSink.NONE, null);
                Run run = new Run(strategy.yamlName(), s.seed(), s, result, System.nanoTime() - t0, changed,
                        mlpSync(s, strategy));
                runs.add(run);
                progress.accept(run);
            }
        }
        return new Report(scenario, List.copyOf(runs), fixCost(scenario));
    }

    /** Instances whose resolved server arguments differ from the launch as written. */
    static List<String> changedInstances(List<InstanceTopology> asWritten, List<InstanceTopology> launched) {
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < launched.size(); i++) {
            if (!launched.get(i).args().equals(asWritten.get(i).args())) {
                changed.add(launched.get(i).name());
            }
        }
        return List.copyOf(changed);
    }

    /** The sync cost, released (6 int64 per rank) against patched (8), from the cost model of the first server that prefills. */
    static FixCost fixCost(Scenario scenario) {
        MlpSync released = mlpSync(scenario, Strategy.BUGGY);
        MlpSync patched = mlpSync(scenario, Strategy.PATCHED);
        return new FixCost(released.instance(), released.ranks(), released.int64PerRank(), patched.int64PerRank(),
                released.bytes(), patched.bytes(), released.micros(), patched.micros());
    }

    /**
     * The MLP sync of the first instance of {@code scenario} that prefills (a prefill or a colocated
     * server) when it runs under {@code strategy}.
     */
    static MlpSync mlpSync(Scenario scenario, Strategy strategy) {
        InstanceTopology prefill = InstanceTopology.deriveAll(scenario).stream()
                .filter(t -> t.role() != Role.DECODE).findFirst().orElseThrow();
        InstanceCostModel cost = new RooflineCostModel(scenario.model(), scenario.hardware()).forInstance(prefill);
        int int64PerRank = MetadataStrategies.of(strategy).mlpSyncInt64PerRank();
        int ranks = prefill.gpus();
        return new MlpSync(prefill.name(), ranks, int64PerRank, int64PerRank * 8L * ranks,
                cost.mlpSyncNs(int64PerRank) / 1e3);
    }
}

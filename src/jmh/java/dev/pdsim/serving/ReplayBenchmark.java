package dev.pdsim.serving;

import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.Strategy;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Wall time of replaying 10 simulated minutes of the reported cluster (1 prefill instance of 2x8
 * GPUs, 1 decode instance of 6x8 GPUs) at full load: scenarios/reported-xpyd-busy.yaml, 512
 * closed-loop clients, prefill saturated. Run from the repository root (it reads the scenario).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ReplayBenchmark {
    @Param({"buggy", "patched", "none-check", "tbo-off", "deepep"})
    public String strategy;

    @Param({"iteration", "layer"})
    public String fidelity;

    @Param({"600"})
    public double simulatedSeconds;

    private Scenario scenario;
    private ReplayOptions options;

    @Setup(Level.Trial)
    public void load() {
        scenario = ScenarioLoader.load(Path.of("scenarios", "reported-xpyd-busy.yaml")).withStrategy(Strategy.byName(strategy, "@Param strategy"))
                .withDuration(simulatedSeconds);
        options = ReplayOptions.DEFAULT.withFidelity(Fidelity.valueOf(fidelity.toUpperCase()));
    }

    @Benchmark
    public RunResult replay() {
        return ServingSimulation.run(scenario, options, RequestSink.NONE, null);
    }
}

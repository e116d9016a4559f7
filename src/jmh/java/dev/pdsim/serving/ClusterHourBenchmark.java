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
 * Wall time of one simulated hour of a whole cluster at iteration fidelity, small and large: the
 * 64-GPU reported cluster at full load (scenarios/reported-xpyd-busy.yaml) and the 544-GPU
 * production shape (scenarios/production-544.yaml, 8 prefill instances of 32 DP ranks and 2 decode
 * instances of 144). Their ratio shows how the cost of an iteration grows with the number of ranks.
 * One hour of the large one takes tens of seconds, so each measurement is a single run. Run from
 * the repository root (it reads the scenarios); add {@code -prof gc} for the allocation rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class ClusterHourBenchmark {
    @Param({"reported-xpyd-busy", "production-544"})
    public String scenario;

    @Param({"3600"})
    public double simulatedSeconds;

    private Scenario loaded;

    @Setup(Level.Trial)
    public void load() {
        Scenario s = ScenarioLoader.load(Path.of("scenarios", scenario + ".yaml")).withDuration(simulatedSeconds);
        // The reported launch's own strategy (buggy) crashes at its first TBO pass; its deepep
        // workaround serves, with TBO and DeepEP on the prefill as in the production shape.
        loaded = s.strategy() == Strategy.BUGGY ? s.withStrategy(Strategy.DEEPEP) : s;
    }

    @Benchmark
    public RunResult replayHour() {
        return ServingSimulation.run(loaded, ReplayOptions.DEFAULT, RequestSink.NONE, null);
    }
}

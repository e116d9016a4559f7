package dev.pdsim.experiment;

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
 * One row of scenarios/sweeps/speed-1000.yaml (10 simulated minutes at full load): building the
 * combination from the grid, validating it and replaying it. 1,000 rows within 60 s on 2 cores
 * needs at most ~120 ms per row per core. Run from the repository root.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SweepRowBenchmark {
    /** Row 0: the reported layout, TBO, buggy (crashes in warmup); row 26: patched at 512 clients. */
    @Param({"0", "26", "999"})
    public int row;

    private SweepEvaluator evaluator;

    @Setup(Level.Trial)
    public void load() {
        SweepSpec spec = SweepLoader.load(Path.of("scenarios", "sweeps", "speed-1000.yaml"));
        evaluator = new SweepEvaluator(spec);
    }

    @Benchmark
    public Object sweepRow() {
        return evaluator.evaluate(row);
    }
}

package dev.pdsim.experiment;

import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The published figures pdsim is calibrated against, each next to what the same cost model
 * simulates on a scenario mirroring the published setup (scenarios/calibration/).
 */
public final class Calibration {
    /** LMSYS blog, "Deploying DeepSeek with PD Disaggregation and Large-scale Expert Parallelism on 96 H100 GPUs", 2025-05-05. */
    public static final String LMSYS = "LMSYS 96-H100 blog, 2025-05-05";

    /**
     * One published figure. {@code numerator}/{@code denominator} name scenarios; a ratio target
     * divides the two runs' figures. {@code fittedBy} names the hardware.yaml constants fitted to
     * this figure (null: the figure is a prediction of the model, nothing was fitted to it).
     */
    public record Target(String setup, String metric, double published, double tolerance, String source,
                         String numerator, String denominator, String fittedBy) {
        public boolean ratio() {
            return denominator != null;
        }

        /** "prediction", or "fit: " and the constants fitted to this figure. */
        public String role() {
            return fittedBy == null ? "prediction" : "fit: " + fittedBy;
        }
    }

    public record Result(Target target, double simulated) {
        public double errorPercent() {
            return 100 * (simulated - target.published()) / target.published();
        }

        public boolean withinTolerance() {
            return Math.abs(simulated - target.published()) <= target.tolerance() * target.published();
        }
    }

    private static final String SIGMAS = "expert_popularity_sigma, expert_drift_sigma";

    public static final List<Target> TARGETS = List.of(
            new Target("prefill 4 nodes EP32, TBO, 1K input", "input tok/s per node", 57_674, 0.10, LMSYS, "prefill-1k", null,
                    null),
            new Target("prefill 4 nodes EP32, TBO, 2K input", "input tok/s per node", 54_543, 0.10, LMSYS, "prefill-2k", null,
                    "sustained_compute_fraction"),
            new Target("prefill 4 nodes EP32, TBO, 4K input", "input tok/s per node", 50_302, 0.10, LMSYS, "prefill-4k", null,
                    null),
            new Target("decode 9 nodes EP72, 2K input, 256 req/GPU", "output tok/s per node", 22_282, 0.10, LMSYS,
                    "decode-2k", null, null),
            // Published range +27% to +35%: the midpoint with a tolerance covering the range.
            new Target("prefill 2K: TBO on / TBO off", "throughput ratio", 1.31, 0.031, LMSYS, "prefill-2k",
                    "prefill-2k-tbo-off", null),
            new Target("prefill 2K: EPLB on / off", "throughput ratio", 1.49, 0.10, LMSYS, "prefill-2k", "prefill-2k-no-eplb",
                    SIGMAS),
            new Target("decode 2K: EPLB on / off", "throughput ratio", 2.54, 0.10, LMSYS, "decode-2k", "decode-2k-no-eplb",
                    SIGMAS));

    private Calibration() {
    }

    /** Runs every calibration scenario once and compares with each target. */
    public static List<Result> run(Path scenarioDir) {
        Map<String, Double> figure = new LinkedHashMap<>();
        for (Target t : TARGETS) {
            for (String name : t.ratio() ? List.of(t.numerator(), t.denominator()) : List.of(t.numerator())) {
                figure.computeIfAbsent(name, n -> simulate(scenarioDir.resolve(n + ".yaml")));
            }
        }
        return TARGETS.stream().map(t -> new Result(t, t.ratio()
                ? figure.get(t.numerator()) / figure.get(t.denominator()) : figure.get(t.numerator()))).toList();
    }

    /** Input tokens per prefill node for a prefill setup, output tokens per decode node for a decode-only one. */
    private static double simulate(Path file) {
        RunResult r = ServingSimulation.run(ScenarioLoader.load(file), ReplayOptions.DEFAULT, RequestSink.NONE, null);
        ToDoubleFunction<RunResult> f = r.prefillNodes() > 0 ? RunResult::inputTokensPerSPerNode
                : RunResult::outputTokensPerSPerNode;
        return f.applyAsDouble(r);
    }
}

package dev.pdsim.experiment;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.cost.RooflineCostModel;
import dev.pdsim.metadata.MetadataStrategies;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.serving.ForwardResult;
import dev.pdsim.serving.IterationProbe;
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
    /** SGLang's DeepSeek page at the release commit: MTP's decoding speed-up on H200 TP8. */
    public static final String SGLANG_MTP_DOC = "SGLang docs/references/deepseek.md:153 (69183f8)";

    /** What is measured on a target's scenarios. */
    public enum Figure {
        /** Input tokens/s per prefill node for a prefill setup, output tokens/s per decode node for a decode-only one. */
        THROUGHPUT,
        /** Milliseconds of one DeepEP dispatch per MoE layer and micro-batch, at the scenario's decode batch. */
        DECODE_DISPATCH_MS,
        /** Decode steps per second of one forward pass at the target's batch per GPU (a ratio of two gives a gain). */
        DECODE_STEPS_PER_S,
        /** Output tokens per second a user sees while decoding, 1000 / the mean TPOT in ms, over a replay. */
        USER_DECODE_TOKENS_PER_S
    }

    /**
     * What a row was measured on: requests (decode) or tokens (prefill) per GPU in a forward pass,
     * cached tokens each decoding request attends to (the prompt for prefill), expert placement,
     * and whether MTP speculative decoding runs on it.
     */
    public record Setup(String phase, int batchPerGpu, int kvLength, String routing, boolean mtp) {
    }

    /**
     * One published figure. {@code numerator}/{@code denominator} name scenarios; a ratio target
     * divides the two runs' figures. {@code fittedBy} names the hardware.yaml constants fitted to
     * this figure (null: the figure is a prediction of the model, nothing was fitted to it).
     * {@code publishedRange}: the publication gives a range, {@code published} +/- the tolerance.
     */
    public record Target(String setup, String metric, double published, double tolerance, String source,
                         String numerator, String denominator, String fittedBy, Figure figure, boolean publishedRange,
                         int batchPerGpu) {
        Target(String setup, String metric, double published, double tolerance, String source, String numerator,
               String denominator, String fittedBy, Figure figure, boolean publishedRange) {
            this(setup, metric, published, tolerance, source, numerator, denominator, fittedBy, figure, publishedRange, 0);
        }

        static Target of(String setup, String metric, double published, String numerator, String fittedBy) {
            return new Target(setup, metric, published, 0.10, LMSYS, numerator, null, fittedBy, Figure.THROUGHPUT, false);
        }

        static Target ratio(String setup, double published, String numerator, String denominator, String fittedBy) {
            return new Target(setup, "throughput ratio", published, 0.10, LMSYS, numerator, denominator, fittedBy,
                    Figure.THROUGHPUT, false);
        }

        /** A figure pdsim predicts where no published one is known to it: shown, not judged. */
        static Target prediction(String setup, String metric, String numerator, String denominator, Figure figure,
                                 int batchPerGpu) {
            return new Target(setup, metric, Double.NaN, 0, "no published figure", numerator, denominator, null, figure,
                    false, batchPerGpu);
        }

        public boolean ratio() {
            return denominator != null;
        }

        public boolean hasPublished() {
            return !Double.isNaN(published);
        }

        /** "prediction", or "fit: " and the constants fitted to this figure. */
        public String role() {
            return fittedBy == null ? "prediction" : "fit: " + fittedBy;
        }
    }

    public record Result(Target target, double simulated, Setup setup) {
        /** NaN for a row without a published figure. */
        public double errorPercent() {
            return 100 * (simulated - target.published()) / target.published();
        }

        /** True for a row without a published figure: nothing to miss. */
        public boolean withinTolerance() {
            return !target.hasPublished() || Math.abs(simulated - target.published()) <= target.tolerance() * target.published();
        }
    }

    private static final String SIGMAS = "expert_popularity_sigma, expert_drift_sigma";
    /** Per-GPU decode batches of the TBO decode gain rows. */
    private static final int[] TBO_GAIN_BATCHES = {32, 64, 128, 256};

    public static final List<Target> TARGETS = List.of(
            Target.of("prefill 4 nodes EP32, TBO, 1K input", "input tok/s per node", 57_674, "prefill-1k", null),
            Target.of("prefill 4 nodes EP32, TBO, 2K input", "input tok/s per node", 54_543, "prefill-2k",
                    "sustained_compute_fraction"),
            Target.of("prefill 4 nodes EP32, TBO, 4K input", "input tok/s per node", 50_302, "prefill-4k", null),
            Target.of("decode 9 nodes EP72, 2K input, 256 req/GPU", "output tok/s per node", 22_282, "decode-2k", null),
            // Published as +27% to +35%: the midpoint with a tolerance covering the range.
            new Target("prefill 2K: TBO on / TBO off", "throughput ratio", 1.31, 0.031, LMSYS, "prefill-2k",
                    "prefill-2k-tbo-off", null, Figure.THROUGHPUT, true),
            Target.ratio("prefill 2K: EPLB on / off", 1.49, "prefill-2k", "prefill-2k-no-eplb", SIGMAS),
            Target.ratio("decode 2K: EPLB on / off", 2.54, "decode-2k", "decode-2k-no-eplb", SIGMAS),
            new Target("decode EP72: DeepEP dispatch per layer", "ms per micro-batch", 0.17, 0.10, LMSYS, "decode-2k",
                    null, null, Figure.DECODE_DISPATCH_MS, false),
            tboDecodeGain(TBO_GAIN_BATCHES[0]), tboDecodeGain(TBO_GAIN_BATCHES[1]), tboDecodeGain(TBO_GAIN_BATCHES[2]),
            tboDecodeGain(TBO_GAIN_BATCHES[3]), mtpSpeedup(1, 1.8), mtpSpeedup(32, 1.5));

    /**
     * MTP's decoding speed-up at {@code batch} requests on one H200 TP8 server, as SGLang's DeepSeek
     * page states it (no range, no lengths, no MTP parameters given: the scenarios say what they assume).
     * A prediction: nothing is fitted to it.
     */
    private static Target mtpSpeedup(int batch, double published) {
        return new Target("decode H200 TP8, " + batch + " req: MTP on / off", "decode speed ratio", published, 0.10,
                SGLANG_MTP_DOC, "decode-h200-tp8-mtp-bs" + batch, "decode-h200-tp8-bs" + batch, null,
                Figure.USER_DECODE_TOKENS_PER_S, false);
    }

    /** Decode steps per second with TBO over without, on the LMSYS decode layout at {@code batch} requests per GPU. */
    private static Target tboDecodeGain(int batch) {
        return Target.prediction("decode EP72: TBO on / off at " + batch + " req/GPU", "step rate ratio", "decode-2k",
                "decode-2k-tbo-off", Figure.DECODE_STEPS_PER_S, batch);
    }

    private Calibration() {
    }

    /** Runs every calibration scenario once and compares with each target. */
    public static List<Result> run(Path scenarioDir) {
        return run(scenarioDir, name -> { });
    }

    /** One figure measured on one scenario at a batch per GPU (0: the scenario's); several targets share it. */
    private record Measurement(Figure figure, String scenario, int batchPerGpu) {
    }

    /** The same, telling {@code progress} the name of each scenario before it runs. */
    public static List<Result> run(Path scenarioDir, java.util.function.Consumer<String> progress) {
        Map<Measurement, Double> measured = new LinkedHashMap<>();
        for (Target t : TARGETS) {
            for (String name : t.ratio() ? List.of(t.numerator(), t.denominator()) : List.of(t.numerator())) {
                measured.computeIfAbsent(new Measurement(t.figure(), name, t.batchPerGpu()), m -> {
                    progress.accept(name);
                    return measure(t.figure(), scenarioDir.resolve(name + ".yaml"), t.batchPerGpu());
                });
            }
        }
        return TARGETS.stream().map(t -> {
            double numerator = measured.get(new Measurement(t.figure(), t.numerator(), t.batchPerGpu()));
            double simulated = t.ratio()
                    ? numerator / measured.get(new Measurement(t.figure(), t.denominator(), t.batchPerGpu())) : numerator;
            Setup setup = setupOf(ScenarioLoader.load(scenarioDir.resolve(t.numerator() + ".yaml")), t);
            if (t.ratio()) {
                Setup other = setupOf(ScenarioLoader.load(scenarioDir.resolve(t.denominator() + ".yaml")), t);
                if (!other.routing().equals(setup.routing())) {
                    setup = new Setup(setup.phase(), setup.batchPerGpu(), setup.kvLength(),
                            setup.routing() + " / " + other.routing(), setup.mtp());
                }
            }
            return new Result(t, simulated, setup);
        }).toList();
    }

    /** The setup a row's (numerator) scenario runs: its first serving instance's batch and context per GPU. */
    static Setup setupOf(Scenario scenario, Target t) {
        InstanceTopology first = InstanceTopology.deriveAll(scenario).get(0);
        String routing = first.args().enableEplb() ? "EPLB"
                : first.args().balancedExpertPlacement() ? "given placement" : "trivial placement";
        boolean mtp = first.args().speculative() != null;
        if (first.role() == Role.PREFILL) {
            int chunk = first.args().chunkedPrefillSize() > 0 ? first.args().chunkedPrefillSize() : Integer.MAX_VALUE;
            return new Setup("prefill", Math.min(chunk, first.args().maxPrefillTokens()),
                    scenario.workload().inputLen().max(), routing, mtp);
        }
        int batch = t.batchPerGpu() > 0 ? t.batchPerGpu() : IterationProbe.decodeRequestsPerRank(scenario, first);
        return new Setup("decode", batch, IterationProbe.decodeContext(scenario), routing, mtp);
    }

    private static double measure(Figure figure, Path file, int batchPerGpu) {
        Scenario scenario = ScenarioLoader.load(file);
        return switch (figure) {
            case THROUGHPUT -> {
                RunResult r = ServingSimulation.run(scenario, ReplayOptions.DEFAULT, RequestSink.NONE, null);
                ToDoubleFunction<RunResult> f = r.prefillNodes() > 0 ? RunResult::inputTokensPerSPerNode
                        : RunResult::outputTokensPerSPerNode;
                yield f.applyAsDouble(r);
            }
            case DECODE_DISPATCH_MS -> decodeDispatchMs(scenario);
            case DECODE_STEPS_PER_S -> decodeStepsPerS(scenario, batchPerGpu);
            case USER_DECODE_TOKENS_PER_S -> 1e3 / ServingSimulation.run(scenario, ReplayOptions.DEFAULT, RequestSink.NONE,
                    null).latency().tpot().mean();
        };
    }

    /** One decode forward pass of the first decode instance at {@code perRank} requests per DP rank (one GPU each). */
    private static double decodeStepsPerS(Scenario scenario, int perRank) {
        InstanceTopology t = InstanceTopology.deriveAll(scenario).stream().filter(i -> i.role() == Role.DECODE)
                .findFirst().orElseThrow();
        InstanceCostModel cost = new RooflineCostModel(scenario.model(), scenario.hardware()).forInstance(t);
        ForwardResult r = IterationProbe.decode(t, cost, MetadataStrategies.of(scenario.strategy()), perRank,
                IterationProbe.decodeContext(scenario), cost.expertImbalanceMean((long) perRank * t.dpSize()));
        return 1e9 / r.durationNs();
    }

    /**
     * One iteration of the first decode instance with every DP rank at its share of the workload's
     * concurrency: the mean DeepEP dispatch span of its MoE layers (per TBO child when TBO runs).
     */
    private static double decodeDispatchMs(Scenario scenario) {
        InstanceTopology t = InstanceTopology.deriveAll(scenario).stream().filter(i -> i.role() == Role.DECODE)
                .findFirst().orElseThrow();
        InstanceCostModel cost = new RooflineCostModel(scenario.model(), scenario.hardware()).forInstance(t);
        int perRank = IterationProbe.decodeRequestsPerRank(scenario, t);
        ForwardResult r = IterationProbe.decode(t, cost, MetadataStrategies.of(scenario.strategy()),
                perRank, IterationProbe.decodeContext(scenario), cost.expertImbalanceMean((long) perRank * t.dpSize()));
        return r.spans().stream().filter(s -> s.stage() == LayerStage.DISPATCH_A)
                .mapToLong(s -> s.endNs() - s.startNs()).average().orElse(0) / 1e6;
    }
}

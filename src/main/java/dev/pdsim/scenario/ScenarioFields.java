package dev.pdsim.scenario;

import dev.pdsim.model.ExpertRouting;
import dev.pdsim.scenario.yaml.MappingReader;
import dev.pdsim.scenario.yaml.YamlNode;
import dev.pdsim.scenario.yaml.YamlNumbers;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a scenario file that have a default or bounds, declared once for the loader and
 * the schema (and the sweep loader's axes). The server flags declare theirs in {@link ServerFlags}.
 */
public final class ScenarioFields {
    /** Longest prompt or output, in tokens: far above any context length, so only typos hit it. */
    public static final int MAX_TOKENS = 1 << 22;

    static final IntegerField SEED = new IntegerField("seed", 1, 0, Long.MAX_VALUE,
            "Seed of every random stream of the run.");
    static final String MODEL = "deepseek-v3";
    static final String HARDWARE = "h100";
    static final ExpertRouting ROUTING = ExpertRouting.SKEWED;
    static final RouterPolicy ROUTER = RouterPolicy.ROUND_ROBIN;
    static final IntegerField ROUTER_RETRIES = new IntegerField("retries", 0, 0, 100,
            "Times the router sends a request that failed to another live prefill/decode pair, from scratch, before"
                    + " it ends aborted; 0 (the default) is SGLang's mini load balancer, which never retries.");
    static final Strategy STRATEGY = Strategy.BUGGY;
    public static final DecimalField DURATION = new DecimalField("duration_s", 600.0, 0.001, 30 * 24 * 3600.0,
            "Simulated seconds of user traffic.");

    public static final IntegerField COUNT = new IntegerField("count", 1, 1, 1024, "Identical instances of this kind.");
    static final IntegerField GPUS_PER_NODE = new IntegerField("gpus_per_node", 8, 1, 16, "GPUs per node.");

    static final WorkloadType WORKLOAD_TYPE = WorkloadType.POISSON;
    public static final DecimalField RATE = new DecimalField("rate", 4.0, 1e-6, 1e7, "Requests per second (poisson).");
    public static final IntegerField CONCURRENCY = new IntegerField("concurrency", 64, 1, 10_000_000,
            "Requests in flight (concurrency).");
    static final IntegerField MAX_REQUESTS = new IntegerField("max_requests", 0, 0, 1_000_000_000_000L,
            "Stop after this many requests (0 = run for duration_s).");
    static final int INPUT_LEN = 1024;
    static final int OUTPUT_LEN = 256;
    static final LengthDistribution DISTRIBUTION = LengthDistribution.FIXED;
    static final DecimalField SIGMA = new DecimalField("sigma", 0.5, 0.0, 5.0, "Log-normal shape.");

    static final TraceFormat TRACE_FORMAT = TraceFormat.MOONCAKE;
    static final DecimalField SPEEDUP = new DecimalField("speedup", 1.0, 1e-6, 1e6,
            "Trace arrival offsets are divided by this (2 replays the trace twice as fast).");
    static final boolean LOOP = false;
    /** Required when a prefix is given: no default. */
    static final IntegerField PREFIX_GROUPS = new IntegerField("groups", 0, 1, 1_000_000,
            "Distinct shared prefixes; each request starts with one of them, drawn from a seeded stream.");
    /** Required when a prefix is given: no default. */
    static final IntegerField PREFIX_LENGTH = new IntegerField("length", 0, 1, MAX_TOKENS,
            "Tokens of each shared prefix; every prompt must be longer.");
    /** The bounds an {@code slo:} block may give, in milliseconds, each optional. */
    public static final List<DecimalField> SLO = List.of(
            new DecimalField("ttft_ms", Double.POSITIVE_INFINITY, 0.001, 1e9, "Time to first token, ms."),
            new DecimalField("tpot_ms", Double.POSITIVE_INFINITY, 0.001, 1e9,
                    "Time per output token after the first, (e2e - ttft) / (output_len - 1), ms."),
            new DecimalField("itl_ms", Double.POSITIVE_INFINITY, 0.001, 1e9,
                    "Every gap between two tokens of a request, ms."));

    /** Fields of the faults; {@code at_s} is required. */
    static final DecimalField FAULT_AT = new DecimalField("at_s", 0.0, 0.0, 30 * 24 * 3600.0,
            "Simulated seconds from the start of the run (warmup included) when the fault happens.");
    static final IntegerField FAULT_NODE = new IntegerField("node", 0, 0, 1023,
            "Node of the instance that is lost, from 0.");

    /** Transfers a {@code kv_transfer_failure} fails; required. */
    static final IntegerField FAULT_COUNT = new IntegerField("count", 1, 1, 1_000_000_000L,
            "KV transfers that fail, the next ones to complete from at_s on.");

    /** Fields of a {@code straggler}; all but {@code rank} required. */
    static final IntegerField FAULT_RANK = new IntegerField("rank", 0, 0, 16383, "TP rank (GPU) of the instance, from 0.");
    static final DecimalField FAULT_FROM = new DecimalField("from_s", 0.0, 0.0, 30 * 24 * 3600.0,
            "Simulated seconds from the start of the run (warmup included) when the GPU turns slow.");
    static final DecimalField FAULT_TO = new DecimalField("to_s", 0.0, 0.0, 30 * 24 * 3600.0,
            "Simulated seconds when the GPU is back to its speed; after from_s.");
    static final DecimalField FAULT_SLOWDOWN = new DecimalField("slowdown", 1.0, 1.0, 1000.0,
            "How many times longer the GPU's work takes in the window.");

    /** Share of its bandwidth a {@code degraded_link} keeps; required. */
    static final DecimalField FAULT_BANDWIDTH_FACTOR = new DecimalField("bandwidth_factor", 1.0, 0.001, 1.0,
            "Share of the link's bandwidth left in the window (0.25: a transfer takes 4x as long).");

    /** The block of acceptance figures for servers that run speculative decoding. */
    public static final String SPECULATIVE = "speculative";
    /** One probability, or one per draft position; see {@link SpeculativeAcceptance}. */
    public static final String ACCEPTANCE = "acceptance";
    static final int MAX_ACCEPTANCE_POSITIONS = 64;

    private ScenarioFields() {
    }

    /**
     * A {@code speculative:} block ({@link SpeculativeAcceptance#DEFAULT} when absent):
     * {@code acceptance} is one probability for every draft position or a list, one per position.
     */
    public static SpeculativeAcceptance readAcceptance(MappingReader r) {
        if (r == null) {
            return SpeculativeAcceptance.DEFAULT;
        }
        YamlNode n = r.node(ACCEPTANCE);
        List<Double> values = new ArrayList<>();
        if (n instanceof YamlNode.Sequence seq) {
            if (seq.items().isEmpty() || seq.items().size() > MAX_ACCEPTANCE_POSITIONS) {
                r.problems().add(n.where(), r.field(ACCEPTANCE) + " must list 1.." + MAX_ACCEPTANCE_POSITIONS
                        + " probabilities, got " + seq.items().size());
            }
            for (YamlNode item : seq.items()) {
                values.add(probability(r, item));
            }
        } else if (n != null) {
            values.add(probability(r, n));
        }
        r.finish();
        return values.isEmpty() || values.contains(null) ? SpeculativeAcceptance.DEFAULT
                : new SpeculativeAcceptance(values);
    }

    /** A probability 0..1, or null with a problem. */
    private static Double probability(MappingReader r, YamlNode n) {
        if (n instanceof YamlNode.Scalar s
                && (s.type() == YamlNode.ScalarType.INTEGER || s.type() == YamlNode.ScalarType.DECIMAL)) {
            try {
                double v = YamlNumbers.decimal(s.text());
                if (v >= 0 && v <= 1) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below with the accepted range
            }
        }
        r.problems().add(n.where(), r.field(ACCEPTANCE) + " must be a probability 0..1 (or a list of them, one per "
                + "draft position), got " + (n instanceof YamlNode.Scalar s ? s.text() : n.kind()));
        return null;
    }

    /** An {@code slo:} block of a scenario or a sweep; unknown keys and bad values are problems of {@code r}. */
    public static Slo readSlo(MappingReader r) {
        Slo slo = new Slo(SLO.get(0).read(r), SLO.get(1).read(r), SLO.get(2).read(r));
        r.finish();
        return slo;
    }

    /** A whole-number field: absent means {@code fallback}; outside {@code min..max} is a problem. */
    public record IntegerField(String key, long fallback, long min, long max, String description) {
        long read(MappingReader r) {
            return r.integer(key, fallback, min, max);
        }
    }

    /** A number field: absent means {@code fallback}; outside {@code min..max} is a problem. */
    public record DecimalField(String key, double fallback, double min, double max, String description) {
        double read(MappingReader r) {
            return r.decimal(key, fallback, min, max);
        }
    }
}

package dev.pdsim.scenario;

import dev.pdsim.model.ExpertRouting;
import dev.pdsim.scenario.yaml.MappingReader;

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

    private ScenarioFields() {
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

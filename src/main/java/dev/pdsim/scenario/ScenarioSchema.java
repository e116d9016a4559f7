package dev.pdsim.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.ModelSpec;

/**
 * The JSON Schema of scenario files, generated from the same catalogue the loader reads
 * ({@link ServerFlags}), so editors validate exactly what pdsim accepts. The copy committed at
 * {@code scenarios/scenario.schema.json} is checked against this by a test.
 */
public final class ScenarioSchema {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ScenarioSchema() {
    }

    public static String render() {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("title", "pdsim scenario");
        root.put("type", "object");
        root.put("additionalProperties", false);
        root.putArray("required").add("instances");
        ObjectNode props = root.putObject("properties");
        text(props, "name", "Scenario name; defaults to the file name.");
        text(props, "description", "Free text shown by explain.");
        integer(props, "seed", "Seed of every random stream of the run.", 0, Long.MAX_VALUE);
        choice(props, "model", "Model architecture.", ModelSpec.names().toArray(String[]::new));
        choice(props, "hardware", "GPU profile.", HardwareProfile.names().toArray(String[]::new));
        choice(props, "router", "How the router picks a prefill/decode pair.", Scenario.ROUTERS.toArray(String[]::new));
        choice(props, "strategy", "Metadata initialisation of TBO child batches.", Scenario.STRATEGIES.toArray(String[]::new));
        number(props, "duration_s", "Simulated seconds of user traffic.", 0.001, 30 * 24 * 3600.0);
        props.set("workload", workload());
        ObjectNode instances = props.putObject("instances");
        instances.put("type", "array");
        instances.put("minItems", 2);
        instances.set("items", instance());
        return JSON.valueToTree(root).toPrettyString() + "\n";
    }

    private static ObjectNode instance() {
        ObjectNode inst = JSON.createObjectNode();
        inst.put("type", "object");
        inst.put("additionalProperties", false);
        inst.putArray("required").add("role");
        ObjectNode p = inst.putObject("properties");
        choice(p, "role", "prefill or decode.", "prefill", "decode");
        integer(p, "count", "Identical instances of this kind.", 1, 1024);
        integer(p, "gpus_per_node", "GPUs per node (default 8).", 1, 16);
        text(p, "launch", "The raw 'python3 -m sglang.launch_server ...' line, env prefixes and continuations allowed.");
        for (ServerFlag f : ServerFlags.all()) {
            String help = "--" + f.name() + ": " + f.help();
            switch (f.type()) {
                case BOOLEAN -> p.putObject(f.fieldName()).put("type", "boolean").put("description", help);
                case INTEGER -> integer(p, f.fieldName(), help, (long) f.min(), (long) f.max());
                case DECIMAL -> number(p, f.fieldName(), help, f.min(), f.max());
                case CHOICE -> choice(p, f.fieldName(), help, f.choices().toArray(String[]::new));
                case TEXT -> text(p, f.fieldName(), help);
            }
        }
        return inst;
    }

    private static ObjectNode workload() {
        ObjectNode w = JSON.createObjectNode();
        w.put("type", "object");
        w.put("additionalProperties", false);
        ObjectNode p = w.putObject("properties");
        choice(p, "type", "poisson: open loop at 'rate'; concurrency: closed loop.", WorkloadSpec.TYPES.toArray(String[]::new));
        number(p, "rate", "Requests per second (poisson).", 1e-6, 1e7);
        integer(p, "concurrency", "Requests in flight (concurrency).", 1, 10_000_000);
        integer(p, "max_requests", "Stop after this many requests (0 = run for duration_s).", 0, 1_000_000_000_000L);
        p.set("input_len", length("Prompt tokens."));
        p.set("output_len", length("Generated tokens."));
        return w;
    }

    private static ObjectNode length(String description) {
        ObjectNode l = JSON.createObjectNode();
        l.put("description", description + " A number, or {distribution: uniform|lognormal|fixed, ...}.");
        ArrayNode any = l.putArray("oneOf");
        any.addObject().put("type", "integer").put("minimum", 1);
        ObjectNode dist = any.addObject();
        dist.put("type", "object");
        dist.put("additionalProperties", false);
        ObjectNode p = dist.putObject("properties");
        choice(p, "distribution", "Shape of the distribution.", "fixed", "uniform", "lognormal");
        for (String k : new String[] {"tokens", "min", "max", "median"}) {
            integer(p, k, k, 1, 1 << 22);
        }
        number(p, "sigma", "Log-normal shape.", 0, 5);
        return l;
    }

    private static void text(ObjectNode props, String name, String description) {
        props.putObject(name).put("type", "string").put("description", description);
    }

    private static void integer(ObjectNode props, String name, String description, long min, long max) {
        props.putObject(name).put("type", "integer").put("minimum", min).put("maximum", max).put("description", description);
    }

    private static void number(ObjectNode props, String name, String description, double min, double max) {
        props.putObject(name).put("type", "number").put("minimum", min).put("maximum", max).put("description", description);
    }

    private static void choice(ObjectNode props, String name, String description, String... values) {
        ObjectNode n = props.putObject(name);
        n.put("description", description);
        ArrayNode e = n.putArray("enum");
        for (String v : values) {
            e.add(v);
        }
    }
}

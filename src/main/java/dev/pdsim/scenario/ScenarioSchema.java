package dev.pdsim.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.model.ExpertRouting;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.ModelSpec;
import java.util.List;

/**
 * The JSON Schema of scenario files, generated from the same declarations the loader reads
 * ({@link ScenarioFields}, {@link ServerFlags} and the {@link NamedChoice} enums), so editors
 * validate exactly what pdsim accepts and show the same defaults. The copy committed at
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
        integer(props, ScenarioFields.SEED);
        props.set("model", model());
        choice(props, "hardware", "GPU profile.", ScenarioFields.HARDWARE, HardwareProfile.names());
        choice(props, "routing", "How tokens spread over the experts: skewed (DeepSeek-V3 on real text) or balanced "
                + "(benchmark-style, every expert equally likely).", ScenarioFields.ROUTING.yamlName(), ExpertRouting.names());
        props.set("router", router());
        choice(props, "strategy", "Metadata initialisation of TBO child batches.", ScenarioFields.STRATEGY);
        number(props, ScenarioFields.DURATION);
        ObjectNode vars = props.putObject("vars");
        vars.put("type", "object");
        vars.put("description", "Values of the shell variables that launch blocks use ($NNODES, ${NNODES}).");
        vars.putObject("propertyNames").put("pattern", "^[A-Za-z_][A-Za-z0-9_]*$");
        vars.putObject("additionalProperties").putArray("type").add("string").add("number").add("boolean");
        props.set("workload", workload());
        ObjectNode slo = props.putObject("slo");
        slo.put("type", "object");
        slo.put("additionalProperties", false);
        slo.put("description", "Service-level objective that defines goodput: a finished request is good when it is "
                + "within every bound given.");
        ObjectNode sloProps = slo.putObject("properties");
        for (ScenarioFields.DecimalField f : ScenarioFields.SLO) {
            number(sloProps, f.key(), f.min(), f.max()).put("description", f.description());
        }
        props.set(ScenarioFields.SPECULATIVE, speculative());
        props.set(FaultsReader.KEY, faults());
        ObjectNode instances = props.putObject("instances");
        instances.put("type", "array");
        instances.put("minItems", 2);
        instances.set("items", instance());
        return JSON.valueToTree(root).toPrettyString() + "\n";
    }

    private static ObjectNode speculative() {
        ObjectNode block = JSON.createObjectNode();
        block.put("type", "object");
        block.put("additionalProperties", false);
        block.put("description", "How often the target accepts the draft tokens of servers launched with "
                + "--speculative-algorithm EAGLE or NEXTN (DeepSeek's MTP layer).");
        ObjectNode acceptance = block.putObject("properties").putObject(ScenarioFields.ACCEPTANCE);
        acceptance.put("description", "Chance that a draft token is accepted given all before it were: one value for "
                + "every position, or a list, one per position (later positions take the last). Default "
                + SpeculativeAcceptance.DEFAULT.probabilities().get(0) + ".");
        ArrayNode oneOf = acceptance.putArray("oneOf");
        oneOf.addObject().put("type", "number").put("minimum", 0).put("maximum", 1);
        ObjectNode list = oneOf.addObject().put("type", "array").put("minItems", 1)
                .put("maxItems", ScenarioFields.MAX_ACCEPTANCE_POSITIONS);
        list.putObject("items").put("type", "number").put("minimum", 0).put("maximum", 1);
        return block;
    }

    private static ObjectNode faults() {
        ObjectNode list = JSON.createObjectNode();
        list.put("type", "array");
        list.put("description", "Faults injected into the run, each one kind with its fields.");
        ObjectNode item = list.putObject("items");
        item.put("type", "object");
        item.put("additionalProperties", false);
        item.put("minProperties", 1);
        item.put("maxProperties", 1);
        ObjectNode kinds = item.putObject("properties");
        ObjectNode lost = faultKind(kinds, FaultsReader.NODE_LOST, "A node of an instance is lost: the whole instance"
                + " stops and the requests it holds end aborted.");
        lost.putArray("required").add("instance").add(ScenarioFields.FAULT_AT.key());
        ObjectNode p = lost.putObject("properties");
        p.putObject("instance").put("type", "string").put("description", "Instance as the run names it: prefill-0, decode-1, ...");
        integer(p, ScenarioFields.FAULT_NODE);
        ScenarioFields.DecimalField at = ScenarioFields.FAULT_AT;
        number(p, at.key(), at.min(), at.max()).put("description", at.description());
        ObjectNode kv = faultKind(kinds, FaultsReader.KV_TRANSFER_FAILURE,
                "KV transfers fail: both sides release the KV and the request ends aborted.");
        kv.putArray("required").add(at.key()).add(ScenarioFields.FAULT_COUNT.key());
        ObjectNode kp = kv.putObject("properties");
        number(kp, at.key(), at.min(), at.max()).put("description", at.description());
        ScenarioFields.IntegerField c = ScenarioFields.FAULT_COUNT;
        integer(kp, c.key(), c.min(), c.max()).put("description", c.description());
        ObjectNode slow = faultKind(kinds, FaultsReader.STRAGGLER,
                "One GPU of an instance computes slower for a window; its lock-step forwards wait for it.");
        slow.putArray("required").add("instance").add(ScenarioFields.FAULT_FROM.key()).add(ScenarioFields.FAULT_TO.key())
                .add(ScenarioFields.FAULT_SLOWDOWN.key());
        ObjectNode sp = slow.putObject("properties");
        sp.putObject("instance").put("type", "string").put("description", "Instance as the run names it: prefill-0, decode-1, ...");
        integer(sp, ScenarioFields.FAULT_RANK);
        for (ScenarioFields.DecimalField f : List.of(ScenarioFields.FAULT_FROM, ScenarioFields.FAULT_TO,
                ScenarioFields.FAULT_SLOWDOWN)) {
            number(sp, f.key(), f.min(), f.max()).put("description", f.description());
        }
        ObjectNode hang = faultKind(kinds, FaultsReader.COLLECTIVE_HANG, "A collective of an instance never completes:"
                + " the instance stops until its watchdog (watchdog_timeout) kills it.");
        hang.putArray("required").add("instance").add(at.key());
        ObjectNode hp = hang.putObject("properties");
        hp.putObject("instance").put("type", "string").put("description", "Instance as the run names it: prefill-0, decode-1, ...");
        number(hp, at.key(), at.min(), at.max()).put("description", at.description());
        ObjectNode link = faultKind(kinds, FaultsReader.DEGRADED_LINK, "KV transfers over a link get a share of its"
                + " bandwidth for a window.");
        link.putArray("required").add("link").add(ScenarioFields.FAULT_FROM.key()).add(ScenarioFields.FAULT_TO.key())
                .add(ScenarioFields.FAULT_BANDWIDTH_FACTOR.key());
        ObjectNode lp = link.putObject("properties");
        lp.putObject("link").put("type", "string").put("description", "kv (every KV transfer between prefill and decode"
                + " servers) or a server as the run names it (prefill-0, decode-1, ...: the transfers it sends or receives).");
        for (ScenarioFields.DecimalField f : List.of(ScenarioFields.FAULT_FROM, ScenarioFields.FAULT_TO,
                ScenarioFields.FAULT_BANDWIDTH_FACTOR)) {
            number(lp, f.key(), f.min(), f.max()).put("description", f.description());
        }
        return list;
    }

    /** One kind of fault: an object of its own fields only. */
    private static ObjectNode faultKind(ObjectNode kinds, String name, String description) {
        ObjectNode kind = kinds.putObject(name);
        kind.put("type", "object");
        kind.put("additionalProperties", false);
        kind.put("description", description);
        return kind;
    }

    private static ObjectNode instance() {
        ObjectNode inst = JSON.createObjectNode();
        inst.put("type", "object");
        inst.put("additionalProperties", false);
        ObjectNode p = inst.putObject("properties");
        choice(p, "role", "prefill, decode or colocated (one server running both); without it the launch "
                + "line's --disaggregation-mode says (none, or null: colocated).", null, NamedChoice.names(Role.class));
        integer(p, ScenarioFields.COUNT);
        integer(p, ScenarioFields.GPUS_PER_NODE);
        text(p, "launch", "The launch block as the runbook writes it: VAR=value and export lines, then one "
                + "'python3 -m sglang.launch_server ...' command (prefixes, continuations, $VARS from vars:).");
        for (ServerFlag f : ServerFlags.all()) {
            flag(p, f);
        }
        return inst;
    }

    private static void flag(ObjectNode props, ServerFlag f) {
        ObjectNode n = props.putObject(f.fieldName());
        ObjectNode value = f.arity().isList() ? n.put("type", "array").putObject("items") : n;
        switch (f.type()) {
            case BOOLEAN -> value.put("type", "boolean");
            case INTEGER -> bounds(value.put("type", "integer"), f);
            case DECIMAL -> bounds(value.put("type", "number"), f);
            case TEXT -> value.put("type", "string");
            case CHOICE -> {
            }
        }
        if (f.defaultValue() != null) {
            n.set("default", JSON.valueToTree(f.defaultValue()));
        }
        n.put("description", "--" + f.name() + " (" + f.kind().tableName() + ")" + (f.help().isEmpty() ? "" : ": " + f.help()));
        if (!f.choices().isEmpty()) {
            ArrayNode values = value.putArray("enum");
            for (String c : f.choices()) {
                values.add(f.type() == FlagType.INTEGER ? JSON.valueToTree(Long.parseLong(c)) : JSON.valueToTree(c));
            }
            f.fieldChoices().forEach(values::add);
        }
    }

    /** A number's pdsim bounds, when it has any. */
    private static void bounds(ObjectNode n, ServerFlag f) {
        boolean whole = f.type() == FlagType.INTEGER;
        if (Double.isFinite(f.min())) {
            n.set("minimum", whole ? JSON.valueToTree((long) f.min()) : JSON.valueToTree(f.min()));
        }
        if (Double.isFinite(f.max())) {
            n.set("maximum", whole ? JSON.valueToTree((long) f.max()) : JSON.valueToTree(f.max()));
        }
    }

    private static ObjectNode workload() {
        ObjectNode w = JSON.createObjectNode();
        w.put("type", "object");
        w.put("additionalProperties", false);
        ObjectNode p = w.putObject("properties");
        choice(p, "type", "poisson: open loop at 'rate'; concurrency: closed loop; trace: the requests of 'file'.",
                ScenarioFields.WORKLOAD_TYPE);
        number(p, ScenarioFields.RATE);
        integer(p, ScenarioFields.CONCURRENCY);
        integer(p, ScenarioFields.MAX_REQUESTS);
        p.set("input_len", length("Prompt tokens.", ScenarioFields.INPUT_LEN));
        p.set("output_len", length("Generated tokens.", ScenarioFields.OUTPUT_LEN));
        text(p, "file", "The trace to replay (type trace), relative to the scenario file.");
        choice(p, "format", "mooncake: JSONL with timestamp (ms), input_length, output_length, hash_ids (512-token "
                + "blocks); csv: arrival_s,input_len,output_len[,prefix_group] with that header.",
                ScenarioFields.TRACE_FORMAT);
        number(p, ScenarioFields.SPEEDUP);
        p.putObject("loop").put("type", "boolean").put("default", ScenarioFields.LOOP)
                .put("description", "Replay the trace again from its start until duration_s ends.");
        p.set("prefix", prefix());
        return w;
    }

    /** Shared prompt prefixes: groups and length for drawn traffic, length alone for a CSV trace's groups. */
    private static ObjectNode prefix() {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "object");
        n.put("additionalProperties", false);
        n.put("description", "Prompts start with one of 'groups' shared prefixes of 'length' tokens; a csv trace "
                + "names the group per line and gives only 'length'.");
        n.putArray("required").add(ScenarioFields.PREFIX_LENGTH.key());
        ObjectNode p = n.putObject("properties");
        for (ScenarioFields.IntegerField f : List.of(ScenarioFields.PREFIX_GROUPS, ScenarioFields.PREFIX_LENGTH)) {
            integer(p, f.key(), f.min(), f.max()).put("description", f.description());
        }
        return n;
    }

    /** A model name, or {config: path} to a HuggingFace config.json (HfModelConfig). */
    private static ObjectNode router() {
        ObjectNode r = JSON.createObjectNode();
        r.put("description", "How the router picks a prefill/decode pair: a policy name, or {policy: ..., retries: N}"
                + " for a router that retries failed requests.");
        r.put("default", ScenarioFields.ROUTER.yamlName());
        ArrayNode any = r.putArray("oneOf");
        List<String> policies = NamedChoice.names(RouterPolicy.class);
        policies.forEach(any.addObject().putArray("enum")::add);
        ObjectNode spec = any.addObject();
        spec.put("type", "object");
        spec.put("additionalProperties", false);
        ObjectNode p = spec.putObject("properties");
        choice(p, "policy", "How the router picks a prefill/decode pair.", ScenarioFields.ROUTER.yamlName(), policies);
        integer(p, ScenarioFields.ROUTER_RETRIES);
        return r;
    }

    private static ObjectNode model() {
        ObjectNode m = JSON.createObjectNode();
        m.put("description", "Model architecture: a name, or {config: path/to/config.json}, a HuggingFace config.json "
                + "(relative to the scenario file) of a DeepSeek-V3/V2-architecture (MLA) MoE model.");
        m.put("default", ScenarioFields.MODEL);
        ArrayNode any = m.putArray("oneOf");
        ModelSpec.names().forEach(any.addObject().putArray("enum")::add);
        ObjectNode config = any.addObject();
        config.put("type", "object");
        config.put("additionalProperties", false);
        config.putArray("required").add("config");
        config.putObject("properties").putObject("config").put("type", "string")
                .put("description", "Path of the config.json, relative to the scenario file.");
        return m;
    }

    private static ObjectNode length(String description, int fallback) {
        ObjectNode l = JSON.createObjectNode();
        l.put("description", description + " A number, or {distribution: uniform|lognormal|fixed, ...}.");
        l.put("default", fallback);
        ArrayNode any = l.putArray("oneOf");
        any.addObject().put("type", "integer").put("minimum", 1);
        ObjectNode dist = any.addObject();
        dist.put("type", "object");
        dist.put("additionalProperties", false);
        ObjectNode p = dist.putObject("properties");
        choice(p, "distribution", "Shape of the distribution.", ScenarioFields.DISTRIBUTION);
        for (String k : new String[] {"tokens", "min", "max", "median"}) {
            integer(p, k, 1, ScenarioFields.MAX_TOKENS).put("description", k);
        }
        number(p, ScenarioFields.SIGMA);
        return l;
    }

    private static void text(ObjectNode props, String name, String description) {
        props.putObject(name).put("type", "string").put("description", description);
    }

    private static void integer(ObjectNode props, ScenarioFields.IntegerField f) {
        integer(props, f.key(), f.min(), f.max()).put("default", f.fallback()).put("description", f.description());
    }

    private static ObjectNode integer(ObjectNode props, String name, long min, long max) {
        return props.putObject(name).put("type", "integer").put("minimum", min).put("maximum", max);
    }

    private static void number(ObjectNode props, ScenarioFields.DecimalField f) {
        number(props, f.key(), f.min(), f.max()).put("default", f.fallback()).put("description", f.description());
    }

    private static ObjectNode number(ObjectNode props, String name, double min, double max) {
        return props.putObject(name).put("type", "number").put("minimum", min).put("maximum", max);
    }

    private static <E extends Enum<E> & NamedChoice> void choice(ObjectNode props, String name, String description,
                                                                 E fallback) {
        choice(props, name, description, fallback.yamlName(), NamedChoice.names(fallback.getDeclaringClass()));
    }

    /** A closed set of values; {@code fallback} null when the field has no default. */
    private static void choice(ObjectNode props, String name, String description, String fallback,
                                     List<String> values) {
        ObjectNode n = props.putObject(name);
        n.put("description", description);
        if (fallback != null) {
            n.put("default", fallback);
        }
        values.forEach(n.putArray("enum")::add);
    }
}

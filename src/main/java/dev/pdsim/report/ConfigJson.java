package dev.pdsim.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.scenario.InstanceSpec;
import dev.pdsim.scenario.LengthSpec;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.Slo;
import dev.pdsim.scenario.WorkloadSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The configuration a run used, as pdsim resolved it: the scenario's settings after command-line
 * overrides and the sweep's values, and every server argument of each instance after SGLang's
 * defaults and adjustments and the strategy's launch changes (named as SGLang's {@code ServerArgs}
 * fields). Enough to tell two summaries apart without the files they came from.
 */
final class ConfigJson {
    /** Server arguments by their snake_case names, enums by their flag values ({@code low_latency}). */
    private static final ObjectMapper ARGS = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new SimpleModule().addSerializer(Enum.class, new JsonSerializer<>() {
                @Override
                public void serialize(Enum value, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeString(value.name().toLowerCase(Locale.ROOT));
                }
            }));

    private ConfigJson() {
    }

    static ObjectNode tree(Scenario s) {
        ObjectNode c = SummaryJson.JSON.createObjectNode();
        c.put("name", s.name());
        c.put("seed", s.seed());
        c.put("model", s.model().name());
        c.put("hardware", s.hardware().name());
        c.put("routing", s.model().routing().yamlName());
        c.put("router", s.router().policy().yamlName());
        if (s.router().retries() > 0) {
            c.put("router_retries", s.router().retries()); // absent for SGLang's router, which never retries
        }
        c.put("strategy", s.strategy().yamlName());
        c.put("duration_s", SummaryJson.round(s.durationS(), 6));
        c.set("workload", workload(s.workload()));
        c.set("slo", s.slo().given() ? slo(s.slo()) : SummaryJson.JSON.nullNode());
        ArrayNode instances = c.putArray("instances");
        for (InstanceSpec i : s.instances()) {
            ObjectNode n = instances.addObject();
            n.put("role", i.role().yamlName());
            n.put("count", i.count());
            n.put("gpus_per_node", i.gpusPerNode());
            ObjectNode args = plainDecimals(ARGS.valueToTree(i.args()));
            if (!i.args().enableMixedChunk()) {
                args.remove("enable_mixed_chunk"); // written only when on, as few launches turn it on
            }
            n.set("server_args", args);
        }
        return c;
    }

    /** Doubles as decimals, which the summary writes as digits ({@code 10000000}, not {@code 1.0E7}). */
    private static ObjectNode plainDecimals(ObjectNode args) {
        args.properties().forEach(e -> {
            if (e.getValue().isDouble()) {
                e.setValue(SummaryJson.JSON.getNodeFactory().numberNode(
                        BigDecimal.valueOf(e.getValue().doubleValue()).stripTrailingZeros()));
            }
        });
        return args;
    }

    /** The bounds given; an absent one is left out. */
    static ObjectNode slo(Slo slo) {
        ObjectNode n = SummaryJson.JSON.createObjectNode();
        bound(n, "ttft_ms", slo.ttftMs());
        bound(n, "tpot_ms", slo.tpotMs());
        bound(n, "itl_ms", slo.itlMs());
        return n;
    }

    private static void bound(ObjectNode n, String key, double ms) {
        if (!Double.isInfinite(ms)) {
            n.put(key, SummaryJson.round(ms, 6));
        }
    }

    private static ObjectNode workload(WorkloadSpec w) {
        ObjectNode n = SummaryJson.JSON.createObjectNode();
        n.put("type", w.type().yamlName());
        n.put("rate", SummaryJson.round(w.rate(), 6));
        n.put("concurrency", w.concurrency());
        n.set("input_len", length(w.inputLen()));
        n.set("output_len", length(w.outputLen()));
        n.put("max_requests", w.maxRequests());
        return n;
    }

    /** A length as a scenario file writes it: a number, or its distribution. */
    private static JsonNode length(LengthSpec l) {
        if (l instanceof LengthSpec.Fixed f) {
            return SummaryJson.JSON.getNodeFactory().numberNode(f.tokens());
        }
        if (l instanceof LengthSpec.Uniform u) {
            return SummaryJson.JSON.createObjectNode().put("distribution", "uniform").put("min", u.min()).put("max", u.max());
        }
        LengthSpec.LogNormal g = (LengthSpec.LogNormal) l;
        return SummaryJson.JSON.createObjectNode().put("distribution", "lognormal").put("median", g.median())
                .put("sigma", g.sigma()).put("min", g.min()).put("max", g.max());
    }
}

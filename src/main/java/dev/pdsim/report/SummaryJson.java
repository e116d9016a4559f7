package dev.pdsim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.metrics.Percentiles;
import dev.pdsim.serving.FailurePhase;
import dev.pdsim.serving.FailureReport;
import dev.pdsim.serving.RunResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * summary.json of a replay, with exactly the fields of the design's output contract (and the
 * launch's {@code warnings}: flags that change SGLang but are not simulated), in a fixed
 * order and with fixed decimals, so the same scenario and seed give the same bytes.
 */
public final class SummaryJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {
    }

    /** The summary of a run of a scenario whose launch has {@code warnings} (what the results exclude). */
    public static ObjectNode tree(RunResult r, List<String> warnings) {
        ObjectNode root = JSON.createObjectNode();
        root.put("scenario", r.scenario());
        root.put("strategy", r.strategy());
        root.put("seed", r.seed());
        root.put("outcome", r.outcome().label());
        FailureReport f = r.failure();
        if (f == null) {
            root.putNull("crash");
        } else {
            ObjectNode c = root.putObject("crash");
            c.put("time_s", round(f.timeS(), 9));
            c.put("phase", f.phase().label());
            if (f.phase() == FailurePhase.CUDA_GRAPH_CAPTURE) {
                c.put("capture_batch_size", f.captureBatchSize());
            } else {
                c.putNull("capture_batch_size");
            }
            c.put("instance", f.instance());
            ArrayNode ranks = c.putArray("ranks");
            f.ranks().forEach(ranks::add);
            c.put("layer", f.layer());
            c.put("operation", f.operation());
            c.put("error", f.error());
            ArrayNode path = c.putArray("call_path");
            f.callPath().forEach(path::add);
        }
        ObjectNode req = root.putObject("requests");
        req.put("submitted", r.submitted());
        req.put("finished", r.finished());
        req.put("aborted", r.aborted());
        root.put("corrupted_tokens", r.corruptedTokens());
        ObjectNode tp = root.putObject("throughput");
        tp.put("input_tokens_per_s_per_node", round(r.inputTokensPerSPerNode(), 3));
        tp.put("output_tokens_per_s_per_node", round(r.outputTokensPerSPerNode(), 3));
        ObjectNode lat = root.putObject("latency_ms");
        percentiles(lat.putObject("ttft"), r.ttft());
        percentiles(lat.putObject("itl"), r.itl());
        percentiles(lat.putObject("e2e"), r.e2e());
        root.putObject("engine").put("events", r.events());
        ArrayNode w = root.putArray("warnings");
        warnings.forEach(w::add);
        PrefixCacheReport.putJson(root, r.prefixCache());
        return root;
    }

    public static String render(RunResult r, List<String> warnings) {
        return tree(r, warnings).toPrettyString() + "\n";
    }

    private static void percentiles(ObjectNode n, Percentiles p) {
        n.put("p50", round(p.p50(), 3));
        n.put("p90", round(p.p90(), 3));
        n.put("p99", round(p.p99(), 3));
    }

    static BigDecimal round(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }
}

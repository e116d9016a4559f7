package dev.pdsim.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.metrics.LatencySummary;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.serving.FailurePhase;
import dev.pdsim.serving.FailureReport;
import dev.pdsim.serving.RunResult;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * summary.json of a replay, in a fixed order and with fixed decimals, so the same scenario and seed
 * give the same bytes: the design's output contract ({@code scenario} ... {@code engine}), the
 * launch's {@code warnings} (flags that change SGLang but are not simulated), bench_serving's
 * figures ({@code bench_serving}, and {@code mean} and {@code tpot} in {@code latency_ms}), the
 * version of pdsim and the resolved configuration the run used ({@code config}). A figure nothing
 * measured (the latency of a run in which no request finished, goodput without an SLO) is null.
 */
public final class SummaryJson {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Indented, and decimals as digits ({@code 4120}, never {@code 4.12E+3}). */
    private static final ObjectWriter WRITER = JSON.writer().with(SerializationFeature.INDENT_OUTPUT)
            .with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private SummaryJson() {
    }

    /** The summary of a run of {@code scenario} (as run: its strategy and seed are the result's). */
    public static ObjectNode tree(RunResult r, Scenario scenario) {
        ObjectNode root = JSON.createObjectNode();
        root.put("pdsim_version", PdsimVersion.get());
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
        req.put("unfinished", r.unfinished());
        if (scenario.router().retries() > 0) {
            req.put("retries", r.retries()); // apart: a retried request is counted once above, by how it ended
        }
        root.put("corrupted_tokens", r.corruptedTokens());
        ObjectNode tp = root.putObject("throughput");
        tp.put("input_tokens_per_s_per_node", round(r.inputTokensPerSPerNode(), 3));
        tp.put("output_tokens_per_s_per_node", round(r.outputTokensPerSPerNode(), 3));
        ObjectNode lat = root.putObject("latency_ms");
        latency(lat.putObject("ttft"), r.latency().ttft());
        latency(lat.putObject("tpot"), r.latency().tpot());
        latency(lat.putObject("itl"), r.latency().itl());
        latency(lat.putObject("e2e"), r.latency().e2e());
        benchServing(root.putObject("bench_serving"), r);
        root.putObject("engine").put("events", r.events());
        ArrayNode w = root.putArray("warnings");
        scenario.warnings().forEach(w::add);
        PrefixCacheReport.putJson(root, r.prefixCache());
        SpeculativeReport.putJson(root, r.speculative());
        FaultsReport.putJson(root, r);
        root.set("config", ConfigJson.tree(scenario));
        return root;
    }

    /** bench_serving's result fields (python/sglang/bench_serving.py:1404-1413 at 69183f8), per GPU too, and goodput. */
    private static void benchServing(ObjectNode b, RunResult r) {
        b.put("duration_s", round(r.durationS(), 6));
        b.put("completed", r.finished());
        b.put("total_input_tokens", r.finishedInputTokens());
        b.put("total_output_tokens", r.finishedOutputTokens());
        b.put("request_throughput", round(r.requestThroughput(), 3));
        b.put("input_throughput", round(r.inputThroughput(), 3));
        b.put("output_throughput", round(r.outputThroughput(), 3));
        b.put("total_throughput", round(r.totalThroughput(), 3));
        b.put("gpus", r.gpus());
        b.put("total_throughput_per_gpu", round(r.totalThroughput() / r.gpus(), 3));
        b.put("goodput", round(r.goodput(), 3));
        b.put("goodput_per_gpu", round(r.goodput() / r.gpus(), 6));
        b.set("slo", r.slo().given() ? ConfigJson.slo(r.slo()) : JSON.nullNode());
    }

    public static String render(RunResult r, Scenario scenario) {
        return write(tree(r, scenario));
    }

    /** A tree as pdsim writes JSON files: indented, plain decimals, a final newline. */
    static String write(ObjectNode tree) {
        try {
            return WRITER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void latency(ObjectNode n, LatencySummary s) {
        n.put("mean", round(s.mean(), 3));
        n.put("p50", round(s.p50(), 3));
        n.put("p90", round(s.p90(), 3));
        n.put("p99", round(s.p99(), 3));
    }

    /** {@code v} to {@code decimals} places without trailing zeros; null for NaN (nothing measured). */
    static BigDecimal round(double v, int decimals) {
        if (Double.isNaN(v)) {
            return null;
        }
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }
}

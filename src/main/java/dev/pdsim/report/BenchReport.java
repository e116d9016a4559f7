package dev.pdsim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.diag.Numbers;
import dev.pdsim.experiment.Bench;
import dev.pdsim.serving.FailureReport;
import dev.pdsim.serving.Outcome;
import dev.pdsim.serving.RunResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The bench table on the terminal, and bench.csv, bench.json (simulated figures only, so the same
 * scenario and seeds give the same bytes), timing.json (wall clock) and bench.svg/png.
 */
public final class BenchReport {
    static final String[] CSV_HEADER = {"strategy", "seed", "outcome", "failure_time_s", "failure_instance",
            "failure_layer", "failure_operation", "error", "submitted", "finished", "aborted", "corrupted_tokens",
            "input_tok_s_per_node", "output_tok_s_per_node", "ttft_p50_ms", "ttft_p99_ms", "itl_p50_ms", "itl_p99_ms",
            "e2e_p50_ms", "e2e_p99_ms", "mlp_sync_bytes_per_iteration", "mlp_sync_us_per_iteration", "events"};

    private BenchReport() {
    }

    /** Per strategy, mean over seeds; the outcome says so when seeds disagree. */
    public static String table(Bench.Report report) {
        TextTable t = new TextTable("strategy", "launch changed", "outcome", "failed at", "finished", "aborted", "corrupted",
                "in tok/s/node", "out tok/s/node", "TTFT p50/p99 ms", "ITL p50/p99 ms", "wall s", "M events/s")
                .numeric(4, 5, 6, 7, 8, 11, 12);
        for (String s : report.strategies()) {
            List<Bench.Run> runs = report.of(s);
            FailureReport f = runs.stream().map(r -> r.result().failure()).filter(x -> x != null).findFirst().orElse(null);
            List<String> changed = runs.get(0).changedInstances();
            t.add(s, changed.isEmpty() ? "-" : String.join(", ", changed), outcome(runs), f == null ? "-" : String.format(Locale.ROOT, "%.3f s %s L%d %s", f.timeS(), f.instance(),
                            f.layer(), f.operation()),
                    sum(runs, r -> r.finished()), sum(runs, r -> r.aborted()), sum(runs, r -> r.corruptedTokens()),
                    Numbers.grouped(mean(runs, RunResult::inputTokensPerSPerNode), 0), Numbers.grouped(mean(runs, RunResult::outputTokensPerSPerNode), 0),
                    Numbers.grouped(mean(runs, r -> r.ttft().p50()), 0) + " / " + Numbers.grouped(mean(runs, r -> r.ttft().p99()), 0),
                    Numbers.grouped(mean(runs, r -> r.itl().p50()), 1) + " / " + Numbers.grouped(mean(runs, r -> r.itl().p99()), 1),
                    Numbers.grouped(runs.stream().mapToLong(Bench.Run::wallNanos).sum() / 1e9, 2),
                    Numbers.grouped(runs.stream().mapToDouble(Bench.Run::eventsPerSecond).average().orElse(0) / 1e6, 2));
        }
        StringBuilder sb = new StringBuilder(t.toString());
        Bench.FixCost c = report.fixCost();
        sb.append(String.format(Locale.ROOT,
                "%ncost of the fix on %s (%d ranks): MLP sync all-gathers %d instead of %d int64 per rank = %d instead of %d bytes"
                        + " per iteration, %.1f instead of %.1f us (+%.1f us, cost model)%n",
                c.instance(), c.ranks(), c.patchedInt64(), c.releasedInt64(), c.patchedBytes(), c.releasedBytes(),
                c.patchedMicros(), c.releasedMicros(), c.patchedMicros() - c.releasedMicros()));
        List<String> present = report.strategies();
        for (String s : present) {
            FailureReport f = report.of(s).stream().map(r -> r.result().failure()).filter(x -> x != null)
                    .findFirst().orElse(null);
            if (f != null) {
                sb.append(String.format(Locale.ROOT, "%s leaves %s %s: %s (layer %d %s)%n", s, f.instance(),
                        f.hang() ? "hung" : "crashed", f.error(), f.layer(), f.operation()));
            }
        }
        if (present.contains("patched")) {
            double patched = mean(report.of("patched"), RunResult::inputTokensPerSPerNode);
            if (patched == 0) {
                sb.append("no throughput ratio against patched: it serves nothing on this launch\n");
            }
            for (String other : List.of("tbo-off", "deepep")) {
                if (present.contains(other) && patched > 0) {
                    double o = mean(report.of(other), RunResult::inputTokensPerSPerNode);
                    sb.append(String.format(Locale.ROOT, "prefill input throughput, %s vs patched: %.3fx%n", other, o / patched));
                }
            }
        }
        return sb.toString();
    }

    public static void write(Bench.Report report, Path dir) {
        try {
            writeCsv(report, dir.resolve("bench.csv"));
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = json.createObjectNode();
            root.put("scenario", report.scenario().name());
            ArrayNode runs = root.putArray("runs");
            for (Bench.Run r : report.runs()) {
                ObjectNode n = SummaryJson.tree(r.result(), report.scenario().warnings());
                runs.add(n);
            }
            Bench.FixCost c = report.fixCost();
            ObjectNode fix = root.putObject("fix_cost");
            fix.put("instance", c.instance());
            fix.put("ranks", c.ranks());
            fix.put("released_int64_per_rank", c.releasedInt64());
            fix.put("patched_int64_per_rank", c.patchedInt64());
            fix.put("released_bytes_per_sync", c.releasedBytes());
            fix.put("patched_bytes_per_sync", c.patchedBytes());
            fix.put("released_sync_us", SummaryJson.round(c.releasedMicros(), 3));
            fix.put("patched_sync_us", SummaryJson.round(c.patchedMicros(), 3));
            Files.writeString(dir.resolve("bench.json"), root.toPrettyString() + "\n", StandardCharsets.UTF_8);
            ObjectNode timing = json.createObjectNode();
            for (Bench.Run r : report.runs()) {
                ObjectNode n = timing.putObject(r.strategy() + "/seed-" + r.seed());
                n.put("wall_ms", r.wallNanos() / 1e6);
                n.put("events", r.result().events());
                n.put("events_per_s", r.eventsPerSecond());
            }
            Files.writeString(dir.resolve("timing.json"), timing.toPrettyString() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chart(report, dir.resolve("bench"));
    }

    private static void writeCsv(Bench.Report report, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(CSV_HEADER).setRecordSeparator('\n').build())) {
            for (Bench.Run run : report.runs()) {
                RunResult r = run.result();
                FailureReport f = r.failure();
                csv.printRecord(run.strategy(), run.seed(), r.outcome().label(), f == null ? "" : SummaryJson.round(f.timeS(), 9),
                        f == null ? "" : f.instance(), f == null ? "" : f.layer(), f == null ? "" : f.operation(),
                        f == null ? "" : f.error(), r.submitted(), r.finished(), r.aborted(), r.corruptedTokens(),
                        SummaryJson.round(r.inputTokensPerSPerNode(), 3), SummaryJson.round(r.outputTokensPerSPerNode(), 3),
                        r.ttft().p50(), r.ttft().p99(), r.itl().p50(), r.itl().p99(), r.e2e().p50(), r.e2e().p99(),
                        SummaryJson.round(r.meanSyncBytes(), 3), SummaryJson.round(r.meanSyncMicros(), 3), r.events());
            }
        }
    }

    private static void chart(Bench.Report report, Path base) {
        List<String> categories = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("input tok/s per prefill node", new ArrayList<>());
        series.put("output tok/s per decode node", new ArrayList<>());
        for (String s : report.strategies()) {
            List<Bench.Run> runs = report.of(s);
            categories.add(s + " (" + outcome(runs) + ")");
            series.get("input tok/s per prefill node").add(mean(runs, RunResult::inputTokensPerSPerNode));
            series.get("output tok/s per decode node").add(mean(runs, RunResult::outputTokensPerSPerNode));
        }
        Charts.bars(base, report.scenario().name() + ": strategies side by side", "tokens/s per node", categories, series);
    }

    static String outcome(List<Bench.Run> runs) {
        Map<Outcome, Integer> counts = new LinkedHashMap<>();
        runs.forEach(r -> counts.merge(r.result().outcome(), 1, Integer::sum));
        if (counts.size() == 1) {
            return counts.keySet().iterator().next().label();
        }
        StringBuilder sb = new StringBuilder("mixed:");
        counts.forEach((o, n) -> sb.append(' ').append(n).append(' ').append(o.label()));
        return sb.toString();
    }

    private static double mean(List<Bench.Run> runs, ToDoubleFunction<RunResult> f) {
        return runs.stream().mapToDouble(r -> f.applyAsDouble(r.result())).average().orElse(0);
    }

    private static long sum(List<Bench.Run> runs, java.util.function.ToLongFunction<RunResult> f) {
        return runs.stream().mapToLong(r -> f.applyAsLong(r.result())).sum();
    }
}

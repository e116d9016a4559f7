package dev.pdsim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.diag.Numbers;
import dev.pdsim.experiment.Bench;
import dev.pdsim.metrics.LatencySummary;
import dev.pdsim.serving.FailureReport;
import dev.pdsim.serving.Outcome;
import dev.pdsim.serving.RunResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The bench table on the terminal, and bench.csv, bench.json (simulated figures only, so the same
 * scenario and seeds give the same bytes), timing.json (wall clock) and bench.svg/png.
 */
public final class BenchReport {
    static final String[] CSV_HEADER = {"strategy", "seed", "outcome", "failure_time_s", "failure_instance",
            "failure_layer", "failure_operation", "error", "submitted", "finished", "aborted", "unfinished",
            "corrupted_tokens", "input_tok_s_per_node", "output_tok_s_per_node", "ttft_p50_ms", "ttft_p99_ms",
            "tpot_p50_ms", "tpot_p99_ms", "itl_p50_ms", "itl_p99_ms", "e2e_p50_ms", "e2e_p99_ms", "mlp_sync_instance",
            "mlp_sync_bytes_per_iteration", "mlp_sync_us_per_iteration", "events"};

    private BenchReport() {
    }

    /** Per strategy, mean over seeds; the outcome says so when seeds disagree. */
    public static String table(Bench.Report report) {
        TextTable t = new TextTable("strategy", "launch changed", "outcome", "failed at", "finished", "aborted",
                "unfinished", "corrupted", "in tok/s/node", "out tok/s/node", "TTFT p50/p99 ms", "TPOT p50/p99 ms",
                "ITL p50/p99 ms", "wall s", "M events/s")
                .numeric(4, 5, 6, 7, 8, 9, 13, 14);
        for (String s : report.strategies()) {
            List<Bench.Run> runs = report.of(s);
            FailureReport f = runs.stream().map(r -> r.result().failure()).filter(x -> x != null).findFirst().orElse(null);
            List<String> changed = runs.get(0).changedInstances();
            t.add(s, changed.isEmpty() ? "-" : String.join(", ", changed), outcome(runs), f == null ? "-" : String.format(Locale.ROOT, "%.3f s %s L%d %s", f.timeS(), f.instance(),
                            f.layer(), f.operation()),
                    sum(runs, r -> r.finished()), sum(runs, r -> r.aborted()), sum(runs, r -> r.unfinished()),
                    sum(runs, r -> r.corruptedTokens()),
                    Numbers.grouped(mean(runs, RunResult::inputTokensPerSPerNode), 0), Numbers.grouped(mean(runs, RunResult::outputTokensPerSPerNode), 0),
                    latency(runs, r -> r.latency().ttft(), 0), latency(runs, r -> r.latency().tpot(), 1),
                    latency(runs, r -> r.latency().itl(), 1),
                    Numbers.grouped(runs.stream().mapToLong(Bench.Run::wallNanos).sum() / 1e9, 2),
                    Numbers.grouped(runs.stream().mapToDouble(Bench.Run::eventsPerSecond).average().orElse(0) / 1e6, 2));
        }
        StringBuilder sb = new StringBuilder(t.toString());
        Bench.FixCost c = report.fixCost();
        sb.append(String.format(Locale.ROOT,
                "(latency: mean over the seeds in which a request finished; \"no request finished\" when none did)%n"
                        + "%ncost of the fix on %s (%d ranks): MLP sync all-gathers %d instead of %d int64 per rank = %d instead of %d bytes"
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
                ObjectNode n = SummaryJson.tree(r.result(), r.scenario());
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
            Files.writeString(dir.resolve("bench.json"), SummaryJson.write(root), StandardCharsets.UTF_8);
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
                Bench.MlpSync sync = run.mlpSync();
                RunResult.Latencies l = r.latency();
                csv.printRecord(run.strategy(), run.seed(), r.outcome().label(), f == null ? "" : plain(f.timeS(), 9),
                        f == null ? "" : f.instance(), f == null ? "" : f.layer(), f == null ? "" : f.operation(),
                        f == null ? "" : f.error(), r.submitted(), r.finished(), r.aborted(), r.unfinished(),
                        r.corruptedTokens(), plain(r.inputTokensPerSPerNode(), 3), plain(r.outputTokensPerSPerNode(), 3),
                        plain(l.ttft().p50(), 3), plain(l.ttft().p99(), 3), plain(l.tpot().p50(), 3), plain(l.tpot().p99(), 3),
                        plain(l.itl().p50(), 3), plain(l.itl().p99(), 3), plain(l.e2e().p50(), 3), plain(l.e2e().p99(), 3),
                        sync.instance(), sync.bytes(), plain(sync.micros(), 3), r.events());
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

    /** A CSV figure as digits ({@code 1900}, not {@code 1.9E+3}); empty when nothing was measured (NaN). */
    static String plain(double v, int decimals) {
        BigDecimal d = SummaryJson.round(v, decimals);
        return d == null ? "" : d.toPlainString();
    }

    /** p50 / p99 of a latency, averaged over the seeds that measured it. */
    private static String latency(List<Bench.Run> runs, Function<RunResult, LatencySummary> latency, int decimals) {
        List<LatencySummary> measured = runs.stream().map(r -> latency.apply(r.result())).filter(s -> !s.empty()).toList();
        if (measured.isEmpty()) {
            return runs.stream().allMatch(r -> r.result().finished() == 0) ? "no request finished" : "-";
        }
        return Numbers.grouped(measured.stream().mapToDouble(LatencySummary::p50).average().orElseThrow(), decimals) + " / "
                + Numbers.grouped(measured.stream().mapToDouble(LatencySummary::p99).average().orElseThrow(), decimals);
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

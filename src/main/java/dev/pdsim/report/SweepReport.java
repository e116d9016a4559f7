package dev.pdsim.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pdsim.diag.Numbers;
import dev.pdsim.experiment.Combination;
import dev.pdsim.experiment.SweepAxis;
import dev.pdsim.experiment.SweepFigures;
import dev.pdsim.experiment.SweepOutcome;
import dev.pdsim.experiment.SweepRow;
import dev.pdsim.experiment.SweepRunner;
import dev.pdsim.experiment.SweepSpec;
import java.awt.Color;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Writes a sweep as it runs: each row goes to sweep.csv the moment it is in order (flushed, so an
 * interrupted sweep keeps what finished), while only a small point per row stays in memory for the
 * Pareto front, the plots and index.html written at the end. The rows stream into sweep.csv.part,
 * which takes its name only when the sweep finished or, interrupted, once sweep.json says
 * {@code "complete": false}: a sweep killed outright or failing leaves no sweep.csv that could pass
 * for a whole one.
 */
public final class SweepReport implements SweepRunner.Listener, AutoCloseable {
    /**
     * One row's figures, for the end-of-sweep summaries. Latencies NaN when no request finished,
     * goodput NaN without an SLO.
     *
     * @param outputTokensPerGpu output tokens per second of the cluster, per GPU
     * @param tokensPerUser      output tokens per second one user sees during decode, at the median TPOT
     */
    public record Point(int index, List<String> labels, long seed, SweepOutcome outcome, String message, int gpus,
                        double tokensPerGpu, double e2eP50Ms, double ttftP99Ms, double tpotP99Ms, double goodputPerS,
                        double outputTokensPerGpu, double tokensPerUser) {
        boolean completed() {
            return outcome == SweepOutcome.COMPLETED;
        }

        /** Completed, with latencies to place it on a latency axis. */
        boolean served() {
            return completed() && !Double.isNaN(e2eP50Ms);
        }

        public double goodputPerGpu() {
            return goodputPerS / gpus;
        }
    }

    private final SweepSpec spec;
    private final Path dir;
    private final CSVPrinter csv;
    private final List<String> header = new ArrayList<>();
    private final List<Point> points = new ArrayList<>();
    private int filtered;
    private boolean closed;
    private boolean interrupted;
    private boolean csvPublished;

    public SweepReport(SweepSpec spec, Path dir) {
        this.spec = spec;
        this.dir = dir;
        header.addAll(columns(spec));
        try {
            BufferedWriter out = Files.newBufferedWriter(OutputDirectory.temporary(csvFile()), StandardCharsets.UTF_8);
            csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                    .setRecordSeparator('\n').build());
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The columns of a replayed row's figures; empty for a row that was not replayed. */
    static final List<String> FIGURE_COLUMNS = List.of("finished", "aborted", "unfinished", "corrupted_tokens",
            "input_tok_s_per_node", "output_tok_s_per_node", "tok_s_per_gpu", "ttft_p50_ms", "ttft_p99_ms",
            "tpot_p50_ms", "tpot_p99_ms", "itl_p50_ms", "itl_p99_ms", "e2e_p50_ms", "e2e_p99_ms", "goodput_req_s",
            "goodput_req_s_per_gpu", "tpot_mean_ms", "output_tok_s_per_gpu", "tok_s_per_user_tpot_p50",
            "tok_s_per_user_tpot_mean");

    /** The columns of sweep.csv (and of sweep.parquet), in order. */
    public static List<String> columns(SweepSpec spec) {
        List<String> h = new ArrayList<>();
        h.add("index");
        spec.axes().forEach(a -> h.add(a.name()));
        h.addAll(List.of("seed", "outcome", "failure", "gpus"));
        h.addAll(FIGURE_COLUMNS);
        return h;
    }

    @Override
    public synchronized void row(SweepRow row) {
        if (closed) {
            return; // interrupted: sweep.csv and sweep.json hold the rows before this one
        }
        SweepFigures f = row.figures();
        List<Object> cells = row.leadingCells();
        if (f == null) {
            for (int i = 0; i < FIGURE_COLUMNS.size(); i++) {
                cells.add("");
            }
        } else {
            double good = f.goodputPerS();
            cells.addAll(List.of(f.finished(), f.aborted(), f.unfinished(), f.corruptedTokens(),
                    num(f.inputTokensPerSPerNode()), num(f.outputTokensPerSPerNode()), num(f.tokensPerSPerGpu()),
                    ms(f.ttftP50()), ms(f.ttftP99()), ms(f.tpotP50()), ms(f.tpotP99()), ms(f.itlP50()), ms(f.itlP99()),
                    ms(f.e2eP50()), ms(f.e2eP99()), num(good), num(good / row.gpus()), ms(f.tpotMean()),
                    num(f.outputTokensPerSPerGpu()), num(f.tokensPerSPerUserP50()), num(f.tokensPerSPerUserMean())));
        }
        try {
            csv.printRecord(cells);
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        points.add(new Point(row.index(), row.labels(), row.seed(), row.outcome(), row.message(), row.gpus(),
                row.tokensPerSPerGpu(), f == null ? Double.NaN : f.e2eP50(), f == null ? Double.NaN : f.ttftP99(),
                f == null ? Double.NaN : f.tpotP99(), row.goodputPerS(), f == null ? 0 : f.outputTokensPerSPerGpu(),
                f == null ? Double.NaN : f.tokensPerSPerUserP50()));
    }

    @Override
    public void filtered(Combination c) {
        filtered++;
    }

    public List<Point> points() {
        return points;
    }

    public int filteredCount() {
        return filtered;
    }

    /** Counts per outcome, in a fixed order. */
    public Map<SweepOutcome, Integer> outcomes() {
        Map<SweepOutcome, Integer> counts = new LinkedHashMap<>();
        for (SweepOutcome o : SweepOutcome.values()) {
            counts.put(o, 0);
        }
        points.forEach(p -> counts.merge(p.outcome(), 1, Integer::sum));
        return counts;
    }

    /** Completed points no other completed point beats on both throughput per GPU and E2E p50. */
    public List<Point> paretoFront() {
        return front(points.stream().filter(Point::served).toList(), Point::e2eP50Ms);
    }

    /** The best {@code n} completed points: by goodput per GPU when the sweep has an SLO, else by throughput per GPU. */
    public List<Point> top(int n) {
        return points.stream().filter(Point::completed).sorted(Comparator.comparingDouble(this::rankValue).reversed()
                .thenComparingInt(Point::index)).limit(n).toList();
    }

    /** What {@link #top} ranks by. */
    double rankValue(Point p) {
        return spec.slo().given() ? p.goodputPerGpu() : p.tokensPerGpu();
    }

    /**
     * After an interruption: sweep.csv keeps the rows finished so far, and sweep.json lists them
     * with {@code "complete": false}; returns what the folder holds.
     */
    public synchronized String savePartial() {
        interrupted = true;
        close();
        try {
            publishCsv();
            writeJson(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "sweep.csv and sweep.json (\"complete\": false) with the " + points.size() + " rows finished in order, of "
                + spec.size();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            csv.close(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** After the last row: sweep.json, pareto.csv, plots and index.html; nothing after an interruption. */
    public synchronized void finish() {
        if (interrupted) {
            return; // the rows after the interruption were not written: sweep.json stays "complete": false
        }
        close();
        try {
            publishCsv();
            writeJson(true);
            writePareto();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        plots();
        SweepHtml.write(this, spec, dir);
    }

    private Path csvFile() {
        return dir.resolve("sweep.csv");
    }

    /** The rows written so far take their final name (once: an interruption racing the end publishes first). */
    private void publishCsv() throws IOException {
        if (!csvPublished) {
            OutputDirectory.publish(OutputDirectory.temporary(csvFile()), csvFile());
            csvPublished = true;
        }
    }

    /**
     * sweep.json: the sweep's settings and every row of sweep.csv, streamed back from disk;
     * {@code complete} is false when the sweep was interrupted before its last row.
     */
    private void writeJson(boolean complete) throws IOException {
        Path tmp = OutputDirectory.temporary(dir.resolve("sweep.json"));
        try (JsonGenerator g = new JsonFactory().createGenerator(tmp.toFile(), JsonEncoding.UTF8);
             Reader in = Files.newBufferedReader(csvFile(), StandardCharsets.UTF_8);
             CSVParser rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("sweep", spec.file());
            g.writeBooleanField("complete", complete);
            g.writeStringField("base", spec.base().sourceFile());
            g.writeNumberField("combinations", spec.size());
            g.writeNumberField("filtered_out", filtered);
            g.writeObjectFieldStart("outcomes");
            for (var e : outcomes().entrySet()) {
                g.writeNumberField(e.getKey().label(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("rows");
            for (CSVRecord rec : rows) {
                g.writeStartObject();
                for (String h : header) {
                    g.writeStringField(h, rec.get(h));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        OutputDirectory.publish(tmp, dir.resolve("sweep.json"));
    }

    private void writePareto() throws IOException {
        List<String> h = new ArrayList<>(List.of("index"));
        spec.axes().forEach(a -> h.add(a.name()));
        h.addAll(List.of("seed", "gpus", "tok_s_per_gpu", "e2e_p50_ms", "ttft_p99_ms", "goodput_req_s"));
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("pareto.csv"), StandardCharsets.UTF_8);
             CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(h.toArray(String[]::new))
                     .setRecordSeparator('\n').build())) {
            for (Point pt : paretoFront()) {
                List<Object> cells = new ArrayList<>();
                cells.add(pt.index());
                cells.addAll(pt.labels());
                cells.addAll(List.of(pt.seed(), pt.gpus(), num(pt.tokensPerGpu()), ms(pt.e2eP50Ms()), ms(pt.ttftP99Ms()),
                        num(pt.goodputPerS())));
                p.printRecord(cells);
            }
        }
    }

    /** Outcome colours shared by every chart and the page, so "crashed" looks the same everywhere. */
    static final Map<SweepOutcome, Color> OUTCOME_COLORS = outcomeColors();

    private static Map<SweepOutcome, Color> outcomeColors() {
        Map<SweepOutcome, Color> c = new LinkedHashMap<>();
        c.put(SweepOutcome.COMPLETED, new Color(60, 140, 80));
        c.put(SweepOutcome.CRASHED, new Color(200, 50, 45));
        c.put(SweepOutcome.HUNG, new Color(235, 150, 30));
        c.put(SweepOutcome.INVALID, new Color(160, 160, 160));
        c.put(SweepOutcome.ERROR, new Color(140, 40, 160));
        return c;
    }

    /**
     * Output throughput per GPU against tokens per second per user ({@link InteractivityChart}).
     * Throughput per GPU against the latencies an SLO bounds (TTFT and TPOT, p99), the SLO's bound
     * drawn where it is given; only completed rows have latencies, so the others are counted in the
     * legend, never placed at 0. Then per axis the outcome counts of each value, stacked, beside the
     * best and mean figure of its completed rows (goodput per GPU when there is an SLO).
     */
    private void plots() {
        InteractivityChart.write(dir, points, spec.axes());
        latencyChart("throughput-vs-ttft", "TTFT p99 (ms)", Point::ttftP99Ms, spec.slo().ttftMs(), "TTFT");
        latencyChart("throughput-vs-tpot", "TPOT p99 (ms)", Point::tpotP99Ms, spec.slo().tpotMs(), "TPOT");
        boolean slo = spec.slo().given();
        for (int a = 0; a < spec.axes().size(); a++) {
            SweepAxis axis = spec.axes().get(a);
            if (axis.values().size() < 2) {
                continue;
            }
            Map<String, Map<SweepOutcome, Integer>> byValue = outcomesBy(a);
            List<String> cats = new ArrayList<>();
            Map<String, List<Double>> counts = new LinkedHashMap<>();
            OUTCOME_COLORS.keySet().forEach(o -> counts.put(o.label(), new ArrayList<>()));
            List<Double> best = new ArrayList<>();
            List<Double> mean = new ArrayList<>();
            for (var value : byValue.entrySet()) {
                final int axisIndex = a;
                List<Point> done = points.stream().filter(Point::completed)
                        .filter(p -> p.labels().get(axisIndex).equals(value.getKey())).toList();
                int rows = value.getValue().values().stream().mapToInt(Integer::intValue).sum();
                cats.add(value.getKey() + " (" + done.size() + "/" + rows + " completed)");
                value.getValue().forEach((o, n) -> counts.get(o.label()).add((double) n));
                best.add(done.stream().mapToDouble(this::rankValue).max().orElse(0));
                mean.add(done.stream().mapToDouble(this::rankValue).average().orElse(0));
            }
            Charts.stackedBars(dir.resolve(outcomePlotName(axis)), "Outcomes by " + axis.name(), "rows", cats, counts,
                    List.copyOf(OUTCOME_COLORS.values()));
            Map<String, List<Double>> figures = new LinkedHashMap<>();
            figures.put("best completed", best);
            figures.put("mean of completed", mean);
            Charts.bars(dir.resolve(plotName(axis)), (slo ? "Goodput" : "Throughput") + " per GPU by " + axis.name(),
                    slo ? "requests/s per GPU within the SLO" : "tokens/s per GPU", cats, figures);
        }
    }

    /** Per value of axis {@code a}, in the axis's order: how many rows ended in each outcome. */
    public Map<String, Map<SweepOutcome, Integer>> outcomesBy(int a) {
        Map<String, Map<SweepOutcome, Integer>> byValue = new LinkedHashMap<>();
        SweepAxis axis = spec.axes().get(a);
        for (int v = 0; v < axis.values().size(); v++) {
            Map<SweepOutcome, Integer> counts = new LinkedHashMap<>();
            OUTCOME_COLORS.keySet().forEach(o -> counts.put(o, 0));
            byValue.put(axis.label(v), counts);
        }
        points.forEach(p -> byValue.get(p.labels().get(a)).merge(p.outcome(), 1, Integer::sum));
        return byValue;
    }

    /** The rows a latency chart cannot place, by outcome: e.g. "2 crashed, 1 invalid"; empty when it places all. */
    public String notPlotted(ToDoubleFunction<Point> latency) {
        StringBuilder missing = new StringBuilder();
        outcomes().forEach((o, n) -> {
            long unplotted = o == SweepOutcome.COMPLETED
                    ? points.stream().filter(p -> p.completed() && Double.isNaN(latency.applyAsDouble(p))).count() : n;
            if (unplotted > 0) {
                missing.append(missing.length() == 0 ? "" : ", ").append(unplotted).append(' ').append(o.label());
            }
        });
        return missing.toString();
    }

    private void latencyChart(String file, String xLabel, ToDoubleFunction<Point> latency,
                              double bound, String name) {
        List<Point> plotted = points.stream().filter(p -> p.completed() && !Double.isNaN(latency.applyAsDouble(p))).toList();
        List<Charts.Points> series = new ArrayList<>();
        series.add(points("completed (" + plotted.size() + ")", plotted, latency, OUTCOME_COLORS.get(SweepOutcome.COMPLETED)));
        List<Point> front = front(plotted, latency);
        Charts.Points frontPoints = points("best throughput at its latency (" + front.size() + ")", front, latency,
                new Color(40, 80, 200));
        series.add(new Charts.Points(frontPoints.name(), frontPoints.x(), frontPoints.y(), Charts.Style.LINE_WITH_MARKERS,
                frontPoints.color()));
        if (!Double.isInfinite(bound)) {
            double top = plotted.stream().mapToDouble(Point::tokensPerGpu).max().orElse(1);
            series.add(new Charts.Points("SLO " + name + " <= " + Numbers.plain(bound) + " ms (per request)",
                    new double[] {bound, bound}, new double[] {0, top}, Charts.Style.LINE, Color.BLACK));
        }
        String missing = notPlotted(latency);
        String title = "Throughput per GPU vs " + name + (missing.length() == 0 ? ""
                : " (not plotted, no latency: " + missing + ")");
        Charts.scatter(dir.resolve(file), title, xLabel, "tokens/s per GPU (input + output)", series);
    }

    /** The points no other beats on both throughput per GPU and the given latency, by rising latency. */
    private static List<Point> front(List<Point> plotted, ToDoubleFunction<Point> latency) {
        List<Point> sorted = new ArrayList<>(plotted);
        sorted.sort(Comparator.comparingDouble(latency).thenComparing(p -> -p.tokensPerGpu()).thenComparingInt(Point::index));
        List<Point> front = new ArrayList<>();
        double best = -1;
        for (Point p : sorted) {
            if (p.tokensPerGpu() > best) {
                front.add(p);
                best = p.tokensPerGpu();
            }
        }
        return front;
    }

    static String plotName(SweepAxis axis) {
        return "figures-by-" + slug(axis);
    }

    static String outcomePlotName(SweepAxis axis) {
        return "outcomes-by-" + slug(axis);
    }

    private static String slug(SweepAxis axis) {
        return axis.name().replace('.', '-').replace('_', '-');
    }

    private static Charts.Points points(String name, List<Point> ps, ToDoubleFunction<Point> latency, Color color) {
        double[] x = new double[ps.size()];
        double[] y = new double[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            x[i] = latency.applyAsDouble(ps.get(i));
            y[i] = ps.get(i).tokensPerGpu();
        }
        return new Charts.Points(name, x, y, Charts.Style.POINTS, color);
    }

    /** A figure with 3 decimals; empty when nothing was measured (NaN). */
    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** A latency in ms as plain digits; empty when no request finished. */
    static String ms(double v) {
        return BenchReport.plain(v, 3);
    }
}

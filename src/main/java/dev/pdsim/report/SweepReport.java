package dev.pdsim.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Writes a sweep as it runs: each row goes to sweep.csv the moment it is in order (flushed, so an
 * interrupted sweep keeps what finished), while only a small point per row stays in memory for the
 * Pareto front, the plots and index.html written at the end.
 */
public final class SweepReport implements SweepRunner.Listener, AutoCloseable {
    /** One row's figures, for the end-of-sweep summaries. */
    public record Point(int index, List<String> labels, long seed, SweepOutcome outcome, String message, int gpus,
                        double tokensPerGpu, double e2eP50Ms, double ttftP99Ms, double goodputPerS) {
        boolean completed() {
            return outcome == SweepOutcome.COMPLETED;
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

    public SweepReport(SweepSpec spec, Path dir) {
        this.spec = spec;
        this.dir = dir;
        header.addAll(columns(spec));
        try {
            BufferedWriter out = Files.newBufferedWriter(dir.resolve("sweep.csv"), StandardCharsets.UTF_8);
            csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                    .setRecordSeparator('\n').build());
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The columns of a replayed row's figures; empty for a row that was not replayed. */
    static final List<String> FIGURE_COLUMNS = List.of("finished", "aborted", "corrupted_tokens",
            "input_tok_s_per_node", "output_tok_s_per_node", "tok_s_per_gpu", "ttft_p50_ms", "ttft_p99_ms",
            "itl_p50_ms", "itl_p99_ms", "e2e_p50_ms", "e2e_p99_ms", "goodput_req_s", "goodput_req_s_per_gpu");

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
            cells.addAll(List.of(f.finished(), f.aborted(), f.corruptedTokens(), num(f.inputTokensPerSPerNode()),
                    num(f.outputTokensPerSPerNode()), num(f.tokensPerSPerGpu()), f.ttftP50(), f.ttftP99(),
                    f.itlP50(), f.itlP99(), f.e2eP50(), f.e2eP99(), num(good), num(good / row.gpus())));
        }
        try {
            csv.printRecord(cells);
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        points.add(new Point(row.index(), row.labels(), row.seed(), row.outcome(), row.message(), row.gpus(),
                row.tokensPerSPerGpu(), f == null ? 0 : f.e2eP50(), f == null ? 0 : f.ttftP99(), row.goodputPerS()));
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
        List<Point> done = new ArrayList<>(points.stream().filter(Point::completed).toList());
        done.sort(Comparator.comparingDouble(Point::e2eP50Ms).thenComparing(p -> -p.tokensPerGpu())
                .thenComparingInt(Point::index));
        List<Point> front = new ArrayList<>();
        double best = -1;
        for (Point p : done) {
            if (p.tokensPerGpu() > best) {
                front.add(p);
                best = p.tokensPerGpu();
            }
        }
        return front;
    }

    public List<Point> top(int n) {
        return points.stream().filter(Point::completed)
                .sorted(Comparator.comparingDouble((Point p) -> -p.tokensPerGpu()).thenComparingInt(Point::index))
                .limit(n).toList();
    }

    /**
     * After an interruption: sweep.csv keeps the rows finished so far, and sweep.json lists them
     * with {@code "complete": false}; returns what the folder holds.
     */
    public synchronized String savePartial() {
        interrupted = true;
        close();
        try {
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
            writeJson(true);
            writePareto();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        plots();
        SweepHtml.write(this, spec, dir);
    }

    /**
     * sweep.json: the sweep's settings and every row of sweep.csv, streamed back from disk;
     * {@code complete} is false when the sweep was interrupted before its last row.
     */
    private void writeJson(boolean complete) throws IOException {
        Path tmp = OutputDirectory.temporary(dir.resolve("sweep.json"));
        try (JsonGenerator g = new JsonFactory().createGenerator(tmp.toFile(), JsonEncoding.UTF8);
             Reader in = Files.newBufferedReader(dir.resolve("sweep.csv"), StandardCharsets.UTF_8);
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
                cells.addAll(List.of(pt.seed(), pt.gpus(), num(pt.tokensPerGpu()), pt.e2eP50Ms(), pt.ttftP99Ms(),
                        num(pt.goodputPerS())));
                p.printRecord(cells);
            }
        }
    }

    private void plots() {
        List<Charts.Points> series = new ArrayList<>();
        List<Point> done = points.stream().filter(Point::completed).toList();
        series.add(points("completed (" + done.size() + ")", done, new Color(70, 110, 200), false));
        List<Point> front = paretoFront();
        series.add(points("Pareto front (" + front.size() + ")", front, new Color(220, 60, 50), true));
        Map<SweepOutcome, Color> failed = Map.of(SweepOutcome.CRASHED, new Color(120, 120, 120), SweepOutcome.HUNG,
                new Color(230, 150, 30), SweepOutcome.INVALID, new Color(180, 180, 180), SweepOutcome.ERROR,
                new Color(150, 40, 160));
        for (SweepOutcome o : List.of(SweepOutcome.CRASHED, SweepOutcome.HUNG, SweepOutcome.INVALID, SweepOutcome.ERROR)) {
            List<Point> ps = points.stream().filter(p -> p.outcome() == o).toList();
            series.add(points(o.label() + " (" + ps.size() + ", at 0)", ps, failed.get(o), false));
        }
        Charts.scatter(dir.resolve("pareto"), "Throughput per GPU vs latency", "E2E latency p50 (s)",
                "tokens/s per GPU (input + output)", series);
        for (int a = 0; a < spec.axes().size(); a++) {
            SweepAxis axis = spec.axes().get(a);
            if (axis.values().size() < 2) {
                continue;
            }
            List<String> cats = new ArrayList<>();
            List<Double> best = new ArrayList<>();
            List<Double> mean = new ArrayList<>();
            for (int v = 0; v < axis.values().size(); v++) {
                String label = axis.label(v);
                final int axisIndex = a;
                List<Point> match = done.stream().filter(p -> p.labels().get(axisIndex).equals(label)).toList();
                cats.add(label);
                best.add(match.stream().mapToDouble(Point::tokensPerGpu).max().orElse(0));
                mean.add(match.stream().mapToDouble(Point::tokensPerGpu).average().orElse(0));
            }
            Map<String, List<Double>> s = new LinkedHashMap<>();
            s.put("best", best);
            s.put("mean of completed", mean);
            Charts.bars(dir.resolve(plotName(axis)), "Throughput per GPU by " + axis.name(), "tokens/s per GPU", cats, s);
        }
    }

    static String plotName(SweepAxis axis) {
        return "throughput-by-" + axis.name().replace('.', '-').replace('_', '-');
    }

    private static Charts.Points points(String name, List<Point> ps, Color color, boolean line) {
        double[] x = new double[ps.size()];
        double[] y = new double[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            x[i] = ps.get(i).e2eP50Ms() / 1000.0;
            y[i] = ps.get(i).tokensPerGpu();
        }
        return new Charts.Points(name, x, y, line, color);
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}

package dev.pdsim.report;

import dev.pdsim.experiment.SweepAxis;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Output tokens per second per GPU against output tokens per second per user, the chart that
 * answers "which setup for this traffic" (throughput against interactivity, as inference
 * benchmarks draw it). Each value of one axis of the sweep is a series, drawn as its Pareto
 * frontier: the rows no other row of the same series beats on both figures. Up and to the right
 * is better; a series whose frontier lies above another's serves more tokens per GPU at the same
 * speed per user. Its other rows are pale points behind the lines.
 */
final class InteractivityChart {
    static final String FILE = "throughput-vs-interactivity";
    /** More series than this and the colours and legend stop being readable. */
    static final int MAX_SERIES = 6;
    /** Told apart with colour vision deficiencies (Okabe and Ito's palette). */
    private static final List<Color> COLORS = List.of(new Color(0, 114, 178), new Color(230, 159, 0),
            new Color(0, 158, 115), new Color(213, 94, 0), new Color(204, 121, 167), new Color(86, 180, 233));
    /** The axes that name the choice a sweep is usually run to make, in the order they are preferred. */
    private static final List<String> PREFERRED = List.of("serving", "strategy");

    private InteractivityChart() {
    }

    /**
     * The axis whose values become the series: {@code serving} when it has 2 or more values
     * (disaggregated against colocated is the question it is there for), else {@code strategy}
     * when it does, else the first axis in sweep.csv's column order with 2 to {@value #MAX_SERIES}
     * values of which 2 or more have a row on the chart (an axis with one side all crashed or
     * invalid would draw a single line and compare nothing), else the first with 2 to
     * {@value #MAX_SERIES} values; -1 when none has, and every row is then one series.
     */
    static int groupingAxis(List<SweepAxis> axes, List<SweepReport.Point> points) {
        for (String name : PREFERRED) {
            for (int a = 0; a < axes.size(); a++) {
                if (axes.get(a).name().equals(name) && axes.get(a).values().size() >= 2) {
                    return a;
                }
            }
        }
        int fewValues = -1;
        for (int a = 0; a < axes.size(); a++) {
            int values = axes.get(a).values().size();
            if (values >= 2 && values <= MAX_SERIES) {
                if (drawnValues(points, a) >= 2) {
                    return a;
                }
                fewValues = fewValues < 0 ? a : fewValues;
            }
        }
        return fewValues;
    }

    /** How many values of axis {@code a} have at least one row on the chart. */
    private static long drawnValues(List<SweepReport.Point> points, int a) {
        return points.stream().filter(InteractivityChart::placed).map(p -> p.labels().get(a)).distinct().count();
    }

    /**
     * One series: the rows of one value of the grouping axis that have both figures, its frontier,
     * and how many of its rows have no place on the chart (not completed, or no TPOT).
     *
     * @param frontier by rising tokens per user (so by falling throughput per GPU)
     */
    record Series(String name, List<SweepReport.Point> plotted, List<SweepReport.Point> frontier, int notDrawn) {
        /** The legend's text: the value, then the rows behind its line. */
        String legend() {
            return name + ": " + frontier.size() + " frontier rows of " + plotted.size() + " drawn"
                    + (notDrawn == 0 ? "" : ", " + notDrawn + " not drawn (crashed, hung, invalid or no TPOT)");
        }
    }

    /** The series of the chart, in the axis's value order. */
    static List<Series> series(List<SweepReport.Point> points, List<SweepAxis> axes) {
        int a = groupingAxis(axes, points);
        if (a < 0) {
            return List.of(series("all rows", points));
        }
        List<Series> series = new ArrayList<>();
        SweepAxis axis = axes.get(a);
        for (int v = 0; v < axis.values().size(); v++) {
            String value = axis.label(v);
            series.add(series(value, points.stream().filter(p -> p.labels().get(a).equals(value)).toList()));
        }
        return series;
    }

    private static Series series(String name, List<SweepReport.Point> rows) {
        List<SweepReport.Point> plotted = rows.stream().filter(InteractivityChart::placed).toList();
        return new Series(name, plotted, frontier(plotted), rows.size() - plotted.size());
    }

    /** A completed row with a TPOT (a run whose requests all had one output token has none). */
    static boolean placed(SweepReport.Point p) {
        return p.completed() && !Double.isNaN(p.tokensPerUser());
    }

    /**
     * The points no other point beats on both tokens per user and output tokens per GPU (a tie on
     * both keeps the lower index), by rising tokens per user.
     */
    static List<SweepReport.Point> frontier(List<SweepReport.Point> points) {
        List<SweepReport.Point> fastestFirst = new ArrayList<>(points);
        fastestFirst.sort(Comparator.comparingDouble(SweepReport.Point::tokensPerUser).reversed()
                .thenComparing(Comparator.comparingDouble(SweepReport.Point::outputTokensPerGpu).reversed())
                .thenComparingInt(SweepReport.Point::index));
        List<SweepReport.Point> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (SweepReport.Point p : fastestFirst) {
            if (p.outputTokensPerGpu() > best) {
                front.add(0, p);
                best = p.outputTokensPerGpu();
            }
        }
        return front;
    }

    /** Writes the chart as {@value #FILE}.svg and .png. */
    static void write(Path dir, List<SweepReport.Point> points, List<SweepAxis> axes) {
        List<Series> series = series(points, axes);
        List<Charts.Points> drawn = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            List<SweepReport.Point> others = s.plotted().stream().filter(p -> !s.frontier().contains(p)).toList();
            drawn.add(points(s.name() + ": other rows", others, Charts.Style.FAINT_POINTS, color(i)));
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            drawn.add(points(s.legend(), s.frontier(), Charts.Style.LINE_WITH_MARKERS, color(i)));
        }
        int a = groupingAxis(axes, points);
        Charts.scatter(dir.resolve(FILE), "Output throughput per GPU vs tokens/s per user"
                        + (a < 0 ? "" : ", by " + axes.get(a).name()), "tokens/s per user (1000 / TPOT p50 in ms)",
                "output tokens/s per GPU (all GPUs)", drawn, "better: up and right");
    }

    /** The colour of series {@code i}, on the chart and beside its rows on the page. */
    static Color color(int i) {
        return COLORS.get(i % COLORS.size());
    }

    private static Charts.Points points(String name, List<SweepReport.Point> ps, Charts.Style style, Color color) {
        double[] x = new double[ps.size()];
        double[] y = new double[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            x[i] = ps.get(i).tokensPerUser();
            y[i] = ps.get(i).outputTokensPerGpu();
        }
        return new Charts.Points(name, x, y, style, color);
    }
}

package dev.pdsim.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Bar and scatter charts written as SVG and PNG side by side (XChart, headless). */
public final class Charts {
    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** One group of bars per category, one bar per series. */
    public static void bars(Path base, String title, String yLabel, List<String> categories,
                            Map<String, List<Double>> series) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(categories.stream().mapToInt(String::length).max().orElse(0) > 14 ? 30 : 0);
        series.forEach((name, values) -> chart.addSeries(name, categories, values));
        save(chart, base);
    }

    /**
     * How a series of a scatter chart is drawn. FAINT_POINTS are context behind the series that
     * matter: pale, and left out of the legend (the page says what they are).
     */
    public enum Style { POINTS, LINE_WITH_MARKERS, LINE, FAINT_POINTS }

    /** Counts per category, one stacked segment per series, each series in its colour. */
    public static void stackedBars(Path base, String title, String yLabel, List<String> categories,
                                   Map<String, List<Double>> series, List<Color> colors) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yLabel).build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setSeriesColors(colors.toArray(Color[]::new));
        chart.getStyler().setXAxisLabelRotation(categories.stream().mapToInt(String::length).max().orElse(0) > 14 ? 30 : 0);
        series.forEach((name, values) -> chart.addSeries(name, categories, values));
        save(chart, base);
    }

    /** The marker shapes, in the order colours take them (a lone front keeps the diamond it always had). */
    private static final List<Marker> SHAPES = List.of(SeriesMarkers.DIAMOND, SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE,
            SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS);

    /** A series of a scatter chart. */
    public record Points(String name, double[] x, double[] y, Style style, Color color) {
    }

    public static void scatter(Path base, String title, String xLabel, String yLabel, List<Points> series) {
        scatter(base, title, xLabel, yLabel, series, "");
    }

    /**
     * A scatter chart with {@code cornerNote} (when not empty) at the top right of the plot, e.g.
     * which way is better. Series drawn with markers (lines with markers, faint points) take a shape
     * per colour, so a series hidden under another with the same figures still shows at its edges.
     */
    public static void scatter(Path base, String title, String xLabel, String yLabel, List<Points> series,
                               String cornerNote) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(7);
        Map<Color, Marker> shapes = new HashMap<>();
        for (Points p : series) {
            if (p.x().length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(p.name(), p.x(), p.y());
            s.setMarkerColor(p.color());
            if (p.style() == Style.FAINT_POINTS || p.style() == Style.LINE_WITH_MARKERS) {
                s.setMarker(shapes.computeIfAbsent(p.color(), c -> SHAPES.get(shapes.size() % SHAPES.size())));
            }
            if (p.style() == Style.FAINT_POINTS) {
                s.setMarkerColor(pale(p.color()));
                s.setShowInLegend(false);
            } else if (p.style() != Style.POINTS) {
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                s.setLineColor(p.color());
                s.setLineStyle(new BasicStroke(2f));
                if (p.style() == Style.LINE) {
                    s.setMarker(SeriesMarkers.NONE);
                }
            }
        }
        if (!cornerNote.isEmpty()) {
            chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            chart.addAnnotation(new AnnotationText(cornerNote, WIDTH - 90, HEIGHT - 60, true));
        }
        save(chart, base);
    }

    /**
     * The colour mixed with two parts of white: opaque, so that piled-up points do not darken
     * into a dark patch that reads as a frontier.
     */
    private static Color pale(Color c) {
        return new Color(pastel(c.getRed()), pastel(c.getGreen()), pastel(c.getBlue()));
    }

    private static int pastel(int channel) {
        return 255 - (255 - channel) / 3;
    }

    private static void save(Chart<?, ?> chart, Path base) {
        try {
            BitmapEncoder.saveBitmap(chart, base.toString() + ".png", BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, base.toString() + ".svg",
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

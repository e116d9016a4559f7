package dev.pdsim.report;

import dev.pdsim.diag.Numbers;
import dev.pdsim.experiment.SweepAxis;
import dev.pdsim.experiment.SweepOutcome;
import dev.pdsim.experiment.SweepSpec;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * index.html of a sweep, no server needed: outcome counts, output throughput per GPU against
 * tokens per second per user by the sweep's main choice, throughput against the latencies the
 * SLO bounds, the best configurations (by goodput per GPU under an SLO, else by throughput per GPU),
 * the Pareto front, why rows did not complete, and per axis its outcomes beside its figures. Tables
 * wrap their cells, so every column stays visible in a 1200-pixel window.
 */
final class SweepHtml {
    private SweepHtml() {
    }

    static void write(SweepReport report, SweepSpec spec, Path dir) {
        boolean slo = spec.slo().given();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>pdsim sweep: ")
                .append(esc(spec.file())).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:1em auto;padding:0 12px;max-width:1176px;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:85%;width:100%}\n")
                .append("td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}\n")
                .append("th{background:#f2f2f2;overflow-wrap:anywhere}\ntd.n{text-align:right;white-space:nowrap}\n")
                .append(".pair{display:flex;gap:8px}\n.pair img{width:50%;min-width:0}\n")
                .append("img{max-width:100%;border:1px solid #eee;margin:0.5em 0}\n.badge{padding:1px 6px;border-radius:3px;color:#fff;white-space:nowrap}\n")
                .append("</style></head><body>\n");
        h.append("<h1>Sweep ").append(esc(spec.file())).append("</h1>\n<p>Base scenario <code>")
                .append(esc(spec.base().sourceFile())).append("</code>, ").append(spec.size())
                .append(" combinations (").append(report.filteredCount()).append(" filtered out by GPU bounds), ")
                .append(Numbers.grouped(spec.base().durationS(), 0)).append(" simulated s of traffic each; ")
                .append(slo ? "SLO " + esc(ReplayConsole.sloText(spec.slo())) + " per request."
                        : "no SLO given, so no goodput.").append("</p>\n<p>");
        report.outcomes().forEach((o, n) -> h.append(badge(o)).append(" <b>").append(n).append("</b> &nbsp; "));
        h.append("</p>\n");
        interactivity(h, spec, report.points());
        h.append("<h2>Throughput per GPU vs the latencies ").append(slo ? "the SLO bounds" : "of TTFT and TPOT")
                .append("</h2>\n<div class=\"pair\"><img src=\"throughput-vs-ttft.svg\" alt=\"throughput vs TTFT\">")
                .append("<img src=\"throughput-vs-tpot.svg\" alt=\"throughput vs TPOT\"></div>\n");
        h.append("<h2>Top configurations, by ").append(slo ? "goodput per GPU" : "tokens/s per GPU").append("</h2>\n");
        table(h, spec, report.top(10), slo);
        h.append("<h2>Pareto front (tokens/s per GPU vs E2E p50)</h2>\n");
        table(h, spec, report.paretoFront(), slo);
        failures(h, report);
        for (SweepAxis a : spec.axes()) {
            if (a.values().size() > 1) {
                h.append("<h2>By ").append(esc(a.name())).append("</h2>\n<div class=\"pair\"><img src=\"")
                        .append(SweepReport.outcomePlotName(a)).append(".svg\" alt=\"outcomes by ").append(esc(a.name()))
                        .append("\"><img src=\"").append(SweepReport.plotName(a)).append(".svg\" alt=\"figures by ")
                        .append(esc(a.name())).append("\"></div>\n");
            }
        }
        h.append("<p>Every row: <a href=\"sweep.csv\">sweep.csv</a>, <a href=\"sweep.json\">sweep.json</a>; front: ")
                .append("<a href=\"pareto.csv\">pareto.csv</a>.</p>\n</body></html>\n");
        try {
            Files.writeString(dir.resolve("index.html"), h.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The throughput-against-interactivity chart, with what its series are and how to read it. */
    private static void interactivity(StringBuilder h, SweepSpec spec, List<SweepReport.Point> points) {
        int a = InteractivityChart.groupingAxis(spec.axes(), points);
        h.append("<h2>Output throughput per GPU vs tokens/s per user</h2>\n<img src=\"").append(InteractivityChart.FILE)
                .append(".svg\" alt=\"output tokens/s per GPU against tokens/s per user\">\n<p>Each point is a completed ")
                .append("row: across, the output tokens per second one user sees while its answer streams (1000 / TPOT p50 ")
                .append("in ms); up, the output tokens per second of the whole layout divided by all its GPUs, prefill ")
                .append("and decode alike. ");
        if (a < 0) {
            h.append("No axis has 2 to ").append(InteractivityChart.MAX_SERIES).append(" values, so all rows form one series");
        } else {
            h.append("One colour per value of <code>").append(esc(spec.axes().get(a).name())).append("</code> (the ")
                    .append("<code>serving</code> axis when the sweep has one, else <code>strategy</code>, else the ")
                    .append("first axis in sweep.csv's column order with 2 to ").append(InteractivityChart.MAX_SERIES)
                    .append(" values, 2 of them drawn)");
        }
        h.append(". A line joins a series' frontier, the rows no other row of that series beats on both figures ")
                .append("(listed below, with the colour of their series); ")
                .append("pale points are its other rows. Up and to the right is better: where one line runs above ")
                .append("another, that choice serves more tokens per GPU at the same speed per user.");
        for (InteractivityChart.Series s : InteractivityChart.series(points, spec.axes())) {
            if (s.plotted().isEmpty()) {
                h.append(" <b>").append(esc(s.name())).append("</b> is not drawn: none of its ").append(s.notDrawn())
                        .append(" rows completed with a TPOT.");
            }
        }
        h.append("</p>\n");
        frontierTable(h, spec, InteractivityChart.series(points, spec.axes()));
    }

    /** Each series' frontier rows, by rising tokens/s per user, so a point of the chart leads to its configuration. */
    private static void frontierTable(StringBuilder h, SweepSpec spec, List<InteractivityChart.Series> series) {
        if (series.stream().allMatch(s -> s.frontier().isEmpty())) {
            return;
        }
        h.append("<table><tr><th>#</th>");
        spec.axes().forEach(a -> h.append("<th>").append(esc(a.name())).append("</th>"));
        h.append("<th>seed</th><th>GPUs</th><th>tok/s per user</th><th>output tok/s per GPU</th><th>TPOT p50 ms</th></tr>\n");
        for (int i = 0; i < series.size(); i++) {
            Color c = InteractivityChart.color(i);
            for (SweepReport.Point p : series.get(i).frontier()) {
                h.append(String.format(Locale.ROOT, "<tr><td class=\"n\" style=\"border-left:6px solid #%02x%02x%02x\">",
                        c.getRed(), c.getGreen(), c.getBlue())).append(p.index()).append("</td>");
                p.labels().forEach(l -> h.append("<td>").append(esc(l)).append("</td>"));
                cell(h, Long.toString(p.seed()));
                cell(h, Integer.toString(p.gpus()));
                cell(h, Numbers.grouped(p.tokensPerUser(), 1));
                cell(h, Numbers.grouped(p.outputTokensPerGpu(), 1));
                cell(h, Numbers.grouped(1000 / p.tokensPerUser(), 1));
                h.append("</tr>\n");
            }
        }
        h.append("</table>\n");
    }

    private static void table(StringBuilder h, SweepSpec spec, List<SweepReport.Point> rows, boolean slo) {
        if (rows.isEmpty()) {
            h.append("<p>No combination completed.</p>\n");
            return;
        }
        h.append("<table><tr><th>#</th>");
        spec.axes().forEach(a -> h.append("<th>").append(esc(a.name())).append("</th>"));
        h.append("<th>seed</th><th>GPUs</th><th>tok/s per GPU</th>");
        if (slo) {
            h.append("<th>goodput req/s per GPU</th>");
        }
        h.append("<th>TTFT p99 ms</th><th>TPOT p99 ms</th><th>E2E p50 ms</th></tr>\n");
        for (SweepReport.Point p : rows) {
            h.append("<tr><td class=\"n\">").append(p.index()).append("</td>");
            p.labels().forEach(l -> h.append("<td>").append(esc(l)).append("</td>"));
            cell(h, Long.toString(p.seed()));
            cell(h, Integer.toString(p.gpus()));
            cell(h, Numbers.grouped(p.tokensPerGpu(), 1));
            if (slo) {
                cell(h, String.format(Locale.ROOT, "%.4f", p.goodputPerGpu()));
            }
            cell(h, latency(p.ttftP99Ms()));
            cell(h, latency(p.tpotP99Ms()));
            cell(h, latency(p.e2eP50Ms()));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /** Why rows did not complete: each distinct message of each outcome, with how many rows gave it. */
    private static void failures(StringBuilder h, SweepReport report) {
        Map<String, Integer> messages = new LinkedHashMap<>();
        Map<String, SweepOutcome> outcomeOf = new LinkedHashMap<>();
        for (SweepReport.Point p : report.points()) {
            if (!p.completed()) {
                String key = p.outcome().label() + "\u0000" + p.message();
                messages.merge(key, 1, Integer::sum);
                outcomeOf.put(key, p.outcome());
            }
        }
        if (messages.isEmpty()) {
            return;
        }
        h.append("<h2>Rows that did not complete</h2>\n<table><tr><th>outcome</th><th>rows</th><th>why</th></tr>\n");
        messages.forEach((key, n) -> h.append("<tr><td>").append(badge(outcomeOf.get(key))).append("</td><td class=\"n\">")
                .append(n).append("</td><td>").append(esc(key.substring(key.indexOf('\u0000') + 1))).append("</td></tr>\n"));
        h.append("</table>\n");
    }

    private static void cell(StringBuilder h, String text) {
        h.append("<td class=\"n\">").append(text).append("</td>");
    }

    /** A latency, or a dash where no request finished. */
    private static String latency(double ms) {
        return Double.isNaN(ms) ? "-" : Numbers.grouped(ms, 1);
    }

    private static String badge(SweepOutcome o) {
        Color c = SweepReport.OUTCOME_COLORS.get(o);
        return String.format(Locale.ROOT, "<span class=\"badge\" style=\"background:#%02x%02x%02x\">%s</span>", c.getRed(),
                c.getGreen(), c.getBlue(), o.label());
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

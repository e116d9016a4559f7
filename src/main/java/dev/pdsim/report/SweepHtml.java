package dev.pdsim.report;

import dev.pdsim.diag.Numbers;
import dev.pdsim.experiment.SweepAxis;
import dev.pdsim.experiment.SweepSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** index.html of a sweep: outcome counts, the plots, the best configurations and the Pareto front; no server needed. */
final class SweepHtml {
    private SweepHtml() {
    }

    static void write(SweepReport report, SweepSpec spec, Path dir) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>pdsim sweep: ")
                .append(esc(spec.file())).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:90%}\n")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}\nth{background:#f2f2f2}\n")
                .append("td.n{text-align:right}\nimg{max-width:100%;border:1px solid #eee;margin:0.5em 0}\n")
                .append("</style></head><body>\n");
        h.append("<h1>Sweep ").append(esc(spec.file())).append("</h1>\n<p>Base scenario <code>")
                .append(esc(spec.base().sourceFile())).append("</code>, ").append(spec.size())
                .append(" combinations (").append(report.filteredCount()).append(" filtered out by GPU bounds), ")
                .append(Numbers.grouped(spec.base().durationS(), 0)).append(" simulated s of traffic each.</p>\n<p>");
        report.outcomes().forEach((o, n) -> h.append("<b>").append(n).append("</b> ").append(o.label()).append(" &nbsp; "));
        h.append("</p>\n<h2>Throughput per GPU vs latency</h2>\n<img src=\"pareto.svg\" alt=\"Pareto scatter\">\n");
        h.append("<h2>Top configurations (tokens/s per GPU)</h2>\n");
        table(h, spec, report.top(10));
        h.append("<h2>Pareto front</h2>\n");
        table(h, spec, report.paretoFront());
        for (SweepAxis a : spec.axes()) {
            if (a.values().size() > 1) {
                h.append("<h2>By ").append(esc(a.name())).append("</h2>\n<img src=\"").append(SweepReport.plotName(a))
                        .append(".svg\" alt=\"throughput by ").append(esc(a.name())).append("\">\n");
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

    private static void table(StringBuilder h, SweepSpec spec, List<SweepReport.Point> rows) {
        if (rows.isEmpty()) {
            h.append("<p>No combination completed.</p>\n");
            return;
        }
        h.append("<table><tr><th>#</th>");
        spec.axes().forEach(a -> h.append("<th>").append(esc(a.name())).append("</th>"));
        h.append("<th>seed</th><th>GPUs</th><th>tok/s per GPU</th><th>E2E p50 ms</th><th>TTFT p99 ms</th><th>goodput req/s</th></tr>\n");
        for (SweepReport.Point p : rows) {
            h.append("<tr><td class=\"n\">").append(p.index()).append("</td>");
            p.labels().forEach(l -> h.append("<td>").append(esc(l)).append("</td>"));
            h.append("<td class=\"n\">").append(p.seed()).append("</td><td class=\"n\">").append(p.gpus())
                    .append("</td><td class=\"n\">").append(Numbers.grouped(p.tokensPerGpu(), 1)).append("</td><td class=\"n\">")
                    .append(Numbers.grouped(p.e2eP50Ms(), 0)).append("</td><td class=\"n\">").append(Numbers.grouped(p.ttftP99Ms(), 0))
                    .append("</td><td class=\"n\">").append(Numbers.grouped(p.goodputPerS(), 2)).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package dev.pdsim.scenario;

import dev.pdsim.diag.Numbers;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a trace file into requests whose arrivals are offsets from its first request. Blank lines
 * are skipped, and in a CSV so are lines starting with {@code #}. The first malformed line, or the
 * first whose arrival is earlier than the line before it, is reported at its
 * {@code file:line:column} and ends the reading.
 */
final class TraceReader {
    private TraceReader() {
    }

    /** The requests of {@code file}, or null with a problem; {@code field} is where the scenario names it. */
    static List<TraceRequest> read(Path file, TraceFormat format, Problems problems, SourceLocation field) {
        String name = file.toString();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            problems.add(field, "trace file " + name + " is not UTF-8 text");
            return null;
        } catch (IOException e) {
            problems.add(field, "trace file " + name + " cannot be read (" + (Files.exists(file) ? e.getMessage()
                    : "no such file") + "); a relative path is read from the scenario file's folder");
            return null;
        }
        List<TraceRequest> requests = new ArrayList<>();
        Boolean withGroup = format == TraceFormat.CSV ? null : false;
        long previous = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || (format == TraceFormat.CSV && line.startsWith("#"))) {
                continue;
            }
            SourceLocation at = new SourceLocation(name, i + 1, 1);
            if (withGroup == null) {
                withGroup = header(line, at, problems);
                if (withGroup == null) {
                    return null;
                }
                continue;
            }
            TraceRequest r;
            try {
                r = format == TraceFormat.MOONCAKE ? MooncakeTraceLine.parse(line) : CsvTraceLine.parse(line, withGroup);
            } catch (TraceLineException e) {
                problems.add(new SourceLocation(name, i + 1, e.column()), e.getMessage());
                return null;
            }
            if (!requests.isEmpty() && r.offsetNs() < previous) {
                problems.add(at, "arrives at " + seconds(r.offsetNs()) + " s, before the line above it ("
                        + seconds(previous) + " s); a trace must be sorted by arrival time");
                return null;
            }
            previous = r.offsetNs();
            requests.add(r);
        }
        if (requests.isEmpty()) {
            problems.add(field, "trace file " + name + " holds no request");
            return null;
        }
        long first = requests.get(0).offsetNs();
        return requests.stream().map(r -> new TraceRequest(r.offsetNs() - first, r.inputLen(), r.outputLen(),
                r.blockIds(), r.prefixGroup())).toList();
    }

    /** Whether the CSV header names a prefix_group column; null, with a problem, when it is not a header. */
    private static Boolean header(String line, SourceLocation at, Problems problems) {
        String h = line.replace(" ", "");
        if (h.equals(CsvTraceLine.HEADER) || h.equals(CsvTraceLine.HEADER_WITH_GROUP)) {
            return h.equals(CsvTraceLine.HEADER_WITH_GROUP);
        }
        problems.add(at, "the first line of a CSV trace must be the header " + CsvTraceLine.HEADER
                + " (optionally ,prefix_group), got '" + line + "'");
        return null;
    }

    private static String seconds(long ns) {
        return Numbers.plain(ns / 1e9);
    }
}

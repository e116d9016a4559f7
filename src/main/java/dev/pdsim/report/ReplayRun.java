package dev.pdsim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.metrics.RequestCsvWriter;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A replay written to its folder: summary.json and requests.csv (byte-identical for the same
 * scenario and seed), timing.json (wall clock, which is not), and trace.json when asked.
 */
public final class ReplayRun {
    /** Enough for the warmup and the first minutes of a 64-rank cluster at operation detail. */
    static final long MAX_TRACE_EVENTS = 2_000_000;
    private static final String REQUESTS = "requests.csv";

    /** @param warnings what the results exclude: the launch's flags that are not simulated */
    public record Outcome(RunResult result, List<String> warnings, long wallNanos, Path directory) {
        public double eventsPerSecond() {
            return wallNanos == 0 ? 0 : result.events() / (wallNanos / 1e9);
        }
    }

    private ReplayRun() {
    }

    /**
     * Simulates and writes the run. requests.csv (and trace.json) stream into temporary names and
     * take their names only once the simulation has finished, so a cut file never looks finished.
     */
    public static Outcome write(Scenario scenario, ReplayOptions options, Path dir, boolean trace) {
        long t0 = System.nanoTime();
        RunResult result;
        Path requestsFile = dir.resolve(REQUESTS);
        Path traceFile = dir.resolve("trace.json");
        try (RequestCsvWriter requests = new RequestCsvWriter(OutputDirectory.temporary(requestsFile));
             ChromeTraceWriter traceWriter = trace ? new ChromeTraceWriter(OutputDirectory.temporary(traceFile),
                     MAX_TRACE_EVENTS) : null) {
            result = ServingSimulation.run(scenario, options, requests, traceWriter);
        }
        long wall = System.nanoTime() - t0;
        Outcome outcome = new Outcome(result, scenario.warnings(), wall, dir);
        try {
            OutputDirectory.publish(OutputDirectory.temporary(requestsFile), requestsFile);
            if (trace) {
                OutputDirectory.publish(OutputDirectory.temporary(traceFile), traceFile);
            }
            OutputDirectory.writeAtomically(dir.resolve("summary.json"), SummaryJson.render(result, outcome.warnings()));
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode timing = json.createObjectNode();
            timing.put("wall_ms", wall / 1e6);
            timing.put("events_per_s", outcome.eventsPerSecond());
            OutputDirectory.writeAtomically(dir.resolve("timing.json"), timing.toPrettyString() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return outcome;
    }

    /** What an interrupted replay's folder holds: the simulation had not finished, so no finished file. */
    public static String partialContents() {
        return "no finished file: the simulation had not finished; " + OutputDirectory.temporary(Path.of(REQUESTS))
                + " holds the requests written so far (its last line may be cut)";
    }
}

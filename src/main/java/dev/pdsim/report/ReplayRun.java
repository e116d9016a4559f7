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

/**
 * A replay written to its folder: summary.json and requests.csv (byte-identical for the same
 * scenario and seed), timing.json (wall clock, which is not), and trace.json when asked.
 */
public final class ReplayRun {
    /**
     * Perfetto opens a trace of this size in a browser tab in seconds (under 50 MB); at iteration
     * fidelity the default window stays far below it, at layer fidelity a busy cluster reaches it
     * after about 5 simulated seconds.
     */
    static final long MAX_TRACE_BYTES = 45L << 20;
    private static final String REQUESTS = "requests.csv";

    /**
     * @param scenario    the scenario as run (its warnings say what the results exclude)
     * @param traceCutNs  where trace.json stopped at its size cap (the last event it kept), or -1 if it did not
     */
    public record Outcome(RunResult result, Scenario scenario, long wallNanos, Path directory, long traceCutNs) {
        public double eventsPerSecond() {
            return wallNanos == 0 ? 0 : result.events() / (wallNanos / 1e9);
        }
    }

    private ReplayRun() {
    }

    /**
     * Simulates and writes the run. requests.csv (and trace.json) stream into temporary names and
     * take their names only once the simulation has finished, so a cut file never looks finished.
     *
     * @param traceWindow the simulated time whose events trace.json holds, or null for no trace
     */
    public static Outcome write(Scenario scenario, ReplayOptions options, Path dir, TraceWindow traceWindow) {
        long t0 = System.nanoTime();
        RunResult result;
        long traceCut = -1;
        Path requestsFile = dir.resolve(REQUESTS);
        Path traceFile = dir.resolve("trace.json");
        try (RequestCsvWriter requests = new RequestCsvWriter(OutputDirectory.temporary(requestsFile));
             ChromeTraceWriter traceWriter = traceWindow == null ? null
                     : new ChromeTraceWriter(OutputDirectory.temporary(traceFile), traceWindow.startNs(),
                     traceWindow.endNs(), MAX_TRACE_BYTES)) {
            result = ServingSimulation.run(scenario, options, requests, traceWriter);
            if (traceWriter != null && traceWriter.truncated()) {
                traceCut = traceWriter.lastEventNs();
            }
        }
        long wall = System.nanoTime() - t0;
        Outcome outcome = new Outcome(result, scenario, wall, dir, traceCut);
        try {
            OutputDirectory.publish(OutputDirectory.temporary(requestsFile), requestsFile);
            if (traceWindow != null) {
                OutputDirectory.publish(OutputDirectory.temporary(traceFile), traceFile);
            }
            OutputDirectory.writeAtomically(dir.resolve("summary.json"), SummaryJson.render(result, scenario));
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

package dev.pdsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pdsim.scenario.LengthSpec;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.WorkloadSpec;
import dev.pdsim.serving.Fidelity;
import dev.pdsim.serving.ReplayOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** trace.json as Perfetto reads it: slices on a track nest, TBO children on their own tracks, the window respected. */
class ChromeTraceWriterTest {
    /** ts and dur are microseconds with nanosecond decimals; sums of two doubles round at this size. */
    private static final double EPS_US = 1e-3;

    private record Slice(String name, double start, double end) {
    }

    private static JsonNode replay(Path dir, Fidelity fidelity, TraceWindow window) throws Exception {
        // DeepEP makes the reported launch serve with TBO on its prefill: children A and B overlap.
        Scenario s = ScenarioLoader.load(Path.of("scenarios", "reported-xpyd-deepep.yaml")).withDuration(2);
        if (fidelity == Fidelity.LAYER) {
            // Short outputs: the run drains in a simulated second instead of simulating every layer of long decodes.
            WorkloadSpec w = s.workload();
            s = s.withDuration(0.5).withWorkload(new WorkloadSpec(w.type(), w.rate(), w.concurrency(), w.inputLen(),
                    new LengthSpec.Fixed(8), w.maxRequests(), w.prefix(), w.trace()));
        }
        ReplayRun.write(s, ReplayOptions.DEFAULT.withFidelity(fidelity), dir, window);
        return new ObjectMapper().readTree(dir.resolve("trace.json").toFile());
    }

    private static Map<String, List<Slice>> slicesByTrack(JsonNode trace) {
        Map<String, List<Slice>> tracks = new HashMap<>();
        for (JsonNode e : trace.get("traceEvents")) {
            if (e.get("ph").asText().equals("X")) {
                double ts = e.get("ts").asDouble();
                tracks.computeIfAbsent(e.get("pid").asInt() + "/" + e.get("tid").asInt(), k -> new ArrayList<>())
                        .add(new Slice(e.get("name").asText(), ts, ts + e.get("dur").asDouble()));
            }
        }
        return tracks;
    }

    private static Map<String, String> trackNames(JsonNode trace) {
        Map<String, String> names = new HashMap<>();
        for (JsonNode e : trace.get("traceEvents")) {
            if (e.get("ph").asText().equals("M") && e.get("name").asText().equals("thread_name")) {
                names.put(e.get("pid").asInt() + "/" + e.get("tid").asInt(), e.get("args").get("name").asText());
            }
        }
        return names;
    }

    /** Each slice ends before the next starts or contains it, the way Perfetto stacks a track's slices. */
    private static void assertNests(String track, List<Slice> slices) {
        List<Slice> sorted = new ArrayList<>(slices);
        sorted.sort(Comparator.comparingDouble(Slice::start).thenComparing(Comparator.comparingDouble(Slice::end).reversed()));
        Deque<Slice> open = new ArrayDeque<>();
        for (Slice s : sorted) {
            while (!open.isEmpty() && open.peek().end() <= s.start() + EPS_US) {
                open.pop();
            }
            if (!open.isEmpty()) {
                Slice parent = open.peek();
                assertTrue(s.end() <= parent.end() + EPS_US, () -> "on track " + track + ", " + s + " overlaps " + parent
                        + " without nesting in it");
            }
            open.push(s);
        }
    }

    @Test
    void slicesNestOnEveryTrackAndTboChildrenHaveTheirOwn(@TempDir Path dir) throws Exception {
        for (Fidelity fidelity : Fidelity.values()) {
            Path out = Files.createDirectories(dir.resolve(fidelity.name()));
            // At layer fidelity every operation of every forward is a slice: 0.05 s holds the warmup (TBO on
            // the prefill), far from the size cap.
            TraceWindow window = fidelity == Fidelity.LAYER ? new TraceWindow(0, 50_000_000L) : TraceWindow.DEFAULT;
            JsonNode trace = replay(out, fidelity, window);
            Map<String, List<Slice>> tracks = slicesByTrack(trace);
            Map<String, String> names = trackNames(trace);
            tracks.forEach(ChromeTraceWriterTest::assertNests);
            int childTracks = 0;
            for (var e : tracks.entrySet()) {
                String name = names.get(e.getKey());
                boolean childTrack = name.endsWith("TBO A") || name.endsWith("TBO B");
                String tag = childTrack ? " [" + name.substring(name.length() - 1) + "]" : null;
                for (Slice s : e.getValue()) {
                    if (childTrack) {
                        assertTrue(s.name().endsWith(tag), () -> s + " on " + name);
                    } else {
                        assertFalse(s.name().endsWith(" [A]") || s.name().endsWith(" [B]"), () -> s + " on " + name);
                    }
                }
                childTracks += childTrack ? 1 : 0;
            }
            // 16 prefill ranks, each with both children's tracks.
            assertEquals(32, childTracks, fidelity + ": " + names.values());
            assertFalse(trace.get("metadata").get("truncated").asBoolean());
        }
    }

    @Test
    void theNestingCheckCatchesOverlappingSlices() {
        List<Slice> childrenOnOneTrack = List.of(new Slice("L3 dispatch_a [A]", 0, 10), new Slice("L3 attn [B]", 5, 15));
        assertThrows(AssertionFailedError.class, () -> assertNests("rank 0", childrenOnOneTrack));
        assertNests("rank 0", List.of(new Slice("forward", 0, 20), new Slice("L0 attn", 0, 10), new Slice("L0 mlp", 10, 20)));
    }

    @Test
    void onlyTheWindowIsWritten(@TempDir Path dir) throws Exception {
        JsonNode whole = replay(Files.createDirectories(dir.resolve("whole")), Fidelity.ITERATION, new TraceWindow(0, 10_000_000_000L));
        JsonNode late = replay(Files.createDirectories(dir.resolve("late")), Fidelity.ITERATION,
                new TraceWindow(2_000_000_000L, 3_000_000_000L));
        int inWindow = 0;
        for (JsonNode e : late.get("traceEvents")) {
            if (e.get("ph").asText().equals("X")) {
                double start = e.get("ts").asDouble();
                double end = start + e.get("dur").asDouble();
                assertTrue(end >= 2e6 - EPS_US && start <= 3e6 + EPS_US, e.toString());
                inWindow++;
            }
        }
        long wholeSlices = 0;
        for (JsonNode e : whole.get("traceEvents")) {
            wholeSlices += e.get("ph").asText().equals("X") ? 1 : 0;
        }
        assertTrue(inWindow > 0 && inWindow < wholeSlices, inWindow + " of " + wholeSlices);
        assertEquals(2.0, late.get("metadata").get("window_start_s").asDouble());
    }

    @Test
    void aByteBudgetTruncatesTheTraceAndSaysSo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trace.json");
        try (ChromeTraceWriter w = new ChromeTraceWriter(file, 0, Long.MAX_VALUE, 10_000)) {
            for (int i = 0; i < 1_000; i++) {
                w.slice("prefill-0", i % 16, null, "forward", "forward", i * 1000L, i * 1000L + 500, "iteration " + i);
            }
        }
        JsonNode trace = new ObjectMapper().readTree(file.toFile());
        assertTrue(trace.get("metadata").get("truncated").asBoolean());
        assertTrue(Files.size(file) < 12_000, "size " + Files.size(file));
    }
}

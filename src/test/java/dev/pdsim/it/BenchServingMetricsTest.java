package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.report.ReplayConsole;
import dev.pdsim.report.ReplayRun;
import dev.pdsim.scenario.LengthSpec;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.Slo;
import dev.pdsim.scenario.WorkloadSpec;
import dev.pdsim.serving.Outcome;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench_serving's figures (python/sglang/bench_serving.py:1094-1170 at 69183f8) recomputed from
 * requests.csv's timestamps, goodput under each kind of SLO bound, and the outputs of runs in
 * which nothing, or not everything, finished.
 */
class BenchServingMetricsTest {
    private static final ReplayOptions CHECKED = ReplayOptions.DEFAULT.withCheck(true);

    private static Scenario serving(Slo slo) {
        return ReplayGoldenTest.scenario("reported-xpyd.yaml", "tbo-off", 60).withSlo(slo);
    }

    private static List<RequestRecord> finishedUser(List<RequestRecord> all) {
        return all.stream().filter(r -> r.kind().equals("user") && r.state().equals("finished")).toList();
    }

    private static double ttftMs(RequestRecord r) {
        return (r.firstTokenNs() - r.arrivalNs()) / 1e6;
    }

    private static double tpotMs(RequestRecord r) {
        // In the simulator's order of operations, so a bound set at one request's exact TPOT includes it.
        return (double) (r.finishNs() - r.firstTokenNs()) / (r.outputLen() - 1) / 1e6;
    }

    @Test
    void throughputAndMeansAreBenchServingsOverTheFinishedRequests() {
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = ServingSimulation.run(serving(Slo.NONE), CHECKED, RequestSink.into(records), null);
        List<RequestRecord> done = finishedUser(records);
        assertTrue(done.size() > 100, "finished " + done.size());
        assertEquals(done.size(), r.finished());
        long input = done.stream().mapToLong(RequestRecord::inputLen).sum();
        long output = done.stream().mapToLong(RequestRecord::outputLen).sum();
        assertEquals(input, r.finishedInputTokens());
        assertEquals(output, r.finishedOutputTokens());
        double duration = r.durationS();
        double lastEnd = done.stream().mapToLong(RequestRecord::finishNs).max().orElseThrow() / 1e9;
        assertTrue(duration >= 60 && r.trafficStartS() + duration >= lastEnd, "duration " + duration);
        assertEquals(done.size() / duration, r.requestThroughput(), 1e-9);
        assertEquals((input + output) / duration, r.totalThroughput(), 1e-9);
        // Means are exact; percentiles are HdrHistogram's, within its 3 significant digits of an exact sample.
        double meanTtft = done.stream().mapToDouble(BenchServingMetricsTest::ttftMs).average().orElseThrow();
        assertEquals(meanTtft, r.latency().ttft().mean(), 1e-6);
        double meanTpot = done.stream().filter(x -> x.outputLen() > 1).mapToDouble(BenchServingMetricsTest::tpotMs)
                .average().orElseThrow();
        assertEquals(meanTpot, r.latency().tpot().mean(), 1e-3);
        double[] e2e = done.stream().mapToDouble(x -> (x.finishNs() - x.arrivalNs()) / 1e6).sorted().toArray();
        double median = e2e[(int) Math.ceil(0.5 * e2e.length) - 1];
        assertEquals(median, r.latency().e2e().p50(), median * 1e-3 + 1e-3);
        assertTrue(r.latency().itl().p50() > 0 && r.latency().itl().p99() >= r.latency().itl().p50());
        assertTrue(Double.isNaN(r.goodput()), "no SLO, no goodput");
    }

    @Test
    void goodputCountsTheRequestsWithinEveryBound() {
        List<RequestRecord> records = new ArrayList<>();
        RunResult unbounded = ServingSimulation.run(serving(Slo.NONE), CHECKED, RequestSink.into(records), null);
        List<RequestRecord> done = finishedUser(records);
        double[] ttfts = done.stream().mapToDouble(BenchServingMetricsTest::ttftMs).sorted().toArray();
        double[] tpots = done.stream().filter(x -> x.outputLen() > 1).mapToDouble(BenchServingMetricsTest::tpotMs).sorted().toArray();
        double ttftBound = ttfts[ttfts.length / 2];
        double tpotBound = tpots[tpots.length / 3];
        Predicate<RequestRecord> good = x -> ttftMs(x) <= ttftBound && (x.outputLen() <= 1 || tpotMs(x) <= tpotBound);
        long expected = done.stream().filter(good).count();
        assertTrue(expected > 0 && expected < done.size(), "bounds must split the requests: " + expected);

        RunResult bounded = ServingSimulation.run(serving(new Slo(ttftBound, tpotBound, Double.POSITIVE_INFINITY)),
                CHECKED, RequestSink.NONE, null);
        assertEquals(expected, bounded.goodRequests());
        assertEquals(expected / bounded.durationS(), bounded.goodput(), 1e-9);
        assertEquals(unbounded.finished(), bounded.finished(), "an SLO changes what counts, not what runs");

        // ITL bounds every gap: above the slowest step every request is good, below the median step few are.
        double itlMax = unbounded.latency().itl().p99() * 10;
        RunResult loose = ServingSimulation.run(serving(new Slo(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, itlMax)),
                CHECKED, RequestSink.NONE, null);
        assertEquals(loose.finished(), loose.goodRequests());
        RunResult tight = ServingSimulation.run(serving(new Slo(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                unbounded.latency().itl().p50() * 0.99)), CHECKED, RequestSink.NONE, null);
        assertTrue(tight.goodRequests() < tight.finished() / 2, tight.goodRequests() + " of " + tight.finished());
    }

    @Test
    void aCrashedRunPrintsNoLatencyAndWritesNulls(@TempDir Path dir) throws Exception {
        Scenario s = ReplayGoldenTest.scenario("reported-xpyd.yaml", "buggy", 10);
        ReplayRun.Outcome o = ReplayRun.write(s, CHECKED, dir, null);
        assertEquals(Outcome.CRASHED, o.result().outcome());
        String console = ReplayConsole.render(o);
        assertTrue(console.contains("no request finished"), console);
        assertFalse(console.contains("NaN") || console.contains("TTFT 0.0"), console);
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        for (String latency : List.of("ttft", "tpot", "itl", "e2e")) {
            for (String figure : List.of("mean", "p50", "p90", "p99")) {
                assertTrue(summary.at("/latency_ms/" + latency + "/" + figure).isNull(), latency + " " + figure);
            }
        }
        assertEquals(0, summary.at("/bench_serving/completed").asLong());
        assertTrue(summary.at("/bench_serving/goodput").isNull(), "no SLO given");
        assertEquals(s.name(), summary.at("/config/name").asText());
        assertEquals(16, summary.at("/config/instances/0/server_args/tp_size").asInt());
        assertFalse(Files.readString(dir.resolve("summary.json")).matches("(?s).*\\d[eE][+-]?\\d.*"), "plain decimals only");
    }

    @Test
    void requestsStillRunningAtTheEndAreUnfinishedNotAborted(@TempDir Path dir) throws Exception {
        Scenario base = ReplayGoldenTest.scenario("reported-xpyd.yaml", "tbo-off", 2);
        WorkloadSpec w = base.workload();
        // Outputs far longer than the run's drain: every request is still decoding when the run stops.
        Scenario s = base.withWorkload(new WorkloadSpec(w.type(), w.rate(), w.concurrency(), w.inputLen(),
                new LengthSpec.Fixed(400_000), w.maxRequests(), w.prefix(), w.trace()));
        ReplayRun.Outcome o = ReplayRun.write(s, CHECKED, dir, null);
        RunResult r = o.result();
        assertEquals(Outcome.COMPLETED, r.outcome());
        assertTrue(r.submitted() > 0);
        assertEquals(0, r.aborted());
        assertEquals(r.submitted(), r.unfinished());
        assertEquals(r.submitted(), r.finished() + r.aborted() + r.unfinished());
        assertTrue(ReplayConsole.render(o).contains("no request finished"));
        List<String> csv = Files.readAllLines(dir.resolve("requests.csv"));
        assertTrue(csv.stream().filter(l -> l.contains(",user,")).allMatch(l -> l.contains(",unfinished,")), csv.get(1));
    }
}

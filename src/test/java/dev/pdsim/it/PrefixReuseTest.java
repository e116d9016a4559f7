package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.report.ReplayRun;
import dev.pdsim.scenario.PrefixSpec;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.TraceRequest;
import dev.pdsim.scenario.WorkloadSpec;
import dev.pdsim.serving.PrefixCacheUse;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prefix reuse end to end: the shipped trace replay hits its prefill ranks' radix caches, a rank at
 * a time; a smaller KV pool evicts and hits less; --disable-radix-cache hits nothing; the Mooncake
 * and CSV copies of the trace give the same run; and the same scenario gives the same bytes.
 */
class PrefixReuseTest {
    private static final ReplayOptions CHECKED = ReplayOptions.DEFAULT.withCheck(true);
    private static final Path TRACE_SCENARIO = Path.of("scenarios", "trace-replay.yaml");

    private static PrefixCacheUse cacheUse(Scenario s) {
        RunResult r = ServingSimulation.run(s, CHECKED, RequestSink.NONE, null);
        assertEquals(r.submitted(), r.finished(), "every request of the trace is served");
        assertEquals(1, r.prefixCache().size());
        return r.prefixCache().get(0);
    }

    private static Scenario withPrefillFlag(String flag, String value) {
        return ScenarioLoader.load(TRACE_SCENARIO).withFlags(Role.PREFILL, Map.of(flag, value), "test");
    }

    @Test
    void repeatedBlocksHitAndTheRateDependsOnTheRank() {
        Scenario s = ScenarioLoader.load(TRACE_SCENARIO);
        PrefixCacheUse u = cacheUse(s);
        long traceTokens = s.workload().trace().requests().stream().mapToLong(TraceRequest::inputLen).sum();
        assertEquals(traceTokens, u.served());
        assertTrue(u.radixCache());
        assertTrue(u.cached() > 0 && u.computed() < u.served(), "hits expected: " + u);
        double[] ranks = u.rankHitRates();
        assertEquals(16, ranks.length);
        assertTrue(Arrays.stream(ranks).max().orElseThrow() > Arrays.stream(ranks).min().orElseThrow(),
                Arrays.toString(ranks));
        // Only system-prompt blocks are shared: at most 2048 tokens of each prompt can hit.
        assertTrue(u.cached() <= 2048L * s.workload().trace().requests().size());
    }

    @Test
    void aSmallerKvPoolEvictsCachedPrefixesAndHitsLess() {
        double full = cacheUse(ScenarioLoader.load(TRACE_SCENARIO)).hitRate();
        double small = cacheUse(withPrefillFlag("max-total-tokens", "8192")).hitRate();
        assertTrue(small > 0 && small < full, "8192-token pools: " + small + ", full pools: " + full);
    }

    @Test
    void disablingTheRadixCacheComputesEveryPromptInFull() {
        PrefixCacheUse u = cacheUse(withPrefillFlag("disable-radix-cache", "true"));
        assertFalse(u.radixCache());
        assertEquals(0, u.cached());
        assertEquals(u.served(), u.computed());
    }

    @Test
    void theCsvCopyOfTheTraceGivesTheSameRun() throws IOException {
        String text = Files.readString(TRACE_SCENARIO, StandardCharsets.UTF_8)
                .replaceFirst("file: traces/synthetic.jsonl", "file: traces/synthetic.csv\n  prefix: {length: 2048}")
                .replaceFirst("format: mooncake", "format: csv");
        Scenario csv = ScenarioLoader.parse(TRACE_SCENARIO.toString(), text);
        PrefixCacheUse fromCsv = cacheUse(csv);
        PrefixCacheUse fromJsonl = cacheUse(ScenarioLoader.load(TRACE_SCENARIO));
        assertEquals(fromJsonl.served(), fromCsv.served());
        assertEquals(fromJsonl.cached(), fromCsv.cached());
    }

    @Test
    void theSameScenarioGivesTheSameBytes(@TempDir Path tmp) throws IOException {
        Scenario s = ScenarioLoader.load(TRACE_SCENARIO);
        for (String run : List.of("a", "b")) {
            ReplayRun.write(s, CHECKED, Files.createDirectories(tmp.resolve(run)), null);
        }
        for (String f : List.of("summary.json", "requests.csv")) {
            assertEquals(Files.readString(tmp.resolve("a").resolve(f)), Files.readString(tmp.resolve("b").resolve(f)), f);
        }
        assertTrue(Files.readString(tmp.resolve("a").resolve("summary.json")).contains("\"prefix_cache\""));
    }

    @Test
    void syntheticPrefixGroupsHitWithoutMovingArrivalsOrLengths() throws IOException {
        String text = Files.readString(TRACE_SCENARIO, StandardCharsets.UTF_8);
        String poisson = text.substring(0, text.indexOf("workload:")) + """
                workload:
                  type: poisson
                  rate: 6
                  input_len: {distribution: lognormal, median: 3000, sigma: 0.5, min: 1200, max: 9000}
                  output_len: {distribution: uniform, min: 64, max: 512}
                """ + text.substring(text.indexOf("instances:"));
        Scenario plain = ScenarioLoader.parse(TRACE_SCENARIO.toString(), poisson).withDuration(30);
        WorkloadSpec w = plain.workload();
        Scenario grouped = plain.withWorkload(new WorkloadSpec(w.type(), w.rate(), w.concurrency(), w.inputLen(),
                w.outputLen(), w.maxRequests(), new PrefixSpec(4, 1024), null));
        List<RequestRecord> a = new ArrayList<>();
        List<RequestRecord> b = new ArrayList<>();
        RunResult withoutPrefix = ServingSimulation.run(plain, CHECKED, sink(a), null);
        RunResult withPrefix = ServingSimulation.run(grouped, CHECKED, sink(b), null);
        assertTrue(withoutPrefix.prefixCache().isEmpty(), "nothing to report without shared prefixes");
        assertEquals(drawn(a), drawn(b));
        long cached = withPrefix.prefixCache().get(0).cached();
        assertNotEquals(0, cached);
        assertTrue(cached <= 1024L * withPrefix.submitted(), "at most the prefix of each prompt: " + cached);
        assertEquals(withPrefix.submitted(), withPrefix.finished());
    }

    /** Each request's draws, in arrival order (records come in the order requests end). */
    private static List<String> drawn(List<RequestRecord> records) {
        return records.stream().sorted(Comparator.comparingLong(RequestRecord::id))
                .map(r -> r.arrivalNs() + "/" + r.inputLen() + "/" + r.outputLen()).toList();
    }

    private static RequestSink sink(List<RequestRecord> into) {
        return new RequestSink() {
            @Override
            public void accept(RequestRecord record) {
                if (record.kind().equals("user")) {
                    into.add(record);
                }
            }

            @Override
            public void close() {
            }
        };
    }
}

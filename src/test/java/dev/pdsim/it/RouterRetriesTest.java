package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.report.SummaryJson;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.serving.InjectedFault;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A router that retries: a request failed by a fault is sent again from scratch to a live pair,
 * at most the configured number of times, then ends aborted; each request still ends once, and
 * the invariants (checked on every run here) hold over the restarted timelines.
 */
class RouterRetriesTest {
    private static final Path RETRIED = Path.of("scenarios", "faults", "node-lost-retried.yaml");
    private static final Path KV_FAILURE = Path.of("scenarios", "faults", "kv-transfer-failure.yaml");
    private static final long LOST_NS = 30_000_000_000L;

    private static RunResult run(Path file, String text, List<RequestRecord> records) {
        Scenario s = ScenarioLoader.parse(file.toString(), text);
        return ServingSimulation.run(s, ReplayOptions.DEFAULT.withCheck(true), RequestSink.into(records), null);
    }

    private static List<RequestRecord> user(List<RequestRecord> records) {
        return records.stream().filter(q -> q.kind().equals("user")).toList();
    }

    @Test
    void theRequestsOfALostServerAreSentAgainAndFinishElsewhere() throws IOException {
        List<RequestRecord> lostRecords = new ArrayList<>();
        RunResult withoutRetries = run(RETRIED, Files.readString(Path.of("scenarios", "faults", "node-lost.yaml")),
                lostRecords);
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = run(RETRIED, Files.readString(RETRIED), records);

        assertTrue(withoutRetries.aborted() > 0);
        assertEquals(withoutRetries.aborted(), r.retries(), "the same requests fail at 30 s; each is retried instead");
        assertEquals(0, r.aborted());
        assertEquals(r.submitted(), r.finished() + r.aborted() + r.unfinished());
        List<RequestRecord> user = user(records);
        assertEquals(r.submitted(), user.size(), "one record per request, however many attempts");
        List<RequestRecord> retried = user.stream().filter(q -> !q.reason().isEmpty()).toList();
        assertEquals(r.retries(), retried.size());
        for (RequestRecord q : retried) {
            assertEquals("finished", q.state());
            assertEquals("finished after 1 retry; the last failure: node 1 of decode-0 lost at 30 s", q.reason());
            assertEquals("decode-1", q.decodeInstance());
            assertTrue(q.arrivalNs() < LOST_NS, "it keeps its arrival");
            assertTrue(q.bootstrappedNs() >= LOST_NS, "its timeline restarts with the retry: no KV survives");
            assertEquals(q.outputLen(), q.outputTokens());
        }
        assertEquals(List.of(new InjectedFault("node 1 of decode-0 lost at 30 s", 30.0, "decode-0", true, 0,
                r.retries(), true)), r.faults());
        String json = SummaryJson.render(r, ScenarioLoader.load(RETRIED));
        assertTrue(json.contains("\"retries\" : " + r.retries()), json);
    }

    @Test
    void aRequestThatKeepsFailingEndsAbortedAfterItsRetries() throws IOException {
        String text = Files.readString(KV_FAILURE).replace("router: round-robin", "router: {policy: round-robin, retries: 2}")
                .replace("kv_transfer_failure: {at_s: 10, count: 5}", "kv_transfer_failure: {at_s: 10, count: 1000000}");
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = run(KV_FAILURE, text, records);

        assertTrue(r.aborted() > 0);
        assertEquals(r.submitted(), r.finished() + r.aborted() + r.unfinished());
        List<RequestRecord> user = user(records);
        assertEquals(r.submitted(), user.size());
        for (RequestRecord q : user.stream().filter(q -> q.state().equals("aborted")).toList()) {
            assertTrue(q.reason().startsWith("KV transfer from prefill-"), q.reason());
            assertTrue(q.reason().endsWith(" (after 2 retries)"), q.reason());
        }
        assertEquals(2 * r.aborted(), r.retries(), "every transfer fails: each request that reaches one fails three times");
        long failed = r.faults().stream().mapToLong(f -> f.aborted() + f.retried()).sum();
        assertEquals(3 * r.aborted(), failed);
    }

    @Test
    void theMappingFormWithoutRetriesIsTheRouterOfOldAndNeverRetries() throws IOException {
        String plain = Files.readString(KV_FAILURE);
        String mapping = plain.replace("router: round-robin", "router: {policy: round-robin}");
        assertFalse(plain.equals(mapping));
        RunResult a = run(KV_FAILURE, plain, new ArrayList<>());
        RunResult b = run(KV_FAILURE, mapping, new ArrayList<>());
        assertEquals(a.requests(), b.requests());
        assertEquals(5, a.aborted());
        assertEquals(0, a.retries());
    }
}

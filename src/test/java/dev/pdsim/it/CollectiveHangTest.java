package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.serving.InjectedFault;
import dev.pdsim.serving.InstanceStatus;
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
 * The shipped collective-hang scenario: decode-0 hangs at 15 s and holds its requests until its
 * watchdog kills it 60 s later, when they end aborted; with a watchdog that never fires within the
 * run they are left unfinished instead, and the server stays hung.
 */
class CollectiveHangTest {
    private static final Path SCENARIO = Path.of("scenarios", "faults", "collective-hang.yaml");
    private static final long HANG_NS = 15_000_000_000L;
    private static final long KILL_NS = 75_000_000_000L;
    private static final String KILLED = "decode-0 killed by the watchdog after 60 s (collective hang on decode-0 at 15 s)";

    static RunResult run(String text, List<RequestRecord> records) {
        Scenario s = ScenarioLoader.parse(SCENARIO.toString(), text);
        return ServingSimulation.run(s, ReplayOptions.DEFAULT.withCheck(true), RequestSink.into(records), null);
    }

    private static List<RequestRecord> user(List<RequestRecord> records) {
        return records.stream().filter(q -> q.kind().equals("user")).toList();
    }

    @Test
    void theWatchdogKillsTheHungServerAndItsRequestsEndAbortedThen() throws IOException {
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = run(Files.readString(SCENARIO), records);

        assertEquals(InstanceStatus.KILLED, r.instanceStatus().get("decode-0"));
        assertEquals(InstanceStatus.READY, r.instanceStatus().get("decode-1"));
        List<RequestRecord> user = user(records);
        assertEquals(r.submitted(), user.size(), "one record per request: each ends exactly once");
        assertEquals(r.submitted(), r.finished() + r.aborted() + r.unfinished());
        List<RequestRecord> aborted = user.stream().filter(q -> q.state().equals("aborted")).toList();
        assertFalse(aborted.isEmpty(), "decode-0 held requests when it hung");
        for (RequestRecord q : aborted) {
            assertEquals(KILLED, q.reason());
            assertEquals("decode-0", q.decodeInstance());
            assertEquals(KILL_NS, q.finishNs(), "held until the watchdog fired, not aborted at the hang");
            assertTrue(q.arrivalNs() < HANG_NS, "the router sends nothing to a hung server");
        }
        assertEquals(0, r.unfinished());
        assertEquals(List.of(new InjectedFault("collective hang on decode-0 at 15 s", 15.0, "decode-0", true, 0),
                new InjectedFault(KILLED, 75.0, "decode-0", true, aborted.size())), r.faults());
        assertEquals("completed", r.outcome().label(), "an injected fault is not the strategy's failure");
    }

    @Test
    void behindARouterThatRetriesTheKilledServersRequestsAreSentAgainAndFinish() throws IOException {
        String text = Files.readString(SCENARIO).replace("router: round-robin", "router: {policy: round-robin, retries: 1}");
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = run(text, records);

        assertEquals(0, r.aborted());
        assertTrue(r.retries() > 0);
        assertEquals(r.submitted(), r.finished() + r.unfinished());
        List<RequestRecord> retried = user(records).stream().filter(q -> !q.reason().isEmpty()).toList();
        assertEquals(r.retries(), retried.size());
        for (RequestRecord q : retried) {
            assertEquals("finished after 1 retry; the last failure: " + KILLED, q.reason());
            assertTrue(q.bootstrappedNs() >= KILL_NS, "sent again when the watchdog fired, from scratch");
            assertEquals("decode-1", q.decodeInstance());
        }
    }

    @Test
    void withAWatchdogBeyondTheRunTheServerStaysHungAndItsRequestsAreUnfinished() throws IOException {
        String text = Files.readString(SCENARIO).replace("watchdog_timeout: 60", "watchdog_timeout: 1000000");
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = run(text, records);

        assertEquals(InstanceStatus.HUNG, r.instanceStatus().get("decode-0"));
        assertEquals(0, r.aborted());
        List<RequestRecord> unfinished = user(records).stream().filter(q -> q.state().equals("unfinished")).toList();
        assertEquals(r.unfinished(), unfinished.size());
        assertFalse(unfinished.isEmpty());
        for (RequestRecord q : unfinished) {
            assertEquals("decode-0", q.decodeInstance());
            assertTrue(q.reason().endsWith("; decode-0 hung since 15.000000 s"), q.reason());
        }
        assertEquals(List.of(new InjectedFault("collective hang on decode-0 at 15 s", 15.0, "decode-0", true, 0)),
                r.faults());
    }
}

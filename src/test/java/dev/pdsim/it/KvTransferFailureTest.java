package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.ScenarioLoader;
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
 * The shipped KV-transfer-failure scenario: the first five transfers to complete from 10 s fail,
 * those requests end aborted with the reason (the KV released on both sides, which {@code --check}
 * verifies at the end of the run), and nothing else is lost.
 */
class KvTransferFailureTest {
    private static final Path SCENARIO = Path.of("scenarios", "faults", "kv-transfer-failure.yaml");
    private static final String FAULT = "  - kv_transfer_failure: {at_s: 10, count: 5}\n";

    private static RunResult run(String text, List<RequestRecord> records) {
        return ServingSimulation.run(ScenarioLoader.parse(SCENARIO.toString(), text),
                ReplayOptions.DEFAULT.withCheck(true), RequestSink.into(records), null);
    }

    @Test
    void theNextFiveTransfersFromTenSecondsFailAndTheirRequestsEndAborted() throws IOException {
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = run(Files.readString(SCENARIO), records);

        assertEquals(5, r.aborted());
        assertEquals(0, r.unfinished());
        assertEquals(r.submitted(), r.finished() + r.aborted());
        List<RequestRecord> user = records.stream().filter(q -> q.kind().equals("user")).toList();
        assertEquals(r.submitted(), user.size(), "one record per request: each ends exactly once");
        List<RequestRecord> aborted = user.stream().filter(q -> q.state().equals("aborted")).toList();
        for (int i = 0; i < aborted.size(); i++) {
            RequestRecord q = aborted.get(i);
            assertTrue(q.reason().startsWith("KV transfer from " + q.prefillInstance() + " to " + q.decodeInstance()
                    + " failed (injected kv_transfer_failure at 10 s, " + (i + 1) + " of 5)"), q.reason());
            assertTrue(q.finishNs() >= 10_000_000_000L, "fails only from at_s on: " + q);
            assertEquals(-1, q.decodeStartNs(), "a failed transfer never reaches decode");
        }
        assertEquals(5, r.faults().size());
        // Transfers after the five complete as usual: requests arriving later finish.
        long lastFailure = aborted.get(4).finishNs();
        assertTrue(user.stream().anyMatch(q -> q.kvTransferEndNs() > lastFailure && q.state().equals("finished")));
    }

    @Test
    void withoutTheFaultEveryRequestIsServed() throws IOException {
        String text = Files.readString(SCENARIO);
        assertTrue(text.contains(FAULT));
        RunResult r = run(text.replace(FAULT, "").replace("faults:\n", ""), new ArrayList<>());
        assertEquals(0, r.aborted());
        assertEquals(r.submitted(), r.finished());
        assertTrue(r.faults().isEmpty());
    }
}

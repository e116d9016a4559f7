package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
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
 * The shipped node-lost scenario: at 30 s decode-0 stops, the requests it held end aborted with
 * the reason at that moment, the router sends no new request there, and every request ends once.
 */
class NodeLostTest {
    private static final Path SCENARIO = Path.of("scenarios", "faults", "node-lost.yaml");
    private static final String REASON = "node 1 of decode-0 lost at 30 s";
    private static final long LOST_NS = 30_000_000_000L;

    private static RunResult run(String text, List<RequestRecord> records) {
        return ServingSimulation.run(ScenarioLoader.parse(SCENARIO.toString(), text),
                ReplayOptions.DEFAULT.withCheck(true), RequestSink.into(records), null);
    }

    @Test
    void theLostInstanceStopsAndItsRequestsEndAbortedWithTheReason() throws IOException {
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = run(Files.readString(SCENARIO), records);

        assertEquals(InstanceStatus.LOST, r.instanceStatus().get("decode-0"));
        assertEquals(InstanceStatus.READY, r.instanceStatus().get("decode-1"));
        assertEquals(r.submitted(), r.finished() + r.aborted() + r.unfinished());
        List<RequestRecord> user = records.stream().filter(q -> q.kind().equals("user")).toList();
        assertEquals(r.submitted(), user.size(), "one record per request: each ends exactly once");
        List<RequestRecord> aborted = user.stream().filter(q -> q.state().equals("aborted")).toList();
        assertTrue(!aborted.isEmpty(), "decode-0 held requests at 30 s");
        assertEquals(r.aborted(), aborted.size());
        for (RequestRecord q : aborted) {
            assertEquals(REASON, q.reason());
            assertEquals("decode-0", q.decodeInstance());
            assertEquals(LOST_NS, q.finishNs());
        }
        assertTrue(user.stream().noneMatch(q -> q.arrivalNs() > LOST_NS && q.decodeInstance().equals("decode-0")),
                "the router sends nothing to a lost server");
        assertTrue(user.stream().anyMatch(q -> q.arrivalNs() > LOST_NS && q.state().equals("finished")),
                "decode-1 keeps serving");
        assertEquals(List.of(new InjectedFault(REASON, 30.0, "decode-0", true, aborted.size())), r.faults());
    }

    @Test
    void withoutTheFaultNothingIsAbortedAndBothDecodeServersServe() throws IOException {
        String text = Files.readString(SCENARIO);
        String withoutFault = text.replace("  - node_lost: {instance: decode-0, node: 1, at_s: 30}\n", "")
                .replace("faults:\n", "");
        assertTrue(!withoutFault.contains("node_lost"));
        RunResult r = run(withoutFault, new ArrayList<>());
        assertEquals(0, r.aborted());
        assertEquals(InstanceStatus.READY, r.instanceStatus().get("decode-0"));
        assertTrue(r.faults().isEmpty());
    }
}

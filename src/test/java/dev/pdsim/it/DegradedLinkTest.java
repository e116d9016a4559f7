package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.serving.InjectedFault;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped degraded-link scenario: a KV transfer that starts in the window takes ten times what
 * the same transfer takes on a healthy link, one outside it exactly as long; a link named after a
 * server slows only the transfers it sends or receives.
 */
class DegradedLinkTest {
    private static final Path SCENARIO = Path.of("scenarios", "faults", "degraded-link.yaml");
    private static final String FAULT = "degraded_link: {link: kv, from_s: 10, to_s: 20, bandwidth_factor: 0.1}";
    private static final long FROM_NS = 10_000_000_000L;
    private static final long TO_NS = 20_000_000_000L;

    private static List<RequestRecord> transfers(String text, List<InjectedFault> faults) {
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = ServingSimulation.run(ScenarioLoader.parse(SCENARIO.toString(), text),
                ReplayOptions.DEFAULT.withCheck(true), RequestSink.into(records), null);
        faults.addAll(r.faults());
        return records.stream().filter(q -> q.kind().equals("user") && q.kvTransferEndNs() >= 0).toList();
    }

    /** Healthy transfer time by prompt length: the cost model's, which depends on nothing else. */
    private static Map<Integer, Long> healthy() throws IOException {
        String text = Files.readString(SCENARIO);
        Map<Integer, Long> byLength = new HashMap<>();
        for (RequestRecord q : transfers(text.replace("  - " + FAULT + "\n", "").replace("faults:\n", ""), new ArrayList<>())) {
            byLength.put(q.inputLen(), q.kvTransferEndNs() - q.kvTransferStartNs());
        }
        return byLength;
    }

    private static boolean inWindow(RequestRecord q) {
        return q.kvTransferStartNs() >= FROM_NS && q.kvTransferStartNs() < TO_NS;
    }

    @Test
    void transfersThatStartInTheWindowTakeTenTimesAsLong() throws IOException {
        Map<Integer, Long> healthy = healthy();
        List<InjectedFault> faults = new ArrayList<>();
        List<RequestRecord> degraded = transfers(Files.readString(SCENARIO), faults);
        int slowed = 0;
        int compared = 0;
        for (RequestRecord q : degraded) {
            Long base = healthy.get(q.inputLen());
            if (base == null) {
                continue; // a prompt length the healthy run did not transfer
            }
            compared++;
            long took = q.kvTransferEndNs() - q.kvTransferStartNs();
            if (inWindow(q)) {
                slowed++;
                assertEquals(Math.round(base / 0.1), took, "request " + q.id());
            } else {
                assertEquals(base, took, "request " + q.id());
            }
        }
        assertTrue(slowed > 10 && compared > slowed, slowed + " slowed of " + compared);
        assertEquals(List.of(new InjectedFault("KV-transfer fabric at 0.1x bandwidth from 10 s to 20 s", 10.0, "kv", true,
                0)), faults);
    }

    @Test
    void aServersLinkSlowsOnlyItsOwnTransfers() throws IOException {
        Map<Integer, Long> healthy = healthy();
        String text = Files.readString(SCENARIO).replace("link: kv,", "link: decode-1,");
        int slowed = 0;
        for (RequestRecord q : transfers(text, new ArrayList<>())) {
            Long base = healthy.get(q.inputLen());
            if (base == null) {
                continue;
            }
            long took = q.kvTransferEndNs() - q.kvTransferStartNs();
            boolean crosses = inWindow(q) && q.decodeInstance().equals("decode-1");
            assertEquals(crosses ? Math.round(base / 0.1) : base, took, "request " + q.id());
            slowed += crosses ? 1 : 0;
        }
        assertTrue(slowed > 5, slowed + " slowed");
    }
}

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
 * The shipped straggler scenario: GPU 3 of prefill-0 is 2x slower from 10 s to 20 s, so prefill-0's
 * lock-step forwards in the window take at least twice as long; prefill-1 is untouched.
 */
class StragglerTest {
    private static final Path SCENARIO = Path.of("scenarios", "faults", "straggler.yaml");
    private static final String FAULT = "  - straggler: {instance: prefill-0, rank: 3, from_s: 10, to_s: 20, slowdown: 2.0}\n";

    private static List<RequestRecord> run(String text) {
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = ServingSimulation.run(ScenarioLoader.parse(SCENARIO.toString(), text),
                ReplayOptions.DEFAULT.withCheck(true), RequestSink.into(records), null);
        assertEquals(r.submitted(), r.finished(), "a straggler slows, it loses nothing");
        return records;
    }

    /** Mean prefill time (one forward: the scenario's chunk is larger than any prompt) of requests prefilled in the window. */
    private static double meanPrefillS(List<RequestRecord> records, String instance) {
        return records.stream().filter(q -> q.kind().equals("user") && q.prefillInstance().equals(instance)
                        && q.prefillStartNs() >= 10_500_000_000L && q.prefillStartNs() < 19_000_000_000L)
                .mapToLong(q -> q.prefillEndNs() - q.prefillStartNs()).average().orElseThrow() / 1e9;
    }

    @Test
    void theSlowGpuStretchesItsInstancesForwardsInTheWindowOnly() throws IOException {
        String text = Files.readString(SCENARIO);
        assertTrue(text.contains(FAULT));
        List<RequestRecord> slow = run(text);
        List<RequestRecord> normal = run(text.replace(FAULT, "").replace("faults:\n", ""));
        double ratio = meanPrefillS(slow, "prefill-0") / meanPrefillS(normal, "prefill-0");
        assertTrue(ratio >= 1.9, "prefill-0 forwards in the window should take ~2x or more (queues grow): " + ratio);
        assertEquals(meanPrefillS(normal, "prefill-1"), meanPrefillS(slow, "prefill-1"), "prefill-1 has no slow GPU");
    }
}

package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A fault timed after the run ended is listed as not reached, never silently absent. */
class FaultNotReachedTest {

    @Test
    void aFaultAfterTheEndOfTheRunIsReportedAsNotReached() throws IOException {
        Path file = Path.of("scenarios", "faults", "kv-transfer-failure.yaml");
        String text = Files.readString(file).replace("kv_transfer_failure: {at_s: 10, count: 5}",
                "kv_transfer_failure: {at_s: 10, count: 5}\n  - node_lost: {instance: decode-1, node: 0, at_s: 100000}");
        Scenario s = ScenarioLoader.parse(file.toString(), text);
        RunResult r = ServingSimulation.run(s, ReplayOptions.DEFAULT.withCheck(true), RequestSink.into(new ArrayList<>()), null);

        assertTrue(r.endS() < 100000);
        assertEquals(6, r.faults().size(), "five failed transfers, then the lost node");
        InjectedFault last = r.faults().get(5);
        assertEquals(new InjectedFault("node 0 of decode-1 lost at 100000 s", 100000.0, "decode-1", false, 0, 0, false), last);
        JsonNode json = new ObjectMapper().readTree(SummaryJson.render(r, s)).get("faults").get(5);
        assertEquals(String.format(Locale.ROOT, "not reached (run ended at %.6f s)", r.endS()), json.get("not_reached").asText());
        assertTrue(new ObjectMapper().readTree(SummaryJson.render(r, s)).get("faults").get(0).get("not_reached") == null,
                "a fault that happened carries no such note");
    }
}

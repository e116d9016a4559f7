package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.serving.Outcome;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Models read from a config.json replay like the named ones. */
class ModelConfigReplayTest {
    private static final ReplayOptions CHECKED = ReplayOptions.DEFAULT.withCheck(true);

    @Test
    void kimiK2ScenarioServesEveryRequest() {
        Scenario s = ScenarioLoader.load(Path.of("scenarios", "models", "kimi-k2.yaml"));
        RunResult r = ServingSimulation.run(s, CHECKED, RequestSink.NONE, null);
        assertEquals(Outcome.COMPLETED, r.outcome(), String.valueOf(r.failure()));
        assertTrue(r.requests().submitted() > 0);
        assertEquals(r.requests().submitted(), r.requests().finished());
        assertEquals(0, r.corruptedTokens());
    }

    @Test
    void qwen3MoeScenarioServesEveryRequestWithGroupedQueryAttention() {
        Scenario s = ScenarioLoader.load(Path.of("scenarios", "models", "qwen3-235b-a22b.yaml"));
        RunResult r = ServingSimulation.run(s, CHECKED, RequestSink.NONE, null);
        assertEquals(Outcome.COMPLETED, r.outcome(), String.valueOf(r.failure()));
        assertTrue(r.requests().submitted() > 0);
        assertEquals(r.requests().submitted(), r.requests().finished());
        assertEquals(0, r.corruptedTokens());
    }

    @Test
    void deepSeekV3FromItsConfigReplaysAsTheNamedModel() throws Exception {
        Path file = Path.of("scenarios", "models", "deepseek-v3.yaml");
        String named = java.nio.file.Files.readString(file).replace("model: {config: deepseek-v3/config.json}",
                "model: deepseek-v3");
        RunResult fromConfig = ServingSimulation.run(ScenarioLoader.load(file), CHECKED, RequestSink.NONE, null);
        RunResult byName = ServingSimulation.run(ScenarioLoader.parse(file.toString(), named), CHECKED,
                RequestSink.NONE, null);
        assertEquals(Outcome.COMPLETED, fromConfig.outcome());
        assertEquals(byName.latency(), fromConfig.latency());
        assertEquals(byName.requests(), fromConfig.requests());
        assertEquals(byName.events(), fromConfig.events());
    }
}

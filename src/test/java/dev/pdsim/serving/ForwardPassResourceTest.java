package dev.pdsim.serving;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.RooflineCostModel;
import dev.pdsim.metadata.PatchedInitStrategy;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Regression: an operation with nothing to do must not hand its resource back early to later operations. */
class ForwardPassResourceTest {
    @Test
    void withoutDeepEpTboOverlapsNothingSoTheForwardIsAtLeastTheSumOfItsOperations() {
        Scenario s = ScenarioLoader.load(Path.of("scenarios/reported-xpyd.yaml"));
        InstanceTopology prefill = InstanceTopology.deriveAll(s).get(0);
        var cost = new RooflineCostModel(s.model(), s.hardware()).forInstance(prefill);
        ForwardResult r = IterationProbe.prefill(prefill, cost, new PatchedInitStrategy(), 16384, 2000, 1.0);
        assertTrue(r.tbo());
        long busy = r.spans().stream().mapToLong(sp -> sp.endNs() - sp.startNs()).sum();
        assertTrue(r.durationNs() >= busy, "forward " + r.durationNs() + " ns < operations " + busy + " ns");
    }
}

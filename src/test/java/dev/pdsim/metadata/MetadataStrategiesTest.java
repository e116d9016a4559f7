package dev.pdsim.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.scenario.NamedChoice;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.ServerArgs;
import dev.pdsim.scenario.Strategy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The implementation of each strategy and each strategy's launch changes (spec section 8). */
class MetadataStrategiesTest {
    private static final List<String> EXPECTED = List.of("buggy", "patched", "none-check", "tbo-off", "deepep");

    @Test
    void namesAreTheFiveStrategiesInOrder() {
        assertEquals(EXPECTED, NamedChoice.names(Strategy.class));
        assertEquals(EXPECTED, MetadataStrategies.all().stream().map(MetadataStrategy::name).toList());
        for (Strategy s : Strategy.values()) {
            assertEquals(s, MetadataStrategies.of(s).strategy(), "registry and scenario validation must agree");
        }
    }

    @Test
    void allHoldsTheExpectedTypes() {
        List<MetadataStrategy> all = MetadataStrategies.all();
        assertInstanceOf(BuggyInitStrategy.class, all.get(0));
        assertInstanceOf(PatchedInitStrategy.class, all.get(1));
        assertInstanceOf(NoneCheckInitStrategy.class, all.get(2));
        assertInstanceOf(TboOffStrategy.class, all.get(3));
        assertInstanceOf(DeepEpStrategy.class, all.get(4));
        for (MetadataStrategy s : all) {
            assertFalse(s.summary().isBlank(), s.name());
        }
    }

    @Test
    void launchChanges() {
        assertEquals(Map.of("enable-two-batch-overlap", "false"), new TboOffStrategy().strategy().prefillLaunchChanges());
        assertEquals(Map.of("enable-deepep-moe", "true", "deepep-mode", "normal"),
                new DeepEpStrategy().strategy().prefillLaunchChanges());
        assertEquals(Map.of(), new BuggyInitStrategy().strategy().prefillLaunchChanges());
        assertEquals(Map.of(), new PatchedInitStrategy().strategy().prefillLaunchChanges());
        assertEquals(Map.of(), new NoneCheckInitStrategy().strategy().prefillLaunchChanges());
    }

    private static ServerArgs prefillArgsWith(MetadataStrategy s) {
        Scenario base = ScenarioLoader.load(Path.of("scenarios/reported-xpyd.yaml"));
        Scenario changed = base.withStrategy(s.strategy());
        return InstanceTopology.deriveAll(changed).stream().filter(t -> t.role() == Role.PREFILL).findFirst()
                .orElseThrow().args();
    }

    @Test
    void tboOffLaunchChangeValidatesAndTurnsTboOff() {
        assertTrue(prefillArgsWith(new BuggyInitStrategy()).enableTwoBatchOverlap(), "the reported line has TBO");
        ServerArgs a = prefillArgsWith(new TboOffStrategy());
        assertFalse(a.enableTwoBatchOverlap());
        assertFalse(a.enableDeepepMoe());
    }

    @Test
    void deepEpLaunchChangeValidatesAndSelectsNormalKernels() {
        assertFalse(prefillArgsWith(new BuggyInitStrategy()).enableDeepepMoe());
        ServerArgs a = prefillArgsWith(new DeepEpStrategy());
        assertTrue(a.enableDeepepMoe());
        assertTrue(a.deepEpNormalKernels());
        assertTrue(a.enableTwoBatchOverlap(), "DeepEP keeps TBO");
    }
}

package dev.pdsim.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.scenario.DeepEpMode;
import dev.pdsim.scenario.FlagValue;
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

    /** The workarounds change only launches that need them: those with two-batch overlap (and, for deepep, without DeepEP). */
    @Test
    void launchChangesOnlyWhereTheLaunchNeedsThem() {
        Scenario s = ScenarioLoader.load(Path.of("scenarios/reported-xpyd.yaml"));
        List<FlagValue> prefill = s.instances(Role.PREFILL).get(0).written();
        List<FlagValue> decode = s.instances(Role.DECODE).get(0).written();
        assertEquals(Map.of("enable-two-batch-overlap", "false"), new TboOffStrategy().strategy().launchChanges(Role.PREFILL, prefill));
        assertEquals(Map.of("enable-deepep-moe", "true", "deepep-mode", "normal"),
                new DeepEpStrategy().strategy().launchChanges(Role.PREFILL, prefill));
        assertEquals(Map.of(), new TboOffStrategy().strategy().launchChanges(Role.DECODE, decode), "the reported decode has no TBO");
        assertEquals(Map.of(), new DeepEpStrategy().strategy().launchChanges(Role.DECODE, decode));
        for (MetadataStrategy m : List.of(new BuggyInitStrategy(), new PatchedInitStrategy(), new NoneCheckInitStrategy())) {
            assertFalse(m.strategy().changesLaunches(), m.name());
            assertEquals(Map.of(), m.strategy().launchChanges(Role.PREFILL, prefill), m.name());
        }
    }

    /** A decode launched with TBO and DP attention is a launch that needs the workaround too: low-latency DeepEP there. */
    @Test
    void aDecodeWithTboGetsTheWorkaroundToo() {
        Scenario s = ScenarioLoader.parse("d.yaml", """
                instances:
                  - role: prefill
                    nnodes: 2
                    tp_size: 16
                    dp_size: 16
                    enable_dp_attention: true
                  - role: decode
                    nnodes: 2
                    tp_size: 16
                    dp_size: 16
                    enable_dp_attention: true
                    moe_dense_tp_size: 1
                    enable_two_batch_overlap: true
                """);
        ServerArgs decode = InstanceTopology.deriveAll(s.withStrategy(Strategy.DEEPEP)).stream()
                .filter(t -> t.role() == Role.DECODE).findFirst().orElseThrow().args();
        assertTrue(decode.enableDeepepMoe());
        assertEquals(DeepEpMode.LOW_LATENCY, decode.deepepMode());
        ServerArgs prefill = InstanceTopology.deriveAll(s.withStrategy(Strategy.DEEPEP)).stream()
                .filter(t -> t.role() == Role.PREFILL).findFirst().orElseThrow().args();
        assertFalse(prefill.enableDeepepMoe(), "a prefill without TBO does not need the workaround");
        ServerArgs tboOff = InstanceTopology.deriveAll(s.withStrategy(Strategy.TBO_OFF)).stream()
                .filter(t -> t.role() == Role.DECODE).findFirst().orElseThrow().args();
        assertFalse(tboOff.enableTwoBatchOverlap());
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

package dev.pdsim.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.diag.InputException;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.ServerArgs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strategy registry and each strategy's launch changes (spec section 8). */
class MetadataStrategiesTest {
    private static final List<String> EXPECTED = List.of("buggy", "patched", "none-check", "tbo-off", "deepep");

    @Test
    void namesAreTheFiveStrategiesInOrder() {
        assertEquals(EXPECTED, MetadataStrategies.names());
        assertEquals(Scenario.STRATEGIES, MetadataStrategies.names(), "registry and scenario validation must agree");
        assertEquals(EXPECTED, MetadataStrategies.all().stream().map(MetadataStrategy::name).toList());
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

    @ParameterizedTest
    @ValueSource(strings = {"buggy", "patched", "none-check", "tbo-off", "deepep"})
    void byNameFindsEachStrategy(String name) {
        assertEquals(name, MetadataStrategies.byName(name, "x.yaml").name());
    }

    @Test
    void unknownNameIsBadInputNamingTheAcceptedValuesWithASuggestion() {
        InputException e = assertThrows(InputException.class, () -> MetadataStrategies.byName("patchd", "cli.yaml"));
        assertEquals(1, e.problems().size());
        String message = e.problems().get(0).message();
        assertTrue(message.contains("unknown strategy 'patchd'"), message);
        assertTrue(message.contains("accepted: buggy, patched, none-check, tbo-off, deepep"), message);
        assertTrue(message.contains("did you mean 'patched'?"), message);
        assertEquals("cli.yaml", e.problems().get(0).where().file());
    }

    @Test
    void suggestionPicksTheClosestName() {
        InputException e = assertThrows(InputException.class, () -> MetadataStrategies.byName("tbo_off", "f"));
        assertTrue(e.getMessage().contains("did you mean 'tbo-off'?"), e.getMessage());
        e = assertThrows(InputException.class, () -> MetadataStrategies.byName("nonecheck", "f"));
        assertTrue(e.getMessage().contains("did you mean 'none-check'?"), e.getMessage());
    }

    @Test
    void farOffNameGetsNoSuggestion() {
        InputException e = assertThrows(InputException.class,
                () -> MetadataStrategies.byName("completely-unrelated-words", "f"));
        assertTrue(e.getMessage().contains("accepted: buggy, patched, none-check, tbo-off, deepep"), e.getMessage());
        assertFalse(e.getMessage().contains("did you mean"), e.getMessage());
    }

    @Test
    void nameLookupIsExact() {
        assertThrows(InputException.class, () -> MetadataStrategies.byName("Buggy", "f"));
        assertThrows(InputException.class, () -> MetadataStrategies.byName("", "f"));
    }

    @Test
    void launchChanges() {
        assertEquals(Map.of("enable-two-batch-overlap", "false"), new TboOffStrategy().launchChanges());
        assertEquals(Map.of("enable-deepep-moe", "true", "deepep-mode", "normal"), new DeepEpStrategy().launchChanges());
        assertEquals(Map.of(), new BuggyInitStrategy().launchChanges());
        assertEquals(Map.of(), new PatchedInitStrategy().launchChanges());
        assertEquals(Map.of(), new NoneCheckInitStrategy().launchChanges());
    }

    private static ServerArgs prefillArgsWith(MetadataStrategy s) {
        Scenario base = ScenarioLoader.load(Path.of("scenarios/reported-xpyd.yaml"));
        Scenario changed = ScenarioLoader.withFlags(base, Role.PREFILL, s.launchChanges(), "strategy " + s.name());
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

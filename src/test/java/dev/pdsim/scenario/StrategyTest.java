package dev.pdsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Looking a strategy up by the name used in YAML and on the command line. */
class StrategyTest {
    @ParameterizedTest
    @ValueSource(strings = {"buggy", "patched", "none-check", "tbo-off", "deepep"})
    void byNameFindsEachStrategy(String name) {
        assertEquals(name, Strategy.byName(name, "x.yaml").yamlName());
    }

    @Test
    void unknownNameIsBadInputNamingTheAcceptedValuesWithASuggestion() {
        InputException e = assertThrows(InputException.class, () -> Strategy.byName("patchd", "cli.yaml"));
        assertEquals(1, e.problems().size());
        String message = e.problems().get(0).message();
        assertTrue(message.contains("unknown strategy 'patchd'"), message);
        assertTrue(message.contains("accepted: buggy, patched, none-check, tbo-off, deepep"), message);
        assertTrue(message.contains("did you mean 'patched'?"), message);
        assertEquals("cli.yaml", e.problems().get(0).where().file());
    }

    @Test
    void suggestionPicksTheClosestName() {
        InputException e = assertThrows(InputException.class, () -> Strategy.byName("tbo_off", "f"));
        assertTrue(e.getMessage().contains("did you mean 'tbo-off'?"), e.getMessage());
        e = assertThrows(InputException.class, () -> Strategy.byName("nonecheck", "f"));
        assertTrue(e.getMessage().contains("did you mean 'none-check'?"), e.getMessage());
    }

    @Test
    void farOffNameGetsNoSuggestion() {
        InputException e = assertThrows(InputException.class,
                () -> Strategy.byName("completely-unrelated-words", "f"));
        assertTrue(e.getMessage().contains("accepted: buggy, patched, none-check, tbo-off, deepep"), e.getMessage());
        assertFalse(e.getMessage().contains("did you mean"), e.getMessage());
    }

    @Test
    void nameLookupIsExact() {
        assertThrows(InputException.class, () -> Strategy.byName("Buggy", "f"));
        assertThrows(InputException.class, () -> Strategy.byName("", "f"));
    }
}

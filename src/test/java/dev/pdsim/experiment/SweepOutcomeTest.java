package dev.pdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pdsim.serving.Outcome;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepOutcomeTest {
    @Test
    void labelsAreTheNamesInSweepCsvInTheirCountingOrder() {
        assertEquals(List.of("completed", "crashed", "hung", "invalid", "error"),
                Arrays.stream(SweepOutcome.values()).map(SweepOutcome::label).toList());
    }

    @Test
    void aReplayKeepsItsOutcome() {
        for (Outcome o : Outcome.values()) {
            assertEquals(o.label(), SweepOutcome.of(o).label());
        }
    }
}

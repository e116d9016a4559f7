package dev.pdsim.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTest {
    @Test
    void labelsAreTheNamesInTheOutputs() {
        assertEquals(List.of("completed", "crashed", "hung"), Arrays.stream(Outcome.values()).map(Outcome::label).toList());
    }
}

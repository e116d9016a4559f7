package dev.pdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.InputException;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.SpeculativeAcceptance;
import dev.pdsim.scenario.SpeculativeArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeculativeSweepTest {
    @TempDir
    Path tmp;

    private SweepGrid grid(String base, String axis) throws Exception {
        Path f = tmp.resolve("s.yaml");
        Files.writeString(f, "base: " + Path.of("scenarios", base).toAbsolutePath() + "\nduration_s: 5\naxes:\n  speculative: "
                + axis + "\n");
        return new SweepGrid(SweepLoader.load(f));
    }

    private static SpeculativeArgs decodeSpeculative(Scenario s) {
        return s.instances(Role.DECODE).get(0).args().speculative();
    }

    @Test
    void eachValueTurnsMtpOffOrOnWithItsStepsAndAcceptance() throws Exception {
        SweepGrid g = grid("mtp-2p2d.yaml", "[off, {num_steps: 1}, {num_steps: 2, acceptance: 0.6}]");
        assertEquals(3, g.size());
        Scenario off = g.at(0).scenario();
        assertNull(decodeSpeculative(off));
        assertEquals(List.of("off"), g.at(0).labels());
        assertEquals(new SpeculativeArgs(1, 1, 2), decodeSpeculative(g.at(1).scenario()));
        assertEquals(SpeculativeAcceptance.DEFAULT, g.at(1).scenario().speculative());
        Scenario two = g.at(2).scenario();
        assertEquals(new SpeculativeArgs(2, 1, 3), decodeSpeculative(two));
        assertEquals(new SpeculativeAcceptance(List.of(0.6)), two.speculative());
        assertEquals(List.of("num_steps=2 acceptance=0.6"), g.at(2).labels());
        // The prefill servers are left as written.
        assertNull(off.instances(Role.PREFILL).get(0).args().speculative());
    }

    @Test
    void aBaseWithoutMtpGainsIt() throws Exception {
        SweepGrid g = grid("xpyd-2p2d.yaml", "[{num_steps: 3}]");
        assertEquals(new SpeculativeArgs(3, 1, 4), decodeSpeculative(g.at(0).scenario()));
    }

    @Test
    void benchTakesTheSameValuesFromTheCommandLine() throws Exception {
        assertEquals(java.util.Map.of("speculative", "off"), SpeculativeAxis.parse("off", "--speculative"));
        Scenario base = grid("xpyd-2p2d.yaml", "[off]").at(0).scenario();
        Scenario on = SpeculativeAxis.apply(base, SpeculativeAxis.parse("2:0.7", "--speculative"));
        assertEquals(new SpeculativeArgs(2, 1, 3), decodeSpeculative(on));
        assertEquals(new SpeculativeAcceptance(List.of(0.7)), on.speculative());
        for (String bad : List.of("on", "0", "17", "3:1.5", "3:0.5:1", "")) {
            InputException e = assertThrows(InputException.class, () -> SpeculativeAxis.parse(bad, "--speculative"), bad);
            assertTrue(e.getMessage().contains("give off, or STEPS 1..16"), e.getMessage());
        }
    }

    @Test
    void badValuesAreRefusedWithWhatIsAccepted() {
        InputException e = assertThrows(InputException.class, () -> grid("xpyd-2p2d.yaml", "[on]"));
        assertTrue(e.getMessage().contains("off or {num_steps: 1..16"), e.getMessage());
        assertThrows(InputException.class, () -> grid("xpyd-2p2d.yaml", "[{num_steps: 0}]"));
        assertThrows(InputException.class, () -> grid("xpyd-2p2d.yaml", "[{acceptance: 0.5}]"));
    }
}

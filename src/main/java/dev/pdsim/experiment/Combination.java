package dev.pdsim.experiment;

import dev.pdsim.scenario.Scenario;
import java.util.List;

/**
 * One point of a sweep grid: its axis value labels, its seed, and either the scenario to run or
 * why it is invalid (a rule of SGLang's server arguments, reported as a row, not an error).
 */
public record Combination(int index, List<String> labels, long seed, Scenario scenario, String invalidReason) {
    public boolean valid() {
        return scenario != null;
    }
}

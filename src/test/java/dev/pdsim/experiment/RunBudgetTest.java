package dev.pdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.InputException;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.TraceSpec;
import dev.pdsim.scenario.WorkloadSpec;
import dev.pdsim.scenario.WorkloadType;
import dev.pdsim.serving.Fidelity;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunBudgetTest {
    private static final Scenario REPORTED = ScenarioLoader.load(Path.of("scenarios", "reported-xpyd-deepep.yaml"));

    @Test
    void theEstimateBoundsWhatAShippedRunDoes() {
        // The golden run of this scenario takes 64,231 events and 2,473 requests in 600 s.
        RunBudget.Estimate e = RunBudget.estimate(REPORTED, Fidelity.ITERATION);
        assertTrue(e.events() >= 64_231 && e.events() < 64_231 * 100, "events " + e.events());
        assertTrue(e.requests() >= 2_473 && e.requests() < 2_473 * 2, "requests " + e.requests());
        assertEquals(2 * 720 * RunBudget.FORWARDS_PER_S + e.requests() * RunBudget.EVENTS_PER_REQUEST, e.events(), 1e-6);
        assertDoesNotThrow(() -> RunBudget.DEFAULT.check(REPORTED, Fidelity.LAYER, "this replay"));
    }

    @Test
    void aClosedLoopCountsEveryClientAndItsRetries() {
        WorkloadSpec w = REPORTED.workload();
        Scenario closed = REPORTED.withWorkload(new WorkloadSpec(WorkloadType.CONCURRENCY, w.rate(), 10_000_000,
                w.inputLen(), w.outputLen(), 0, null, null));
        RunBudget.Estimate e = RunBudget.estimate(closed, Fidelity.ITERATION);
        assertEquals(10_000_000 * (1 + 600 * RunBudget.CLIENT_REQUESTS_PER_S), e.requests(), 1);
        InputException refused = assertThrows(InputException.class,
                () -> RunBudget.DEFAULT.check(closed, Fidelity.ITERATION, "this replay"));
        assertTrue(refused.getMessage().contains("raise --max-events"), refused.getMessage());
        Scenario capped = closed.withWorkload(new WorkloadSpec(WorkloadType.CONCURRENCY, w.rate(), 10_000_000,
                w.inputLen(), w.outputLen(), 1000, null, null));
        assertEquals(1000, RunBudget.estimate(capped, Fidelity.ITERATION).requests(), "max_requests caps it");
    }

    @Test
    void thirtyDaysOfTheReportedLaunchIsOverTheOutputBudget() {
        InputException e = assertThrows(InputException.class,
                () -> RunBudget.DEFAULT.check(REPORTED.withDuration(30 * 86400.0), Fidelity.ITERATION, "this replay"));
        assertTrue(e.getMessage().contains("more than the budget of") && e.getMessage().contains("raise --max-"),
                e.getMessage());
    }

    @Test
    void aTraceCountsItsLinesAndLoopedAsManyPassesAsTheDurationHolds() {
        Scenario trace = ScenarioLoader.load(Path.of("scenarios", "trace-replay.yaml"));
        WorkloadSpec w = trace.workload();
        int lines = w.trace().requests().size();
        assertEquals(lines, RunBudget.estimate(trace, Fidelity.ITERATION).requests());
        TraceSpec looped = new TraceSpec(w.trace().file(), w.trace().format(), w.trace().speedup(), true,
                w.trace().requests());
        Scenario loop = trace.withDuration(3600).withWorkload(new WorkloadSpec(w.type(), w.rate(), w.concurrency(),
                w.inputLen(), w.outputLen(), 0, w.prefix(), looped));
        assertTrue(RunBudget.estimate(loop, Fidelity.ITERATION).requests() > 50.0 * lines, "an hour of a ~1-minute trace");
    }
}

package dev.pdsim.experiment;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.scenario.InstanceSpec;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.TraceSpec;
import dev.pdsim.scenario.WorkloadSpec;
import dev.pdsim.scenario.WorkloadType;
import dev.pdsim.serving.Fidelity;
import java.util.Locale;

/**
 * The most work a run may do, checked before it starts: an accepted input must not run for hours,
 * fill the disk or the heap. The estimate is an upper bound built from the scenario alone
 * (instances x simulated time x forward passes, plus requests x their events and their rows in
 * requests.csv); a run above a limit is refused with its estimate and the option that raises it.
 *
 * @param maxEvents      simulation events a run may take ({@code --max-events})
 * @param maxOutputBytes bytes of requests.csv a run may write ({@code --max-output})
 */
public record RunBudget(long maxEvents, long maxOutputBytes) {
    /** About ten minutes of simulation at the engine's usual 1-3 million events per second. */
    public static final long DEFAULT_MAX_EVENTS = 1_000_000_000L;
    /** 1 GiB of requests.csv: about five million requests. */
    public static final long DEFAULT_MAX_OUTPUT = 1L << 30;
    public static final RunBudget DEFAULT = new RunBudget(DEFAULT_MAX_EVENTS, DEFAULT_MAX_OUTPUT);

    /**
     * ASSUMPTION: a closed-loop client sends at most one request per simulated second: a rejected
     * request is retried after 1 s (workload/ConcurrencyWorkload), and a served DeepSeek request
     * takes longer unless its output is a few tokens. Measured: 1.0 per client per second in the
     * crashed reported-xpyd-busy run, 0.04 in its completed runs; a workload of one-token outputs
     * at high concurrency would settle whether a tighter bound is needed.
     */
    static final double CLIENT_REQUESTS_PER_S = 1.0;
    /**
     * ASSUMPTION: an instance runs at most 200 forward passes per simulated second (no forward of
     * DeepSeek-V3 over a whole instance, MoE all-to-all included, is shorter than 5 ms on H100/H200);
     * the shipped replays run about 40 per second. The shortest forward the cost model gives would settle it.
     */
    static final double FORWARDS_PER_S = 200;
    /**
     * ASSUMPTION: at most 4 events per request besides forward passes (arrival, bootstrap, KV
     * transfer, finish); the golden prefill calibration runs measure 3.1 events per request.
     */
    static final double EVENTS_PER_REQUEST = 4;
    /** ASSUMPTION: at layer fidelity a forward pass is at most 10 events per layer (its operations and TBO stages). */
    static final double LAYER_EVENTS_PER_LAYER = 10;
    /**
     * ASSUMPTION: a requests.csv row is at most 200 bytes (21 fields, nine timestamps with nine
     * decimals); the golden files average 156.
     */
    static final double CSV_ROW_BYTES = 200;
    /** The drain after traffic stops (serving/ServingSimulation keeps going up to 120 s for in-flight requests). */
    static final double DRAIN_S = 120;

    /** What a run is expected to do at most. */
    public record Estimate(double requests, double events, double outputBytes, int instances, double simulatedS) {
    }

    public static Estimate estimate(Scenario s, Fidelity fidelity) {
        WorkloadSpec w = s.workload();
        double requests = switch (w.type()) {
            case CONCURRENCY -> w.concurrency() * (1 + s.durationS() * CLIENT_REQUESTS_PER_S);
            case POISSON -> poissonBound(w.rate() * s.durationS());
            case TRACE -> traceRequests(w.trace(), s.durationS());
        };
        if (w.maxRequests() > 0) {
            requests = Math.min(requests, w.maxRequests());
        }
        int instances = s.instances().stream().mapToInt(InstanceSpec::count).sum();
        double simulated = s.durationS() + DRAIN_S;
        double perForward = fidelity == Fidelity.LAYER ? s.model().numLayers() * LAYER_EVENTS_PER_LAYER : 1;
        double events = instances * simulated * FORWARDS_PER_S * perForward + requests * EVENTS_PER_REQUEST;
        return new Estimate(requests, events, requests * CSV_ROW_BYTES, instances, simulated);
    }

    /** A trace's lines, or, looped, as many passes as the run's duration holds (plus one). */
    static double traceRequests(TraceSpec trace, double durationS) {
        int lines = trace.requests().size();
        if (!trace.loop() || lines == 0) {
            return lines;
        }
        double spanS = trace.requests().get(lines - 1).offsetNs() / 1e9 / trace.speedup();
        return lines * (1 + durationS / Math.max(spanS, 1e-3));
    }

    /** A Poisson count of mean {@code mean} stays below this but with a chance of about 3 in 100,000 (4 standard deviations). */
    static double poissonBound(double mean) {
        return mean + 4 * Math.sqrt(mean);
    }

    /** Refuses {@code s} when its estimate is over this budget; {@code what} names the run in the message. */
    public void check(Scenario s, Fidelity fidelity, String what) {
        check(s, fidelity, what, SourceLocation.ofFile(s.sourceFile()));
    }

    /**
     * Refuses a sweep any of whose rows is over the events budget, before any row runs, naming the
     * first such row. A row's work depends only on its instance counts and workload, so one row per
     * distinct combination of those is checked; sweep rows write no requests.csv, so only events count.
     */
    public void checkEveryRow(SweepSpec spec) {
        SweepGrid grid = new SweepGrid(spec);
        RunBudget rows = new RunBudget(maxEvents, Long.MAX_VALUE);
        for (int i : grid.workRepresentatives()) {
            String labels = grid.workLabels(i);
            rows.check(grid.workOf(i), Fidelity.ITERATION, "row " + i + (labels.isEmpty() ? "" : " (" + labels + ")"),
                    SourceLocation.ofFile(spec.file()));
        }
    }

    private void check(Scenario s, Fidelity fidelity, String what, SourceLocation where) {
        Estimate e = estimate(s, fidelity);
        if (e.events() > maxEvents) {
            throw new InputException(where, String.format(Locale.ROOT, "%s would take about %.3g simulation events"
                    + " (%d instances x %.0f simulated s x %.0f forward passes/s%s, plus %.3g requests x %.0f), more than"
                    + " the budget of %d: shorten the duration or the load, or raise --max-events", what, e.events(),
                    e.instances(), e.simulatedS(), FORWARDS_PER_S, fidelity == Fidelity.LAYER ? " x "
                    + s.model().numLayers() * (int) LAYER_EVENTS_PER_LAYER + " per layer-level pass" : "", e.requests(),
                    EVENTS_PER_REQUEST, maxEvents));
        }
        if (e.outputBytes() > maxOutputBytes) {
            throw new InputException(where, String.format(Locale.ROOT, "%s would write about %.3g bytes of"
                    + " requests.csv (%.3g requests x %.0f bytes), more than the budget of %d: shorten the duration"
                    + " or the load, set workload.max_requests, or raise --max-output", what, e.outputBytes(),
                    e.requests(), CSV_ROW_BYTES, maxOutputBytes));
        }
    }
}

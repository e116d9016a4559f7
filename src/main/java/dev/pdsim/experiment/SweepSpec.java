package dev.pdsim.experiment;

import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.Slo;
import java.util.List;

/**
 * A sweep: a base scenario, the axes whose product is the grid, the seeds every combination runs
 * with, the SLO that defines goodput, and GPU-count bounds that filter the grid.
 *
 * @param source the texts it was read from, from which a Spark executor rebuilds it
 */
public record SweepSpec(String file, Scenario base, List<SweepAxis> axes, List<Long> seeds, int minGpus,
                        int maxGpus, SweepSource source) {

    /** What defines goodput: the sweep's {@code slo:}, else the base scenario's. */
    public Slo slo() {
        return base.slo();
    }

    /** Combinations before filtering (seeds included); {@link Long#MAX_VALUE} for a grid too large to count. */
    public long size() {
        long n = seeds.size();
        for (SweepAxis a : axes) {
            try {
                n = Math.multiplyExact(n, a.values().size());
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }
}

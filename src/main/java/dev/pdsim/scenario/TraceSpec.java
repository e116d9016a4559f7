package dev.pdsim.scenario;

import java.util.List;

/**
 * A workload replayed from a file, already read and checked by the loader.
 *
 * @param file     as resolved against the scenario file's folder
 * @param speedup  arrival offsets are divided by it
 * @param loop     replay again from the start when the file ends, until the scenario's duration
 * @param requests in arrival order
 */
public record TraceSpec(String file, TraceFormat format, double speedup, boolean loop, List<TraceRequest> requests) {

    /** Whether any request names blocks or a group it may share with another. */
    public boolean sharesPrefixes() {
        return requests.stream().anyMatch(r -> r.blockIds().length > 0 || r.prefixGroup() >= 0);
    }
}

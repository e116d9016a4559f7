package dev.pdsim.workload;

import dev.pdsim.engine.Simulator;
import dev.pdsim.scenario.PrefixSpec;
import dev.pdsim.scenario.TraceRequest;
import dev.pdsim.scenario.TraceSpec;
import java.util.List;

/**
 * Replays a trace: request i arrives {@code offset_i / speedup} after traffic starts, with the
 * file's lengths and shared blocks. Looping starts the file again one period after the last
 * start, the period being its span plus its mean gap, so the seam looks like the rest of the
 * trace; a replayed prompt names the same blocks as before, as a user re-sending it would.
 */
public final class TraceWorkload implements Workload {
    private final List<TraceRequest> requests;
    private final double speedup;
    private final boolean loop;
    private final long maxRequests;
    private final PrefixSpec groupPrefix;
    private final long periodNs;
    private final int phase;
    private long issued;

    TraceWorkload(TraceSpec trace, PrefixSpec groupPrefix, long maxRequests, int phase) {
        this.requests = trace.requests();
        this.speedup = trace.speedup();
        this.loop = trace.loop();
        this.maxRequests = maxRequests;
        this.groupPrefix = groupPrefix;
        this.phase = phase;
        long span = requests.get(requests.size() - 1).offsetNs();
        this.periodNs = requests.size() < 2 ? span : span + span / (requests.size() - 1);
    }

    @Override
    public void start(Simulator sim, long startNs, long endNs, Submitter submitter) {
        scheduleNext(sim, startNs, endNs, submitter);
    }

    private void scheduleNext(Simulator sim, long startNs, long endNs, Submitter submitter) {
        int index = (int) (issued % requests.size());
        long round = issued / requests.size();
        if ((maxRequests > 0 && issued >= maxRequests) || (!loop && round > 0)) {
            return;
        }
        TraceRequest r = requests.get(index);
        long at = startNs + Math.round((round * periodNs + r.offsetNs()) / speedup);
        if (at > endNs) {
            return;
        }
        sim.schedule(at, phase, e -> {
            issued++;
            submitter.submit(prompt(r), r.outputLen());
            scheduleNext(sim, startNs, endNs, submitter);
        });
    }

    private Prompt prompt(TraceRequest r) {
        if (r.blockIds().length > 0) {
            return Prompt.ofBlocks(r.inputLen(), r.blockIds());
        }
        return r.prefixGroup() >= 0 ? Prompt.withPrefix(r.inputLen(), r.prefixGroup(), groupPrefix.length())
                : Prompt.unique(r.inputLen());
    }
}

package dev.pdsim.serving;

import dev.pdsim.model.ForwardKind;
import java.util.List;

/**
 * What the servers of a run write to the trace, if the run has one: a slice per forward pass and
 * rank, the layer operations of each server's first few forward passes (all of them at layer
 * fidelity, where each is an engine event anyway), and an instant where a rank crashed or hung.
 */
final class InstanceTrace {
    /** Null when the run writes no trace: every method is then a no-op. */
    private final TraceSink sink;
    private final int detailIterations;
    private final boolean everyIteration;

    /** @param everyIteration layer fidelity: every forward pass shows its operations, not only the first few */
    InstanceTrace(TraceSink sink, int detailIterations, boolean everyIteration) {
        this.sink = sink;
        this.detailIterations = detailIterations;
        this.everyIteration = everyIteration;
    }

    /** Whether this forward pass of the server shows its layer operations. */
    boolean detailed(ServingInstance inst) {
        return sink != null && (everyIteration || inst.iterations() <= detailIterations);
    }

    void iteration(ServingInstance inst, RankBatch[] batches, long start, long end, boolean tbo) {
        if (sink == null) {
            return;
        }
        int attnTp = inst.topology.attnTpSize();
        for (int dpRank = 0; dpRank < batches.length; dpRank++) {
            RankBatch b = batches[dpRank];
            String name = b.kind() + (b.kind() == ForwardKind.IDLE ? "" : " " + b.tokens() + " tok") + (tbo ? " (TBO)" : "");
            for (int k = 0; k < attnTp; k++) {
                sink.slice(inst.name, dpRank * attnTp + k, null, name, "forward", start, end,
                        "requests " + b.requests() + ", iteration " + inst.iterations());
            }
        }
    }

    /** A layer operation: an engine event at layer fidelity, written straight to the trace otherwise. */
    void stage(ServingInstance inst, StageSpan span, long forwardStart) {
        if (!detailed(inst)) {
            return;
        }
        String name = "L" + span.layer() + " " + span.stage().sglangName() + (span.child() == null ? "" : " [" + span.child() + "]");
        for (int rank = 0; rank < inst.topology.gpus(); rank++) {
            sink.slice(inst.name, rank, span.child(), name, span.child() == null ? "layer" : "tbo-" + span.child(),
                    forwardStart + span.startNs(), forwardStart + span.endNs(), span.resource().name());
        }
    }

    void failure(ServingInstance inst, List<Integer> tpRanks, ForwardFailure f, long now) {
        if (sink == null) {
            return;
        }
        for (int rank : tpRanks) {
            sink.instant(inst.name, rank, f.hang() ? "HANG " + f.stage().sglangName() : "CRASH " + f.error(), now,
                    "layer " + f.layer() + ", child " + f.child());
        }
    }
}

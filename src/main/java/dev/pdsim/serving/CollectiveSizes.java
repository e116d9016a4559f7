package dev.pdsim.serving;

import dev.pdsim.metadata.CollectiveResult;

/**
 * Whether the sizes a two-batch-overlap pass computed for its collectives agree across the DP
 * group: each rank's two children carry exactly its batch's tokens, and a DP gather that was not
 * found to hang has every rank expecting the same buffer length (one found to hang has ranks that
 * disagree; the hang is then the run's result, not a violation).
 */
final class CollectiveSizes {
    /** A rank whose sizes disagree, and how. */
    record Mismatch(int rank, String detail) {
    }

    private CollectiveSizes() {
    }

    /** @return the first mismatch, or null when every size agrees */
    static Mismatch check(RankBatch[] batches, long[] tokensA, long[] tokensB, CollectiveResult gatherA,
                          CollectiveResult gatherB) {
        for (int r = 0; r < batches.length; r++) {
            if (tokensA[r] + tokensB[r] != batches[r].tokens()) {
                return new Mismatch(r, "children A and B carry " + tokensA[r] + " + " + tokensB[r] + " tokens, its batch "
                        + batches[r].tokens());
            }
        }
        Mismatch a = gatherAgrees("A", gatherA);
        return a != null ? a : gatherAgrees("B", gatherB);
    }

    private static Mismatch gatherAgrees(String child, CollectiveResult gather) {
        long[] lengths = gather.bufferLengths();
        if (gather.raised() || lengths.length == 0) {
            return null; // no rank reached the all-reduce
        }
        int differs = -1;
        for (int r = 1; r < lengths.length && differs < 0; r++) {
            differs = lengths[r] != lengths[0] ? r : -1;
        }
        if (gather.hung() && differs < 0) {
            return new Mismatch(0, "child " + child + "'s DP gather reported a hang, yet every rank expects "
                    + lengths[0] + " rows");
        }
        if (!gather.hung() && differs >= 0) {
            return new Mismatch(differs, "child " + child + "'s DP gather expects " + lengths[differs]
                    + " rows here and " + lengths[0] + " on rank 0, yet no hang was reported");
        }
        return null;
    }
}

package dev.pdsim.serving;

import dev.pdsim.model.ForwardKind;

/**
 * One DP rank's local batch for an iteration: the sequences of an EXTEND (chunk lengths and the
 * tokens already cached before each chunk), or the requests of a DECODE (one token each, with
 * their summed context), or nothing (IDLE).
 */
record RankBatch(ForwardKind kind, int[] extendLens, int[] prefixLens, int decodeRequests, long decodeContext) {

    static final RankBatch IDLE = new RankBatch(ForwardKind.IDLE, new int[0], new int[0], 0, 0);

    static RankBatch decode(int requests, long context) {
        return requests == 0 ? IDLE : new RankBatch(ForwardKind.DECODE, new int[0], new int[0], requests, context);
    }

    long tokens() {
        return switch (kind) {
            case EXTEND -> sum(extendLens, 0, extendLens.length);
            case DECODE -> decodeRequests;
            case IDLE -> 0;
        };
    }

    int requests() {
        return kind == ForwardKind.EXTEND ? extendLens.length : decodeRequests;
    }

    /** Query x key pairs of attention (see {@link dev.pdsim.model.BatchShape}). */
    long attendPairs() {
        if (kind == ForwardKind.DECODE) {
            return decodeContext;
        }
        long pairs = 0;
        for (int i = 0; i < extendLens.length; i++) {
            pairs += (long) extendLens[i] * (prefixLens[i] + (extendLens[i] + 1) / 2);
        }
        return pairs;
    }

    /**
     * The TBO split index of SGLang 0.4.8.post1 ({@code compute_split_seq_index},
     * srt/two_batch_overlap.py:30-44): EXTEND splits sequences where the two token sums are
     * closest; DECODE halves the request count (srt/two_batch_overlap.py:38-39); IDLE gives 0.
     */
    int tboSplitIndex() {
        return switch (kind) {
            case EXTEND -> halfSumSplit(extendLens);
            case DECODE -> decodeRequests / 2;
            case IDLE -> 0;
        };
    }

    /**
     * {@code _split_array_by_half_sum} (srt/two_batch_overlap.py:47-63): walk the cut points
     * 1..n-1 keeping the one with the smallest |left - right|; a tie moves to the later cut, and
     * the walk stops at the first cut whose difference is strictly larger. 0 for fewer than two
     * sequences.
     */
    static int halfSumSplit(int[] lens) {
        long total = sum(lens, 0, lens.length);
        long left = 0;
        long minDiff = Long.MAX_VALUE;
        int best = 0;
        for (int i = 1; i < lens.length; i++) {
            left += lens[i - 1];
            long diff = Math.abs(2 * left - total);
            if (diff > minDiff) {
                break;
            }
            minDiff = diff;
            best = i;
        }
        return best;
    }

    /** Child A (sequences before the split) or child B (the rest). */
    RankBatch child(boolean first) {
        int split = tboSplitIndex();
        return switch (kind) {
            case EXTEND -> {
                int from = first ? 0 : split;
                int to = first ? split : extendLens.length;
                yield to == from ? new RankBatch(ForwardKind.EXTEND, new int[0], new int[0], 0, 0)
                        : new RankBatch(ForwardKind.EXTEND, java.util.Arrays.copyOfRange(extendLens, from, to),
                        java.util.Arrays.copyOfRange(prefixLens, from, to), 0, 0);
            }
            case DECODE -> {
                // Context is split in proportion to requests (the scheduler does not order by length);
                // child B keeps the rest, so the two always add up to the parent.
                long contextA = decodeRequests == 0 ? 0 : decodeContext * split / decodeRequests;
                yield first ? new RankBatch(ForwardKind.DECODE, new int[0], new int[0], split, contextA)
                        : new RankBatch(ForwardKind.DECODE, new int[0], new int[0], decodeRequests - split,
                        decodeContext - contextA);
            }
            case IDLE -> IDLE;
        };
    }

    private static long sum(int[] a, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            s += a[i];
        }
        return s;
    }
}

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
     * The TBO split index of SGLang 0.4.8.post1 (spec section 3): EXTEND walks all sequences but
     * the last, stopping after the first that brings the running sum to floor(total/2); DECODE
     * halves the request count; IDLE gives 0.
     */
    int tboSplitIndex() {
        return switch (kind) {
            case EXTEND -> halfSumSplit(extendLens);
            case DECODE -> decodeRequests / 2;
            case IDLE -> 0;
        };
    }

    static int halfSumSplit(int[] lens) {
        long half = sum(lens, 0, lens.length) / 2;
        long acc = 0;
        int index = 0;
        for (int i = 0; i < lens.length - 1; i++) {
            acc += lens[i];
            index = i + 1;
            if (acc >= half) {
                break;
            }
        }
        return index;
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

package dev.pdsim.serving;

import dev.pdsim.model.ForwardKind;

/**
 * One DP rank's local batch for an iteration: the sequences of an EXTEND (chunk lengths and the
 * tokens already cached before each chunk), or the requests of a DECODE (one token each, with
 * their summed context), or nothing (IDLE). A speculative verify is a DECODE whose rows are the
 * tokens checked ({@code queryRowsPerRequest} per request, each attending to its request's cache
 * and the rows before it); TBO never splits one (refused at launch).
 */
record RankBatch(ForwardKind kind, int[] extendLens, int[] prefixLens, int decodeRequests, long decodeContext,
                 int queryRowsPerRequest) {

    RankBatch(ForwardKind kind, int[] extendLens, int[] prefixLens, int decodeRequests, long decodeContext) {
        this(kind, extendLens, prefixLens, decodeRequests, decodeContext, 1);
    }

    /** The sequence arrays of a batch without sequences: shared, since nothing writes a batch's arrays. */
    private static final int[] NO_SEQUENCES = new int[0];

    static final RankBatch IDLE = new RankBatch(ForwardKind.IDLE, NO_SEQUENCES, NO_SEQUENCES, 0, 0);

    static RankBatch decode(int requests, long context) {
        return requests == 0 ? IDLE : new RankBatch(ForwardKind.DECODE, NO_SEQUENCES, NO_SEQUENCES, requests, context);
    }

    /**
     * The target forward that verifies {@code draftTokens} tokens of each of {@code requests}
     * requests whose contexts sum to {@code context}: row j of a request attends to its context
     * and the j rows before it (TARGET_VERIFY, srt/speculative/eagle_worker.py:634-700).
     */
    static RankBatch verify(int requests, long context, int draftTokens) {
        if (requests == 0) {
            return IDLE;
        }
        long pairs = context * draftTokens + (long) requests * draftTokens * (draftTokens - 1) / 2;
        return new RankBatch(ForwardKind.DECODE, NO_SEQUENCES, NO_SEQUENCES, requests * draftTokens, pairs, draftTokens);
    }

    /** Requests of a DECODE (its rows over the rows per request). */
    int decodeSequences() {
        return decodeRequests / queryRowsPerRequest;
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
        return extendPairs(0, extendLens.length);
    }

    /** Attention pairs of the sequences {@code from} (inclusive) to {@code to} (exclusive) of an EXTEND. */
    private long extendPairs(int from, int to) {
        long pairs = 0;
        for (int i = from; i < to; i++) {
            pairs += (long) extendLens[i] * (prefixLens[i] + (extendLens[i] + 1) / 2);
        }
        return pairs;
    }

    /** Adds this batch's figures to {@code shape}. */
    void addTo(BatchShapeFold shape) {
        shape.add(kind, tokens(), requests(), attendPairs(), queryRowsPerRequest);
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
                int from = childFrom(first, split);
                int to = childTo(first, split);
                yield new RankBatch(ForwardKind.EXTEND, java.util.Arrays.copyOfRange(extendLens, from, to),
                        java.util.Arrays.copyOfRange(prefixLens, from, to), 0, 0);
            }
            case DECODE -> new RankBatch(ForwardKind.DECODE, NO_SEQUENCES, NO_SEQUENCES,
                    childDecodeRequests(first, split), childDecodeContext(first, split));
            case IDLE -> IDLE;
        };
    }

    /**
     * Adds the figures of {@link #child child A or B} to {@code shape} without building it (a TBO
     * pass splits every rank's batch); {@code split} is this batch's {@link #tboSplitIndex}.
     *
     * @return the child's tokens
     */
    long addChildTo(BatchShapeFold shape, boolean first, int split) {
        return switch (kind) {
            case EXTEND -> {
                int from = childFrom(first, split);
                int to = childTo(first, split);
                long tokens = sum(extendLens, from, to);
                shape.add(kind, tokens, to - from, extendPairs(from, to), 1);
                yield tokens;
            }
            case DECODE -> {
                int requests = childDecodeRequests(first, split);
                shape.add(kind, requests, requests, childDecodeContext(first, split), 1);
                yield requests;
            }
            case IDLE -> {
                IDLE.addTo(shape);
                yield 0;
            }
        };
    }

    private int childFrom(boolean first, int split) {
        return first ? 0 : split;
    }

    private int childTo(boolean first, int split) {
        return first ? split : extendLens.length;
    }

    private int childDecodeRequests(boolean first, int split) {
        return first ? split : decodeRequests - split;
    }

    /**
     * Context is split in proportion to requests (the scheduler does not order by length); child B
     * keeps the rest, so the two always add up to the parent.
     */
    private long childDecodeContext(boolean first, int split) {
        long contextA = decodeRequests == 0 ? 0 : decodeContext * split / decodeRequests;
        return first ? contextA : decodeContext - contextA;
    }

    private static long sum(int[] a, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i++) {
            s += a[i];
        }
        return s;
    }
}

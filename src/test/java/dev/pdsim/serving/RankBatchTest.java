package dev.pdsim.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pdsim.model.ForwardKind;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The TBO split of SGLang 0.4.8.post1 (srt/two_batch_overlap.py:30-63) and a rank batch's sizes. */
class RankBatchTest {

    static RankBatch extend(int[] lens, int[] prefix) {
        return new RankBatch(ForwardKind.EXTEND, lens, prefix, 0, 0);
    }

    static RankBatch extend(int... lens) {
        return extend(lens, new int[lens.length]);
    }

    /** Worked by hand from {@code _split_array_by_half_sum} (srt/two_batch_overlap.py:47-63). */
    static Stream<Arguments> splits() {
        return Stream.of(
                Arguments.of(new int[] {3, 5}, 1),
                Arguments.of(new int[] {1, 1, 10}, 2),
                Arguments.of(new int[] {3, 10, 1}, 1), // diffs 8, 12: stops, keeps 1
                Arguments.of(new int[] {4}, 0),
                Arguments.of(new int[] {}, 0),
                Arguments.of(new int[] {10, 1, 1}, 1),
                Arguments.of(new int[] {2, 2, 2, 2}, 2),
                Arguments.of(new int[] {5, 5}, 1),
                Arguments.of(new int[] {1, 2, 1}, 2), // diffs 2, 2: a tie moves to the later cut
                Arguments.of(new int[] {2, 0, 2}, 2), // diffs 0, 0
                Arguments.of(new int[] {1, 2, 3, 4, 5}, 3), // diffs 13, 9, 3, 5: stops at the 5
                Arguments.of(new int[] {7, 7}, 1),
                Arguments.of(new int[] {1, 1, 1, 1, 100}, 4));
    }

    /**
     * Brute force over every cut 0..n-1 with the rule's own preferences: the smallest |left - right|
     * among cuts 1..n-1, the latest among equal ones (the scan's ties move on, and with non-negative
     * lengths the differences fall then rise, so the scan's local minimum is the global one).
     */
    static int bruteForceSplit(int[] lens) {
        long total = Arrays.stream(lens).asLongStream().sum();
        int best = 0;
        long bestDiff = Long.MAX_VALUE;
        for (int i = 1; i < lens.length; i++) {
            long left = Arrays.stream(lens, 0, i).asLongStream().sum();
            long diff = Math.abs(left - (total - left));
            if (diff <= bestDiff) {
                bestDiff = diff;
                best = i;
            }
        }
        return best;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("splits")
    void halfSumSplit(int[] lens, int expected) {
        assertEquals(expected, RankBatch.halfSumSplit(lens), Arrays.toString(lens));
        assertEquals(expected, extend(lens).tboSplitIndex());
    }

    /** Property: the split equals the brute-force reference on random arrays, zeros and ties included. */
    @Test
    void halfSumSplitMatchesBruteForceOnRandomArrays() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 20_000; trial++) {
            int n = rnd.nextInt(9);
            int bound = rnd.nextBoolean() ? 4 : 20_000; // small bounds make ties and zeros frequent
            int[] lens = new int[n];
            for (int i = 0; i < n; i++) {
                lens[i] = rnd.nextInt(bound);
            }
            assertEquals(bruteForceSplit(lens), RankBatch.halfSumSplit(lens), Arrays.toString(lens));
        }
    }

    @Test
    void extendChildrenSplitSequencesAtTheIndex() {
        RankBatch b = extend(new int[] {3, 5, 7}, new int[] {10, 0, 2}); // half 7: 3, 8 -> index 2
        RankBatch a = b.child(true);
        RankBatch c = b.child(false);
        assertEquals(ForwardKind.EXTEND, a.kind());
        assertEquals(ForwardKind.EXTEND, c.kind());
        assertArrayEquals(new int[] {3, 5}, a.extendLens());
        assertArrayEquals(new int[] {10, 0}, a.prefixLens());
        assertArrayEquals(new int[] {7}, c.extendLens());
        assertArrayEquals(new int[] {2}, c.prefixLens());
        assertEquals(8, a.tokens());
        assertEquals(7, c.tokens());
        assertEquals(b.tokens(), a.tokens() + c.tokens());
        assertEquals(b.requests(), a.requests() + c.requests());
        assertEquals(b.attendPairs(), a.attendPairs() + c.attendPairs());
    }

    @Test
    void singleSequenceLeavesChildAEmpty() {
        RankBatch warmup = extend(4);
        RankBatch a = warmup.child(true);
        RankBatch b = warmup.child(false);
        assertEquals(ForwardKind.EXTEND, a.kind());
        assertEquals(0, a.tokens());
        assertEquals(0, a.requests());
        assertEquals(0, a.attendPairs());
        assertEquals(4, b.tokens());
        assertEquals(1, b.requests());
    }

    @Test
    void extendChildrenPartitionTheParentForRandomBatches() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int n = rnd.nextInt(8);
            int[] lens = new int[n];
            int[] prefix = new int[n];
            for (int i = 0; i < n; i++) {
                lens[i] = 1 + rnd.nextInt(5000);
                prefix[i] = rnd.nextInt(3000);
            }
            RankBatch b = extend(lens, prefix);
            RankBatch a = b.child(true);
            RankBatch c = b.child(false);
            int split = b.tboSplitIndex();
            assertEquals(split, a.requests());
            assertEquals(n - split, c.requests());
            assertEquals(b.tokens(), a.tokens() + c.tokens());
            assertEquals(b.attendPairs(), a.attendPairs() + c.attendPairs());
            int[] joined = new int[n];
            System.arraycopy(a.extendLens(), 0, joined, 0, a.extendLens().length);
            System.arraycopy(c.extendLens(), 0, joined, a.extendLens().length, c.extendLens().length);
            assertArrayEquals(lens, joined);
            if (n >= 2) {
                // child A never takes the last sequence, and it takes the first
                assertEquals(true, split >= 1 && split <= n - 1, Arrays.toString(lens));
            }
        }
    }

    @Test
    void decodeChildrenHalveRequests() {
        RankBatch d = RankBatch.decode(5, 1003);
        assertEquals(2, d.tboSplitIndex());
        RankBatch a = d.child(true);
        RankBatch b = d.child(false);
        assertEquals(ForwardKind.DECODE, a.kind());
        assertEquals(ForwardKind.DECODE, b.kind());
        assertEquals(2, a.requests());
        assertEquals(3, b.requests());
        assertEquals(d.tokens(), a.tokens() + b.tokens());
        assertEquals(1003L * 2 / 5, a.decodeContext(), "child A: context in proportion to its requests");
    }

    @Test
    void decodeChildrenWithEvenRequestCountsShareTheContext() {
        for (int n = 2; n <= 64; n += 2) {
            for (long ctx : new long[] {n, 7L * n + 3, 123_456_789L}) {
                RankBatch d = RankBatch.decode(n, ctx);
                assertEquals(n / 2, d.child(true).requests());
                assertEquals(n / 2, d.child(false).requests());
                assertEquals(ctx, d.child(true).decodeContext() + d.child(false).decodeContext(), n + "/" + ctx);
            }
        }
    }

    /*
     * RankBatch.child(false) for DECODE computes ctx = decodeContext * n / decodeRequests with n = child B's
     * request count, then gives child B decodeContext - ctx, i.e. the share of child A's requests. For an odd
     * request count the two children together hold one request's context less than the parent; with one
     * request child B (which holds that request) gets context 0. Child B should get
     * decodeContext - decodeContext * split / decodeRequests.
     */

    @Test
    void decodeChildrenKeepTheParentContextForOddRequestCounts() {
        RankBatch d = RankBatch.decode(5, 1003);
        assertEquals(1003 - 1003L * 2 / 5, d.child(false).decodeContext());
        assertEquals(1003, d.child(true).decodeContext() + d.child(false).decodeContext());
        for (int n = 1; n <= 63; n += 2) {
            for (long ctx : new long[] {n, 7L * n + 3, 123_456_789L}) {
                RankBatch p = RankBatch.decode(n, ctx);
                assertEquals(ctx, p.child(true).decodeContext() + p.child(false).decodeContext(), n + "/" + ctx);
            }
        }
    }

    @Test
    void decodeWithOneRequestLeavesChildAEmpty() {
        RankBatch d = RankBatch.decode(1, 700);
        assertEquals(0, d.tboSplitIndex());
        assertEquals(0, d.child(true).tokens());
        assertEquals(0, d.child(true).requests());
        assertEquals(0, d.child(true).decodeContext());
        assertEquals(1, d.child(false).tokens());
        assertEquals(1, d.child(false).requests());
    }

    @Test
    void decodeWithOneRequestGivesChildBTheWholeContext() {
        assertEquals(700, RankBatch.decode(1, 700).child(false).decodeContext());
        assertEquals(700, RankBatch.decode(1, 700).child(false).attendPairs());
    }

    @Test
    void idleChildrenAreIdle() {
        assertEquals(0, RankBatch.IDLE.tboSplitIndex());
        assertSame(ForwardKind.IDLE, RankBatch.IDLE.child(true).kind());
        assertSame(ForwardKind.IDLE, RankBatch.IDLE.child(false).kind());
        assertEquals(0, RankBatch.IDLE.child(true).tokens());
        assertEquals(0, RankBatch.IDLE.child(false).tokens());
    }

    @Test
    void decodeOfNoRequestsIsIdle() {
        assertSame(RankBatch.IDLE, RankBatch.decode(0, 0));
        assertEquals(ForwardKind.DECODE, RankBatch.decode(1, 5).kind());
    }

    @Test
    void tokensAndRequests() {
        assertEquals(15, extend(3, 5, 7).tokens());
        assertEquals(3, extend(3, 5, 7).requests());
        assertEquals(9, RankBatch.decode(9, 9000).tokens());
        assertEquals(9, RankBatch.decode(9, 9000).requests());
        assertEquals(0, RankBatch.IDLE.tokens());
        assertEquals(0, RankBatch.IDLE.requests());
        assertEquals(0, extend().tokens());
    }

    @Test
    void attendPairs() {
        // e * (p + (e + 1) / 2): 4 * (0 + 2) + 3 * (10 + 2)
        assertEquals(8 + 36, extend(new int[] {4, 3}, new int[] {0, 10}).attendPairs());
        assertEquals(1, extend(1).attendPairs());
        assertEquals(8000L * 4000, extend(8000).attendPairs());
        // no int overflow for long sequences with long prefixes
        assertEquals(100_000L * (200_000L + 50_000L), extend(new int[] {100_000}, new int[] {200_000}).attendPairs());
        assertEquals(4321, RankBatch.decode(3, 4321).attendPairs());
        assertEquals(0, RankBatch.IDLE.attendPairs());
    }

    /** The TBO pass folds children without building them: the same shape as folding the built children. */
    @Test
    void foldingChildrenInPlaceGivesTheShapeOfTheBuiltChildren() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            RankBatch[] ranks = new RankBatch[1 + rnd.nextInt(9)];
            for (int r = 0; r < ranks.length; r++) {
                int n = rnd.nextInt(5);
                int[] lens = new int[n];
                int[] prefix = new int[n];
                for (int i = 0; i < n; i++) {
                    lens[i] = 1 + rnd.nextInt(4000);
                    prefix[i] = rnd.nextInt(3000);
                }
                ranks[r] = switch (trial % 3) {
                    case 0 -> n == 0 ? RankBatch.IDLE : extend(lens, prefix);
                    case 1 -> RankBatch.decode(rnd.nextInt(300), rnd.nextInt(2_000_000));
                    default -> rnd.nextBoolean() ? RankBatch.IDLE : RankBatch.decode(1 + rnd.nextInt(9), 5000);
                };
            }
            for (boolean first : new boolean[] {true, false}) {
                RankBatch[] built = new RankBatch[ranks.length];
                BatchShapeFold fold = new BatchShapeFold();
                for (int r = 0; r < ranks.length; r++) {
                    built[r] = ranks[r].child(first);
                    assertEquals(built[r].tokens(), ranks[r].addChildTo(fold, first, ranks[r].tboSplitIndex()));
                }
                assertEquals(ForwardPass.shape(built, 1.25), fold.shape(1.25), Arrays.toString(ranks));
                assertEquals(fold.shape(2.0), fold.shape(2.0), "shape() does not change the fold");
                assertEquals(new BatchShapeFold().shape(1.0), fold.reset().shape(1.0), "reset empties it");
            }
        }
    }
}

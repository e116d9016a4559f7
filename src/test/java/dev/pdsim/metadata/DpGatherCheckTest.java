package dev.pdsim.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bookkeeping of one {@code _dp_gather} (srt/layers/dp_attention.py:167-257) under each metadata
 * strategy, with the child buffer {@code filter_batch} gives (srt/two_batch_overlap.py:349-360).
 */
class DpGatherCheckTest {
    private static final String CUMSUM =
            "TypeError: cumsum() received an invalid combination of arguments - got (NoneType, dim=int)";

    static Stream<MetadataStrategy> strategiesWithoutCountsFallback() {
        return Stream.of(new BuggyInitStrategy(), new TboOffStrategy(), new DeepEpStrategy());
    }

    private static long[] filled(int dp, long tokens) {
        long[] a = new long[dp];
        Arrays.fill(a, tokens);
        return a;
    }

    // ---- DpLocalInfo.fromCounts ----

    @Test
    void fromCountsIsTheCumsumOfEarlierRanks() {
        long[] counts = {3, 5, 0, 2};
        long[] starts = new long[4];
        long[] lengths = new long[4];
        DpLocalInfo.fromCounts(counts, starts, lengths);
        assertArrayEquals(new long[] {0, 3, 8, 8}, starts);
        assertArrayEquals(new long[] {3, 5, 0, 2}, lengths);
    }

    @Test
    void fromCountsOfSingleRankCoversTheWholeBuffer() {
        long[] starts = {-1};
        long[] lengths = {-1};
        DpLocalInfo.fromCounts(new long[] {7}, starts, lengths);
        assertArrayEquals(new long[] {0}, starts);
        assertArrayEquals(new long[] {7}, lengths);
    }

    // ---- buggy, tbo-off and deepep keep the 0.4.8.post1 metadata: None raises ----

    @ParameterizedTest
    @MethodSource("strategiesWithoutCountsFallback")
    void missingCountsRaiseTheReportedTypeErrorOnEveryRank(MetadataStrategy s) {
        long[] local = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertNull(s.childGlobalCounts(local), s.name() + " gives children no counts");
        CollectiveResult r = DpGatherCheck.run(s, local, s.childGlobalCounts(local), null);
        assertEquals(IntStream.range(0, 16).boxed().toList(), r.raisingRanks());
        assertEquals(CUMSUM, r.error());
        assertEquals(CUMSUM, MetadataStrategy.CUMSUM_ERROR);
        assertTrue(r.raised());
        assertFalse(r.hung());
        assertFalse(r.clean());
        assertEquals(0, r.corruptedRows());
    }

    @ParameterizedTest
    @MethodSource("strategiesWithoutCountsFallback")
    void missingCountsRaiseWhateverTheLocalSizes(MetadataStrategy s) {
        CollectiveResult r = DpGatherCheck.run(s, new long[] {4, 100, 7}, null, new long[] {4, 100, 7});
        assertEquals(List.of(0, 1, 2), r.raisingRanks());
        assertEquals(CUMSUM, r.error());
        assertEquals(CUMSUM, s.localInfo(new long[] {4, 100, 7}, null, new long[3], new long[3]));
    }

    @ParameterizedTest
    @MethodSource("strategiesWithoutCountsFallback")
    void presentCountsGatherCleanly(MetadataStrategy s) {
        long[] counts = {4, 9, 1};
        CollectiveResult r = DpGatherCheck.run(s, counts, counts, filled(3, 14));
        assertTrue(r.clean(), r.toString());
        assertArrayEquals(new long[] {14, 14, 14}, r.bufferLengths());
        assertEquals(6, s.mlpSyncInt64PerRank());
    }

    // ---- patched ----

    @Test
    void patchedCopiesTheActualChildCounts() {
        PatchedInitStrategy s = new PatchedInitStrategy();
        long[] actual = {0, 3, 5, 2};
        long[] counts = s.childGlobalCounts(actual);
        assertArrayEquals(new long[] {0, 3, 5, 2}, counts);
        assertNotSame(actual, counts, "a copy, not the caller's array");
        actual[1] = 99;
        assertEquals(3, counts[1], "later changes to the input must not leak into the child's metadata");
    }

    @Test
    void patchedSlicesAreContiguousCumsumRangesWithoutOverlap() {
        PatchedInitStrategy s = new PatchedInitStrategy();
        long[] local = {5, 0, 3, 8, 1};
        long[] counts = s.childGlobalCounts(local);
        long expectedStart = 0;
        long[] starts = new long[local.length];
        long[] lengths = new long[local.length];
        assertNull(s.localInfo(local, counts, starts, lengths));
        for (int r = 0; r < local.length; r++) {
            assertEquals(expectedStart, starts[r], "rank " + r);
            assertEquals(local[r], lengths[r], "rank " + r);
            expectedStart += local[r];
        }
        assertEquals(0, DpGatherCheck.overlappingRows(starts, lengths));
        CollectiveResult r = DpGatherCheck.run(s, local, counts, s.childBufferRows(local, false));
        assertTrue(r.clean());
        assertArrayEquals(filled(5, 17), r.bufferLengths());
        assertNull(r.error());
    }

    @Test
    void patchedWarmupChildrenAreClean() {
        PatchedInitStrategy s = new PatchedInitStrategy();
        long[] childA = filled(16, 0);
        long[] childB = filled(16, 4);
        assertTrue(DpGatherCheck.run(s, childA, s.childGlobalCounts(childA), s.childBufferRows(childA, false)).clean());
        CollectiveResult b = DpGatherCheck.run(s, childB, s.childGlobalCounts(childB), s.childBufferRows(childB, false));
        assertTrue(b.clean());
        assertArrayEquals(filled(16, 64), b.bufferLengths());
    }

    @Test
    void patchedWidensTheMlpSyncToEightInt64PerRank() {
        assertEquals(8, new PatchedInitStrategy().mlpSyncInt64PerRank());
        for (MetadataStrategy s : List.of(new BuggyInitStrategy(), new NoneCheckInitStrategy(), new TboOffStrategy(),
                new DeepEpStrategy())) {
            assertEquals(6, s.mlpSyncInt64PerRank(), s.name());
        }
    }

    // ---- none-check ----

    /** Only get_dp_local_info changes: a None buffer still fails at {@code global_tokens.fill_(0)} (srt/layers/dp_attention.py:232-234). */
    @Test
    void noneCheckWithoutAChildBufferRaisesAtTheZeroFill() {
        NoneCheckInitStrategy s = new NoneCheckInitStrategy();
        long[] local = filled(16, 4);
        assertNull(s.childGlobalCounts(local));
        assertNull(s.childBufferRows(local, false), "moe_dense_tp_size unset: the child's gathered_buffer is None");
        CollectiveResult r = DpGatherCheck.run(s, local, null, null);
        assertEquals(IntStream.range(0, 16).boxed().toList(), r.raisingRanks());
        assertEquals("AttributeError: 'NoneType' object has no attribute 'fill_'", r.error());
        assertFalse(r.hung());
    }

    /** moe_dense_tp_size 1: the child's buffer has its own rows (srt/two_batch_overlap.py:353-358), one rank's worth. */
    @Test
    void noneCheckWithEqualChildrenWritesPastTheOneRankBuffer() {
        NoneCheckInitStrategy s = new NoneCheckInitStrategy();
        long[] local = filled(16, 4);
        CollectiveResult r = DpGatherCheck.run(s, local, null, s.childBufferRows(local, true));
        assertFalse(r.raised());
        assertFalse(r.hung());
        assertArrayEquals(filled(16, 4), r.bufferLengths());
        assertEquals(15 * 4, r.corruptedRows(), "ranks 1..15 write at dp_rank * 4, past a 4-row buffer");
        // the empty child A of the warmup writes nothing and agrees on a zero-length buffer
        long[] empty = filled(16, 0);
        assertTrue(DpGatherCheck.run(s, empty, null, s.childBufferRows(empty, true)).clean());
    }

    @Test
    void noneCheckFallsBackToLocalOnlyOffsets() {
        NoneCheckInitStrategy s = new NoneCheckInitStrategy();
        long[] starts = new long[4];
        long[] lengths = new long[4];
        assertNull(s.localInfo(filled(4, 4), null, starts, lengths));
        assertArrayEquals(new long[] {0, 4, 8, 12}, starts);
        assertArrayEquals(filled(4, 4), lengths);
        // with counts present it is SGLang's arithmetic
        long[] local = {4, 9, 1};
        long[] countStarts = new long[3];
        long[] countLengths = new long[3];
        assertNull(s.localInfo(local, local, countStarts, countLengths));
        assertArrayEquals(new long[] {0, 4, 13}, countStarts);
        assertArrayEquals(local, countLengths);
    }

    @Test
    void noneCheckWithUnequalChildrenHangsAndReportsEachRanksBufferLength() {
        NoneCheckInitStrategy s = new NoneCheckInitStrategy();
        long[] local = {1, 2, 3};
        CollectiveResult r = DpGatherCheck.run(s, local, null, s.childBufferRows(local, true));
        assertTrue(r.hung());
        assertFalse(r.raised());
        assertTrue(r.raisingRanks().isEmpty());
        assertNull(r.error());
        assertFalse(r.clean());
        assertArrayEquals(new long[] {1, 2, 3}, r.bufferLengths());
    }

    @Test
    void noneCheckHangsWhenOnlyOneRankDiffers() {
        long[] local = filled(16, 4);
        local[7] = 5;
        CollectiveResult r = DpGatherCheck.run(new NoneCheckInitStrategy(), local, null, local);
        assertTrue(r.hung());
        long[] expected = filled(16, 4);
        expected[7] = 5;
        assertArrayEquals(expected, r.bufferLengths());
    }

    /** The 0.4.8.post1 child buffer: None unless moe_dense_tp_size == 1, then the child's own rows (srt/two_batch_overlap.py:349-360). */
    @Test
    void releasedChildBufferIsNoneOrOwnRows() {
        long[] tokens = {3, 0, 5};
        for (MetadataStrategy s : List.of(new BuggyInitStrategy(), new NoneCheckInitStrategy(), new TboOffStrategy(),
                new DeepEpStrategy())) {
            assertNull(s.childBufferRows(tokens, false), s.name());
            assertArrayEquals(tokens, s.childBufferRows(tokens, true), s.name());
        }
        assertArrayEquals(filled(3, 8), new PatchedInitStrategy().childBufferRows(tokens, false));
    }

    @Test
    void rowsPastBufferCountsOnlyTheRowsBeyondTheEnd() {
        assertEquals(0, DpGatherCheck.rowsPastBuffer(new long[] {0}, new long[] {4}, new long[] {4}));
        assertEquals(4, DpGatherCheck.rowsPastBuffer(new long[] {4}, new long[] {4}, new long[] {4}));
        assertEquals(2, DpGatherCheck.rowsPastBuffer(new long[] {2}, new long[] {4}, new long[] {4}));
        assertEquals(0, DpGatherCheck.rowsPastBuffer(new long[] {9}, new long[] {0}, new long[] {4}));
    }

    // ---- overlappingRows ----

    static Stream<Arguments> slices() {
        return Stream.of(
                Arguments.of("two writers on rows 2..3", new long[] {0, 2}, new long[] {4, 4}, 4),
                Arguments.of("disjoint", new long[] {0, 4, 10}, new long[] {4, 3, 5}, 0),
                Arguments.of("touching ends are not an overlap", new long[] {0, 4}, new long[] {4, 4}, 0),
                Arguments.of("identical slices", new long[] {0, 0}, new long[] {5, 5}, 10),
                Arguments.of("three writers: rows 2..3 twice, rows 4..5 three times",
                        new long[] {0, 2, 4}, new long[] {6, 4, 2}, 2 * 2 + 2 * 3),
                Arguments.of("three writers on the same rows", new long[] {3, 3, 3}, new long[] {2, 2, 2}, 6),
                Arguments.of("empty slices write nothing", new long[] {0, 2, 2}, new long[] {4, 0, 0}, 0),
                Arguments.of("nested", new long[] {0, 1}, new long[] {10, 2}, 4),
                Arguments.of("unsorted input", new long[] {6, 0, 3}, new long[] {4, 4, 4}, 4),
                Arguments.of("in rank order until the last", new long[] {0, 10, 5}, new long[] {4, 3, 6}, 2),
                Arguments.of("an empty slice does not end the one before", new long[] {0, 1, 2}, new long[] {4, 0, 2}, 4),
                Arguments.of("no ranks", new long[0], new long[0], 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("slices")
    void overlappingRowsCountsEveryWriterOfASharedRow(String what, long[] starts, long[] lengths, long expected) {
        assertEquals(expected, DpGatherCheck.overlappingRows(starts, lengths));
    }

    @Test
    void overlappingRowsMatchesABruteForceCount() {
        java.util.Random rnd = new java.util.Random(42);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + rnd.nextInt(6);
            long[] starts = new long[n];
            long[] lengths = new long[n];
            int[] writers = new int[40];
            for (int r = 0; r < n; r++) {
                starts[r] = rnd.nextInt(20);
                lengths[r] = rnd.nextInt(15);
                for (long row = starts[r]; row < starts[r] + lengths[r]; row++) {
                    writers[(int) row]++;
                }
            }
            long expected = 0;
            for (int w : writers) {
                if (w >= 2) {
                    expected += w;
                }
            }
            assertEquals(expected, DpGatherCheck.overlappingRows(starts, lengths),
                    Arrays.toString(starts) + " " + Arrays.toString(lengths));
        }
    }
}

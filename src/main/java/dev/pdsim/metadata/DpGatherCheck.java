package dev.pdsim.metadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the bookkeeping of one {@code _dp_gather} (srt/layers/dp_attention.py:226-257): every DP
 * rank asks {@code get_dp_local_info} where its rows go, zero-fills the batch's
 * {@code gathered_buffer}, copies its rows there and all-reduces the buffer. Tracks which rank
 * wrote which rows, so overlaps and writes past the buffer (corruption) and buffer lengths that
 * differ between ranks (a hang) are found rather than assumed.
 */
public final class DpGatherCheck {
    private DpGatherCheck() {
    }

    /**
     * @param localTokens every DP rank's own token count for this (micro-)batch
     * @param counts      the {@code global_num_tokens} the batch's metadata carries (null when None)
     * @param bufferRows  rows of each rank's {@code gathered_buffer} (null when None)
     */
    public static CollectiveResult run(MetadataStrategy strategy, long[] localTokens, long[] counts, long[] bufferRows) {
        int dp = localTokens.length;
        long[] starts = new long[dp];
        long[] lengths = new long[dp];
        String error = strategy.localInfo(localTokens, counts, starts, lengths);
        if (error != null) {
            return new CollectiveResult(allRanks(dp), error, false, new long[0], 0);
        }
        if (bufferRows == null) {
            // get_dp_local_info returned; the next line zero-fills the buffer (dp_attention.py:234).
            return new CollectiveResult(allRanks(dp), MetadataStrategy.NO_FILL_ERROR, false, new long[0], 0);
        }
        if (!allEqual(bufferRows)) {
            return new CollectiveResult(List.of(), null, true, bufferRows.clone(), 0);
        }
        return new CollectiveResult(List.of(), null, false, bufferRows.clone(),
                overlappingRows(starts, lengths) + rowsPastBuffer(starts, lengths, bufferRows));
    }

    private static List<Integer> allRanks(int dp) {
        List<Integer> all = new ArrayList<>(dp);
        for (int r = 0; r < dp; r++) {
            all.add(r);
        }
        return List.copyOf(all);
    }

    private static boolean allEqual(long[] values) {
        for (long v : values) {
            if (v != values[0]) {
                return false;
            }
        }
        return true;
    }

    /** Rows a rank copies beyond its buffer's end: {@code memcpy_triton} masks by the copy size, not the buffer's (srt/layers/dp_attention.py:185-221). */
    static long rowsPastBuffer(long[] starts, long[] lengths, long[] bufferRows) {
        long past = 0;
        for (int r = 0; r < starts.length; r++) {
            past += Math.max(0, Math.min(lengths[r], starts[r] + lengths[r] - bufferRows[r]));
        }
        return past;
    }

    /**
     * Tokens whose row another rank also wrote: a row written by w >= 2 ranks corrupts w tokens
     * (the all-reduce sums them). A sweep over the sorted slice ends.
     */
    static long overlappingRows(long[] starts, long[] lengths) {
        if (disjointInRankOrder(starts, lengths)) {
            return 0;
        }
        int n = starts.length;
        long[][] edges = new long[2 * n][];
        int k = 0;
        for (int r = 0; r < n; r++) {
            if (lengths[r] > 0) {
                edges[k++] = new long[] {starts[r], +1};
                edges[k++] = new long[] {starts[r] + lengths[r], -1};
            }
        }
        long[][] sorted = Arrays.copyOf(edges, k);
        Arrays.sort(sorted, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long overlapped = 0;
        int writers = 0;
        long last = 0;
        for (long[] e : sorted) {
            if (writers >= 2) {
                overlapped += (e[0] - last) * writers;
            }
            writers += (int) e[1];
            last = e[0];
        }
        return overlapped;
    }

    /**
     * Whether every non-empty slice starts at or after the end of the previous one: then no row has
     * two writers. Slices from the counts' cumsum always are, so the sweep runs only for slices
     * that may overlap.
     */
    private static boolean disjointInRankOrder(long[] starts, long[] lengths) {
        long end = Long.MIN_VALUE;
        for (int r = 0; r < starts.length; r++) {
            if (lengths[r] > 0) {
                if (starts[r] < end) {
                    return false;
                }
                end = starts[r] + lengths[r];
            }
        }
        return true;
    }
}

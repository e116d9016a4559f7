package dev.pdsim.engine;

import java.util.Arrays;

/**
 * Remembers which event ids are retired (fired or cancelled), so that {@link Simulator#cancel}
 * can tell a pending event from one that is gone without searching the calendar.
 *
 * <p>Ids are dense sequence numbers, so a bit per id is the cheapest exact record. Bits live in
 * pages of {@value #PAGE_SIZE} ids; a page is dropped as soon as every id in it has retired, which
 * in a running simulation happens to all but the few pages that still hold a long-lived event.
 * Only the page table (one reference and one int per page) grows with the total number of events
 * ever scheduled: about 12 bytes per 65,536 events.
 */
final class RetiredIds {

    private static final int PAGE_SHIFT = 16;
    private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int WORD_SHIFT = 6;
    private static final int WORD_INDEX_MASK = (PAGE_SIZE >>> WORD_SHIFT) - 1;

    private long[][] pages = new long[16][];
    /** Per page: ids of the page not yet retired, counting ids that are not issued yet. */
    private int[] unretired = new int[16];

    /** Must be called with every new id, in increasing order starting at 0, before it is used. */
    void issue(long id) {
        if ((id & (PAGE_SIZE - 1)) == 0) {
            int page = pageOf(id);
            if (page == pages.length) {
                pages = Arrays.copyOf(pages, page * 2);
                unretired = Arrays.copyOf(unretired, page * 2);
            }
            pages[page] = new long[PAGE_SIZE >>> WORD_SHIFT];
            unretired[page] = PAGE_SIZE;
        }
    }

    /** @return whether an issued id has retired */
    boolean isRetired(long id) {
        long[] bits = pages[pageOf(id)];
        return bits == null || (bits[wordOf(id)] & (1L << id)) != 0;
    }

    /** Retires an issued id. @return false if it had already retired */
    boolean retire(long id) {
        int page = pageOf(id);
        long[] bits = pages[page];
        if (bits == null) {
            return false;
        }
        int word = wordOf(id);
        long mask = 1L << id; // shifts use the low 6 bits: the id's bit within its word
        long old = bits[word];
        if ((old & mask) != 0) {
            return false;
        }
        bits[word] = old | mask;
        if (--unretired[page] == 0) {
            pages[page] = null;
        }
        return true;
    }

    private static int pageOf(long id) {
        return (int) (id >>> PAGE_SHIFT);
    }

    private static int wordOf(long id) {
        return (int) (id >>> WORD_SHIFT) & WORD_INDEX_MASK;
    }
}

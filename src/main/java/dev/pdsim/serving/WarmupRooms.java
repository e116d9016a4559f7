package dev.pdsim.serving;

/**
 * The bootstrap rooms of a server's warmup requests (spec section 5): every disaggregated server
 * sends itself {@code dp_size} requests with rooms {@code room_i = i * (2**63 // dp_size) +
 * (i % tp_size)}, and the DP controller sends each to rank {@code room % dp_size}. Rooms stay
 * below 2**63, so the signed remainder is the unsigned one.
 */
final class WarmupRooms {
    private final int dpSize;
    private final int tpSize;
    /** {@code 2**63 // dp_size}: 2**63 does not fit a signed long, but its unsigned division does. */
    private final long stride;

    WarmupRooms(int dpSize, int tpSize) {
        this.dpSize = dpSize;
        this.tpSize = tpSize;
        this.stride = Long.divideUnsigned(Long.MIN_VALUE, dpSize);
    }

    /** How many warmup requests the server sends: one per DP rank. */
    int count() {
        return dpSize;
    }

    long room(int i) {
        return i * stride + (i % tpSize);
    }

    /** The DP controller's rule, for warmup and user requests alike: rank {@code room % dp_size}. */
    static int dpRankOf(long room, int dpSize) {
        return (int) (room % dpSize);
    }
}

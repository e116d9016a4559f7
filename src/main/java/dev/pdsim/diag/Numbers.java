package dev.pdsim.diag;

/**
 * Numbers written the way a user wrote them: a whole value without a decimal point, so a message
 * or report quotes {@code 600}, not {@code 600.0}, back at the file that said 600.
 */
public final class Numbers {
    /** Below this every whole double is exact as a long and reads better as digits. */
    private static final double WHOLE_DIGITS_BELOW = 1e15;

    private Numbers() {
    }

    /** {@code 600.0} as {@code 600}, {@code 0.5} as {@code 0.5}. */
    public static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < WHOLE_DIGITS_BELOW ? Long.toString((long) d) : Double.toString(d);
    }
}

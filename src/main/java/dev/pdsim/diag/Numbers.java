package dev.pdsim.diag;

import java.util.Locale;

/**
 * Numbers as messages and reports write them: a value quoted back at the user the way the user
 * wrote it ({@code 600}, not {@code 600.0}, for a file that said 600), and figures for tables.
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

    /** For tables a person reads: {@code 12345.678} with 1 decimal as {@code 12,345.7}, whatever the locale. */
    public static String grouped(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}

package dev.pdsim.scenario.yaml;

import java.math.BigInteger;

/**
 * The value of a number scalar as YAML writes it: {@code 1_000}, {@code +5}, {@code 0x10},
 * {@code 0b101}, {@code .inf}. A leading-zero integer such as {@code 017} is refused: YAML 1.1
 * reads it as octal (15), YAML 1.2 as decimal (17), and a scenario must not depend on which.
 */
public final class YamlNumbers {
    private YamlNumbers() {
    }

    /** A whole number; {@link NumberFormatException} with the reason when it is not one or does not fit a long. */
    public static long integer(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        String digits = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.startsWith("0b") || digits.startsWith("0B")) {
            radix = 2;
            digits = digits.substring(2);
        } else if (digits.startsWith("0o") || digits.startsWith("0O")) {
            radix = 8;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            throw new NumberFormatException("has a leading zero, which YAML 1.1 reads as octal and YAML 1.2 as"
                    + " decimal; write it without the zero");
        }
        int base = radix;
        if (digits.isEmpty() || digits.chars().anyMatch(c -> Character.digit(c, base) < 0)) {
            throw new NumberFormatException("is not a whole number");
        }
        BigInteger v = new BigInteger(digits, base);
        v = negative ? v.negate() : v;
        if (v.bitLength() > 63) {
            throw new NumberFormatException("is too large");
        }
        return v.longValueExact();
    }

    /** A number: decimal, whole (any form {@link #integer} reads) or {@code .inf}/{@code .nan}. */
    public static double decimal(String text) {
        String t = text.replace("_", "");
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case ".inf", "+.inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-.inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case ".nan" -> {
                return Double.NaN;
            }
            default -> {
            }
        }
        if (lower.matches("[-+]?0[xob].*")) {
            return integer(t);
        }
        if (!lower.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)(e[-+]?\\d+)?")) {
            throw new NumberFormatException("is not a number");
        }
        return Double.parseDouble(t);
    }
}

package dev.pdsim.diag;

/**
 * Values from an input, written back into a message safely: quoted, with control characters
 * escaped (so a newline in a value cannot forge another {@code file:line:column} line and an ANSI
 * escape never reaches the terminal) and cut when long (so a megabyte scalar is not echoed whole).
 */
public final class Quote {
    /** Characters of a value a message shows before cutting it. */
    public static final int MAX_SHOWN = 80;

    private Quote() {
    }

    /** {@code 'value'}, escaped and cut: {@code 'aaaa...' (1048576 chars)}. */
    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) : value;
        String quoted = "'" + escape(shown) + (shown.length() < value.length() ? "..." : "") + "'";
        return shown.length() < value.length() ? quoted + " (" + value.length() + " chars)" : quoted;
    }

    /** Control characters (C0, DEL, C1, line and paragraph separators) as escapes: {@code \n}, {@code \x1b}, {@code \u2028}. */
    public static String escape(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String esc = escapeOf(c);
            if (esc != null && sb == null) {
                sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (sb != null) {
                sb.append(esc != null ? esc : String.valueOf(c));
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** A message made safe for one terminal line: control characters escaped, cut at {@code max} characters. */
    public static String line(String message, int max) {
        String safe = escape(message);
        return safe.length() <= max ? safe : safe.substring(0, max) + "... (" + safe.length() + " chars)";
    }

    private static String escapeOf(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\0' -> "\\0";
            default -> c < 0x20 || c >= 0x7f && c < 0xa0 ? String.format(java.util.Locale.ROOT, "\\x%02x", (int) c)
                    : c == '\u2028' || c == '\u2029' || c == '\u200e' || c == '\u200f' || c >= '\u202a' && c <= '\u202e'
                    || c >= '\u2066' && c <= '\u2069' ? String.format(java.util.Locale.ROOT, "\\u%04x", (int) c) : null;
        };
    }
}

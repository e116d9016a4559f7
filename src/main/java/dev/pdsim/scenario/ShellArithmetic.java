package dev.pdsim.scenario;

import dev.pdsim.diag.Quote;
import java.util.Map;

/**
 * The shell's {@code $((...))} over whole numbers: {@code + - * / %}, parentheses, unary minus,
 * and variables written bare or with {@code $}, as a launch script computes
 * {@code --nnodes $((NUM_PREFILL_NODES * 2))}. Division truncates toward zero, as in bash.
 */
final class ShellArithmetic {
    private final String text;
    private final Map<String, String> variables;
    private int pos;

    private ShellArithmetic(String text, Map<String, String> variables) {
        this.text = text;
        this.variables = variables;
    }

    /**
     * The value of {@code expression}; an IllegalArgumentException naming what is wrong, or an
     * {@link UnsetVariable} naming the first variable that has no value.
     */
    static long evaluate(String expression, Map<String, String> variables) {
        ShellArithmetic a = new ShellArithmetic(expression, variables);
        long v = a.sum();
        a.blanks();
        if (a.pos < a.text.length()) {
            throw new IllegalArgumentException("cannot read " + Quote.of(expression.substring(a.pos)) + " in $((" + expression + "))");
        }
        return v;
    }

    /** A variable the expression needs but nothing gives a value. */
    static final class UnsetVariable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsetVariable(String name) {
            super(name, null, false, false);
        }
    }

    private long sum() {
        long v = product();
        while (true) {
            if (take('+')) {
                v = Math.addExact(v, product());
            } else if (take('-')) {
                v = Math.subtractExact(v, product());
            } else {
                return v;
            }
        }
    }

    private long product() {
        long v = unary();
        while (true) {
            if (take('*')) {
                v = Math.multiplyExact(v, unary());
            } else if (take('/') || take('%')) {
                boolean divide = text.charAt(pos - 1) == '/';
                long d = unary();
                if (d == 0) {
                    throw new IllegalArgumentException("division by zero in $((" + text + "))");
                }
                v = divide ? v / d : v % d;
            } else {
                return v;
            }
        }
    }

    private long unary() {
        if (take('-')) {
            return Math.negateExact(unary());
        }
        if (take('+')) {
            return unary();
        }
        if (take('(')) {
            long v = sum();
            if (!take(')')) {
                throw new IllegalArgumentException("missing ) in $((" + text + "))");
            }
            return v;
        }
        return atom();
    }

    private long atom() {
        blanks();
        int start = pos;
        if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            return Long.parseLong(text.substring(start, pos));
        }
        boolean braced = text.startsWith("${", pos);
        pos += braced ? 2 : text.startsWith("$", pos) ? 1 : 0;
        int nameStart = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String name = text.substring(nameStart, pos);
        if (name.isEmpty() || braced && !take('}')) {
            throw new IllegalArgumentException("cannot read " + Quote.of(text.substring(start)) + " in $((" + text + "))");
        }
        String value = variables.get(name);
        if (value == null) {
            throw new UnsetVariable(name);
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " = " + Quote.of(value) + " is not a whole number, in $((" + text + "))");
        }
    }

    private boolean take(char c) {
        blanks();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void blanks() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}

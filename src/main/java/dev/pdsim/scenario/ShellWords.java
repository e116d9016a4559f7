package dev.pdsim.scenario;

import dev.pdsim.diag.Problems;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell's word splitting over a launch text, as runbooks are written: a leading {@code $ }
 * prompt, {@code #} comments, backslash continuations (LF or CRLF), single and double quotes,
 * backslash escapes, {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-fallback}}, {@code $((...))}
 * and {@code $(...)} (kept as opaque text), redirections, pipes and command separators. Each word
 * keeps where it starts in the text.
 */
final class ShellWords {
    private final String text;
    private final LaunchLineParser.TextOrigin origin;
    private final Problems problems;
    private final List<ShellWord> words = new ArrayList<>();
    private final List<ShellWord.Part> parts = new ArrayList<>();
    private final StringBuilder literal = new StringBuilder();
    private int k;
    private int line;
    private int col;
    /** Where the current word started; -1 between words. */
    private int startLine = -1;
    private int startCol = -1;
    /** Nothing but blanks read since the last line break, so a {@code $ } here is a prompt. */
    private boolean lineStart = true;

    private ShellWords(String text, LaunchLineParser.TextOrigin origin, Problems problems) {
        this.text = text;
        this.origin = origin;
        this.problems = problems;
    }

    static List<ShellWord> split(String text, LaunchLineParser.TextOrigin origin, Problems problems) {
        return new ShellWords(text, origin, problems).words();
    }

    private List<ShellWord> words() {
        while (k < text.length()) {
            char c = text.charAt(k);
            if (c == '\\' && isLineBreak(k + 1)) {
                flush();
                step();
                stepLineBreak();
            } else if (c == '\n') {
                flush();
                words.add(ShellWord.operator("\n", line, col, ShellWord.Type.END));
                step();
                lineStart = true;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                flush();
                step();
            } else if (lineStart && c == '$' && k + 1 < text.length() && text.charAt(k + 1) == ' ') {
                step(); // a shell prompt pasted with the command
                step();
                lineStart = false;
            } else if (c == '#' && startLine < 0) {
                while (k < text.length() && text.charAt(k) != '\n') {
                    step();
                }
            } else if (startLine < 0 && isOperatorStart(k)) {
                operator();
            } else {
                lineStart = false;
                unquoted(c);
            }
        }
        flush();
        return words;
    }

    private void unquoted(char c) {
        begin();
        if (c == '\'') {
            singleQuoted();
        } else if (c == '"') {
            doubleQuoted();
        } else if (c == '\\' && k + 1 < text.length()) {
            step();
            literal.append(text.charAt(k));
            step();
        } else if (c == '$' || c == '`') {
            dollar(false);
        } else {
            literal.append(c);
            step();
        }
    }

    private void singleQuoted() {
        int openLine = line;
        int openCol = col;
        step();
        while (k < text.length() && text.charAt(k) != '\'') {
            literal.append(text.charAt(k));
            step();
        }
        closeQuote('\'', openLine, openCol);
    }

    /** Inside double quotes, {@code $} still expands and a backslash escapes only {@code $ ` " \} and a line break. */
    private void doubleQuoted() {
        int openLine = line;
        int openCol = col;
        step();
        while (k < text.length() && text.charAt(k) != '"') {
            char c = text.charAt(k);
            if (c == '\\' && isLineBreak(k + 1)) {
                step();
                stepLineBreak();
            } else if (c == '\\' && k + 1 < text.length() && "$`\"\\".indexOf(text.charAt(k + 1)) >= 0) {
                step();
                literal.append(text.charAt(k));
                step();
            } else if (c == '$' || c == '`') {
                dollar(true);
            } else {
                literal.append(c);
                step();
            }
        }
        closeQuote('"', openLine, openCol);
    }

    private void closeQuote(char quote, int openLine, int openCol) {
        if (k >= text.length()) {
            problems.add(origin.locate(openLine, openCol), "unterminated quote " + quote);
        } else {
            step();
        }
    }

    /**
     * An expansion at {@code k}: a variable, arithmetic, a command substitution, or a lone
     * {@code $}; {@code quoted} inside double quotes, where a value is not split into words.
     */
    private void dollar(boolean quoted) {
        if (text.charAt(k) == '`') {
            int end = text.indexOf('`', k + 1);
            substitution(end < 0 ? text.length() : end + 1);
        } else if (text.startsWith("$((", k)) {
            int end = closing(k + 1);
            if (end > 0 && text.charAt(end - 2) == ')') {
                add(new ShellWord.Arithmetic(text.substring(k + 3, end - 2)), end);
            } else {
                substitution(end < 0 ? text.length() : end);
            }
        } else if (text.startsWith("$(", k)) {
            int end = closing(k + 1);
            substitution(end < 0 ? text.length() : end);
        } else if (text.startsWith("${", k)) {
            braced(quoted);
        } else if (k + 1 < text.length() && isNameStart(text.charAt(k + 1))) {
            int end = k + 2;
            while (end < text.length() && isNameChar(text.charAt(end))) {
                end++;
            }
            add(new ShellWord.Variable(text.substring(k + 1, end), null, quoted), end);
        } else if (k + 1 < text.length() && Character.isDigit(text.charAt(k + 1))) {
            add(new ShellWord.Variable(text.substring(k + 1, k + 2), null, quoted), k + 2);
        } else {
            literal.append('$');
            step();
        }
    }

    /** {@code ${NAME}}, {@code ${NAME:-fallback}} or {@code ${NAME-fallback}}; other forms stay opaque. */
    private void braced(boolean quoted) {
        int end = text.indexOf('}', k);
        if (end < 0) {
            substitution(text.length());
            return;
        }
        String inside = text.substring(k + 2, end);
        int name = 0;
        while (name < inside.length() && (name == 0 ? isNameStart(inside.charAt(name)) : isNameChar(inside.charAt(name)))) {
            name++;
        }
        String rest = inside.substring(name);
        if (name == 0 || !(rest.isEmpty() || rest.startsWith(":-") || rest.startsWith("-"))) {
            substitution(end + 1);
        } else {
            String fallback = rest.isEmpty() ? null : rest.substring(rest.startsWith(":-") ? 2 : 1);
            add(new ShellWord.Variable(inside.substring(0, name), fallback, quoted), end + 1);
        }
    }

    /** The index after the parenthesis that closes the one at {@code open}, or -1. */
    private int closing(int open) {
        int depth = 0;
        for (int j = open; j < text.length(); j++) {
            if (text.charAt(j) == '(') {
                depth++;
            } else if (text.charAt(j) == ')' && --depth == 0) {
                return j + 1;
            }
        }
        return -1;
    }

    private void substitution(int end) {
        add(new ShellWord.Substitution(text.substring(k, end)), end);
    }

    private void add(ShellWord.Part part, int end) {
        flushLiteral();
        parts.add(part);
        while (k < end) {
            step();
        }
    }

    private void operator() {
        int end = operatorEnd(k);
        String op = text.substring(k, end);
        boolean separator = op.equals(";") || op.equals("&&") || op.equals("||");
        words.add(ShellWord.operator(op, line, col, separator ? ShellWord.Type.END : ShellWord.Type.OPERATOR));
        while (k < end) {
            step();
        }
        lineStart = false;
    }

    private void begin() {
        if (startLine < 0) {
            startLine = line;
            startCol = col;
        }
    }

    private void flushLiteral() {
        if (literal.length() > 0) {
            parts.add(new ShellWord.Text(literal.toString()));
            literal.setLength(0);
        }
    }

    private void flush() {
        flushLiteral();
        if (startLine >= 0) {
            words.add(new ShellWord(List.copyOf(parts.isEmpty() ? List.of(new ShellWord.Text("")) : parts), startLine,
                    startCol, ShellWord.Type.WORD));
        }
        parts.clear();
        startLine = -1;
    }

    private void step() {
        if (text.charAt(k) == '\n') {
            line++;
            col = 0;
        } else {
            col++;
        }
        k++;
    }

    /** Steps over a line break at {@code k}, LF or CRLF. */
    private void stepLineBreak() {
        if (text.charAt(k) == '\r') {
            k++;
        }
        step();
    }

    private boolean isLineBreak(int at) {
        return at < text.length() && (text.charAt(at) == '\n'
                || text.charAt(at) == '\r' && at + 1 < text.length() && text.charAt(at + 1) == '\n');
    }

    private boolean isOperatorStart(int at) {
        char c = text.charAt(at);
        if (c == '>' || c == '<' || c == '&' || c == '|' || c == ';') {
            return true;
        }
        int j = at;
        while (j < text.length() && Character.isDigit(text.charAt(j))) {
            j++;
        }
        return j > at && j < text.length() && text.charAt(j) == '>';
    }

    private int operatorEnd(int at) {
        int j = at;
        while (j < text.length() && Character.isDigit(text.charAt(j))) {
            j++;
        }
        char c = text.charAt(j);
        j++;
        if ((c == '>' || c == '&' || c == '|') && j < text.length() && text.charAt(j) == c) {
            j++;
        }
        if (c == '>' && j < text.length() && text.charAt(j) == '&') {
            j++;
            while (j < text.length() && Character.isDigit(text.charAt(j))) {
                j++;
            }
        }
        return j;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || c >= '0' && c <= '9';
    }
}

package dev.pdsim.scenario;

import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.diag.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses a shell launch line the way a user pastes it from a runbook: leading {@code VAR=value}
 * assignments, {@code \} line continuations, {@code --flag value} and {@code --flag=value},
 * argparse switches, quotes, and a trailing redirection such as {@code > /prefill.log 2>&1 &}.
 * Problems are collected with the file position of the offending word.
 */
public final class LaunchLineParser {

    /** Maps a (line, column) inside the launch text, both 0-based, to its place in the file. */
    @FunctionalInterface
    public interface TextOrigin {
        SourceLocation locate(int line, int column);
    }

    private static final Pattern ENV_ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
    private static final Pattern PYTHON = Pattern.compile("(.*/)?python[0-9.]*");
    private static final Pattern REDIRECT = Pattern.compile("[0-9]*(>>?|<)(&[0-9]+)?");

    private record Word(String text, int line, int column, boolean operator) {
    }

    private final TextOrigin origin;
    private final Problems problems;

    private LaunchLineParser(TextOrigin origin, Problems problems) {
        this.origin = origin;
        this.problems = problems;
    }

    /** Parses {@code text}; problems go to {@code problems}, and what could be read is returned. */
    public static LaunchCommand parse(String text, TextOrigin origin, Problems problems) {
        return new LaunchLineParser(origin, problems).parse(text);
    }

    private LaunchCommand parse(String text) {
        List<Word> words = tokenize(text);
        List<EnvAssignment> env = new ArrayList<>();
        List<FlagValue> flags = new ArrayList<>();
        List<String> decorations = new ArrayList<>();
        int i = readEnvironment(words, env);
        if (i < words.size() && words.get(i).text().equals("nohup")) {
            decorations.add("nohup");
            i++;
        }
        i = expectCommand(words, i, text);
        if (i < 0) {
            return new LaunchCommand(env, flags, decorations);
        }
        while (i < words.size()) {
            Word w = words.get(i);
            if (w.operator()) {
                i = readShellTail(words, i, decorations);
            } else if (!w.text().startsWith("--")) {
                problems.add(at(w), "unexpected argument '" + w.text() + "' (sglang.launch_server takes only --flags)");
                i++;
            } else {
                i = readFlag(words, i, flags);
            }
        }
        return new LaunchCommand(env, flags, decorations);
    }

    /** Reads the leading {@code VAR=value} assignments; returns the index after them. */
    private int readEnvironment(List<Word> words, List<EnvAssignment> env) {
        int i = 0;
        while (i < words.size() && !words.get(i).operator() && ENV_ASSIGNMENT.matcher(words.get(i).text()).matches()) {
            Word w = words.get(i++);
            int eq = w.text().indexOf('=');
            env.add(new EnvAssignment(w.text().substring(0, eq), w.text().substring(eq + 1), at(w)));
        }
        return i;
    }

    /** Reads the {@code --flag} at {@code i} with its value ({@code --flag value} or {@code --flag=value}); returns the index after them. */
    private int readFlag(List<Word> words, int i, List<FlagValue> flags) {
        Word w = words.get(i++);
        String body = w.text().substring(2);
        String inlineValue = null;
        int eq = body.indexOf('=');
        if (eq >= 0) {
            inlineValue = body.substring(eq + 1);
            body = body.substring(0, eq);
        }
        var flag = ServerFlags.find(body);
        if (flag.isEmpty()) {
            String hint = Suggestions.closest(body, ServerFlags.names()).map(n -> " (did you mean --" + n + "?)")
                    .orElse("");
            problems.add(at(w), "unknown flag --" + body + hint);
            // Skip a value that belongs to the unknown flag, so it is not reported twice.
            boolean valueFollows = inlineValue == null && i < words.size() && !words.get(i).operator()
                    && !words.get(i).text().startsWith("--");
            return valueFollows ? i + 1 : i;
        }
        ServerFlag f = flag.get();
        if (f.type() == FlagType.BOOLEAN) {
            if (inlineValue != null) {
                problems.add(at(w), "--" + f.name() + " is a switch and takes no value (got '" + inlineValue + "')");
            } else {
                flags.add(new FlagValue(f, "true", at(w), true));
            }
            return i;
        }
        if (inlineValue != null) {
            flags.add(new FlagValue(f, inlineValue, at(w), true));
            return i;
        }
        if (i >= words.size() || words.get(i).operator() || words.get(i).text().startsWith("--")) {
            problems.add(at(w), "--" + f.name() + " expects a value");
            return i;
        }
        Word value = words.get(i);
        flags.add(new FlagValue(f, value.text(), at(value), true));
        return i + 1;
    }

    /** Checks for {@code python3 -m sglang.launch_server}; returns the index after it, or -1. */
    private int expectCommand(List<Word> words, int i, String text) {
        if (i + 2 < words.size() && PYTHON.matcher(words.get(i).text()).matches()
                && words.get(i + 1).text().equals("-m") && words.get(i + 2).text().equals("sglang.launch_server")) {
            return i + 3;
        }
        SourceLocation where = i < words.size() ? at(words.get(i)) : origin.locate(0, 0);
        String got = i < words.size() ? "'" + words.get(i).text() + "'" : "nothing";
        problems.add(where, "expected 'python3 -m sglang.launch_server' after the environment assignments, got " + got);
        return -1;
    }

    /** Accepts redirections ({@code > file}, {@code 2>&1}) and a final {@code &}; anything else is a problem. */
    private int readShellTail(List<Word> words, int i, List<String> decorations) {
        Word op = words.get(i);
        if (op.text().equals("&")) {
            decorations.add("&");
            if (i + 1 < words.size()) {
                problems.add(at(words.get(i + 1)), "only one command per launch line; found more after '&'");
                return words.size();
            }
            return i + 1;
        }
        if (REDIRECT.matcher(op.text()).matches()) {
            if (op.text().contains("&")) {
                decorations.add(op.text());
                return i + 1;
            }
            if (i + 1 < words.size() && !words.get(i + 1).operator()) {
                decorations.add(op.text() + " " + words.get(i + 1).text());
                return i + 2;
            }
            problems.add(at(op), "redirection '" + op.text() + "' needs a file name");
            return i + 1;
        }
        problems.add(at(op), "shell operator '" + op.text() + "' is not supported on a launch line "
                + "(accepted: VAR=value prefixes, redirections, a trailing &)");
        return words.size();
    }

    private SourceLocation at(Word w) {
        return origin.locate(w.line(), w.column());
    }

    /** Splits shell words, honouring quotes, backslash-newline continuations and comments. */
    private List<Word> tokenize(String text) {
        return new Tokenizer(text).words();
    }

    /** The shell's word splitting over one launch text, keeping where each word starts. */
    private final class Tokenizer {
        private final String text;
        private final List<Word> words = new ArrayList<>();
        private final StringBuilder cur = new StringBuilder();
        /** Index of the character being read. */
        private int k;
        private int line;
        private int col;
        /** Where the current word started; -1 between words. */
        private int startLine = -1;
        private int startCol = -1;
        /** The open quote character; 0 outside quotes. */
        private char quote;

        Tokenizer(String text) {
            this.text = text;
        }

        List<Word> words() {
            for (k = 0; k < text.length(); k++) {
                char c = text.charAt(k);
                if (quote != 0) {
                    quoted(c);
                } else if (c == '\\' && k + 1 < text.length() && (text.charAt(k + 1) == '\n' || text.charAt(k + 1) == '\r')) {
                    continuation();
                } else if (c == '\n' || c == ' ' || c == '\t' || c == '\r') {
                    flush();
                    advance(c);
                } else if (c == '#' && cur.length() == 0) {
                    skipComment();
                } else if (cur.length() == 0 && isOperatorStart(text, k)) {
                    operator();
                } else {
                    unquoted(c);
                }
            }
            if (quote != 0) {
                problems.add(origin.locate(startLine, startCol), "unterminated quote " + quote);
            }
            flush();
            return words;
        }

        /** Inside quotes everything is literal, but {@code \"} and {@code \\} inside double quotes. */
        private void quoted(char c) {
            if (c == quote) {
                quote = 0;
            } else if (c == '\\' && quote == '"' && k + 1 < text.length()
                    && (text.charAt(k + 1) == '"' || text.charAt(k + 1) == '\\')) {
                cur.append(text.charAt(++k));
                col++;
            } else {
                cur.append(c);
            }
            advance(c);
        }

        /** A backslash before a line break (LF or CRLF) joins the lines and ends the word. */
        private void continuation() {
            flush();
            k++;
            if (text.charAt(k) == '\r' && k + 1 < text.length() && text.charAt(k + 1) == '\n') {
                k++;
            }
            line++;
            col = 0;
        }

        private void skipComment() {
            while (k + 1 < text.length() && text.charAt(k + 1) != '\n') {
                k++;
            }
        }

        private void operator() {
            int end = operatorEnd(text, k);
            words.add(new Word(text.substring(k, end), line, col, true));
            col += end - k;
            k = end - 1;
        }

        private void unquoted(char c) {
            if (startLine < 0) {
                startLine = line;
                startCol = col;
            }
            if (c == '\'' || c == '"') {
                quote = c;
            } else {
                cur.append(c);
            }
            col++;
        }

        private void advance(char c) {
            if (c == '\n') {
                line++;
                col = 0;
            } else {
                col++;
            }
        }

        private void flush() {
            if (startLine >= 0) {
                words.add(new Word(cur.toString(), startLine, startCol, false));
            }
            cur.setLength(0);
            startLine = -1;
        }
    }

    private static boolean isOperatorStart(String text, int k) {
        char c = text.charAt(k);
        if (c == '>' || c == '<' || c == '&' || c == '|' || c == ';') {
            return true;
        }
        int j = k;
        while (j < text.length() && Character.isDigit(text.charAt(j))) {
            j++;
        }
        return j > k && j < text.length() && text.charAt(j) == '>';
    }

    private static int operatorEnd(String text, int k) {
        int j = k;
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
}

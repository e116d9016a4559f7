package dev.pdsim.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A word of a launch script as the shell splits it, kept in parts so that variables are expanded
 * with the values known where the word is used (assignments above it, the scenario's {@code vars:}).
 *
 * @param line   0-based line of the launch text where the word starts
 * @param column 0-based column
 */
record ShellWord(List<Part> parts, int line, int column, Type type) {

    enum Type {
        /** A word: a command, flag, value or assignment. */
        WORD,
        /** A redirection, a pipe or a trailing {@code &}. */
        OPERATOR,
        /** The end of a command: a line break, {@code ;}, {@code &&} or {@code ||}. */
        END
    }

    /** A piece of a word. */
    sealed interface Part {
    }

    /** Literal characters, quotes removed. */
    record Text(String text) implements Part {
    }

    /**
     * {@code $NAME}, {@code ${NAME}} or {@code ${NAME:-fallback}} (fallback null when none is
     * written); {@code quoted} inside double quotes, else its value splits into words at blanks.
     */
    record Variable(String name, String fallback, boolean quoted) implements Part {

        String value(Map<String, String> variables) {
            return variables.containsKey(name) ? variables.get(name) : fallback;
        }
    }

    /** {@code $((expression))}. */
    record Arithmetic(String expression) implements Part {
    }

    /** {@code $(command)} or a backquoted command: kept as written, never run. */
    record Substitution(String raw) implements Part {
    }

    /**
     * The word after expansion.
     *
     * @param unset    what could not be expanded: names of variables without a value, or a command
     *                 substitution; the text keeps such parts as written
     * @param problems arithmetic that cannot be evaluated
     */
    record Expansion(String text, List<String> unset, List<String> problems) {
    }

    static ShellWord operator(String text, int line, int column, Type type) {
        return new ShellWord(List.of(new Text(text)), line, column, type);
    }

    /**
     * The words this word becomes once unquoted variables with blanks in their values are split, as
     * the shell splits {@code $COMMON_ARGS} into flags; the word itself when nothing splits.
     */
    List<ShellWord> fields(Map<String, String> variables) {
        List<ShellWord> words = new ArrayList<>();
        List<Part> current = new ArrayList<>();
        for (Part p : parts) {
            String value = p instanceof Variable v && !v.quoted() ? v.value(variables) : null;
            if (value == null || value.chars().noneMatch(Character::isWhitespace)) {
                current.add(p);
                continue;
            }
            String[] pieces = value.split("\\s+", -1);
            for (int i = 0; i < pieces.length; i++) {
                if (i > 0 && !current.isEmpty()) {
                    words.add(new ShellWord(List.copyOf(current), line, column, type));
                    current.clear();
                }
                if (!pieces[i].isEmpty()) {
                    current.add(new Text(pieces[i]));
                }
            }
        }
        if (!current.isEmpty()) {
            words.add(new ShellWord(List.copyOf(current), line, column, type));
        }
        return words;
    }

    Expansion expand(Map<String, String> variables) {
        StringBuilder sb = new StringBuilder();
        List<String> unset = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Part p : parts) {
            if (p instanceof Text t) {
                sb.append(t.text());
            } else if (p instanceof Variable v) {
                String value = v.value(variables);
                if (value == null) {
                    unset.add(v.name());
                    sb.append("${").append(v.name()).append('}');
                } else {
                    sb.append(value);
                }
            } else if (p instanceof Arithmetic a) {
                sb.append(arithmetic(a.expression(), variables, unset, problems));
            } else if (p instanceof Substitution s) {
                unset.add(s.raw());
                sb.append(s.raw());
            }
        }
        return new Expansion(sb.toString(), List.copyOf(unset), List.copyOf(problems));
    }

    /** The value of {@code $((expression))}, or the expression as written when it cannot be evaluated. */
    private static String arithmetic(String expression, Map<String, String> variables, List<String> unset,
                                     List<String> problems) {
        try {
            return Long.toString(ShellArithmetic.evaluate(expression, variables));
        } catch (ShellArithmetic.UnsetVariable e) {
            unset.add(e.getMessage());
        } catch (ArithmeticException e) {
            problems.add("$((" + expression + ")) overflows");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return "$((" + expression + "))";
    }
}

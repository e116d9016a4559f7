package dev.pdsim.diag;

import java.util.List;

/**
 * Bad input (usage, file, YAML or validation). Carries every problem found, so users fix them all
 * in one pass; the CLI prints one line per problem and exits with code 2.
 */
public final class InputException extends RuntimeException {
    private final List<Problem> problems;

    public InputException(List<Problem> problems) {
        super(problems.isEmpty() ? "bad input" : problems.get(0).toString());
        this.problems = List.copyOf(problems);
    }

    public InputException(SourceLocation where, String message) {
        this(List.of(new Problem(where, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}

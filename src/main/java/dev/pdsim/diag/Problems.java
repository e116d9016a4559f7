package dev.pdsim.diag;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while reading an input so that all of them are reported at once. */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();

    public void add(SourceLocation where, String message) {
        list.add(new Problem(where, message));
    }

    public void addAll(List<Problem> more) {
        list.addAll(more);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws an {@link InputException} holding every problem, if there are any. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new InputException(list);
        }
    }
}

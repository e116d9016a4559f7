package dev.pdsim.scenario;

/** A malformed trace line: what is wrong and at which column (1-based) of the line. */
final class TraceLineException extends Exception {
    private final int column;

    TraceLineException(int column, String message) {
        super(message, null, false, false);
        this.column = column;
    }

    int column() {
        return column;
    }
}

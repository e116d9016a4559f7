package dev.pdsim.diag;

/** One thing wrong with an input, tied to where it is. */
public record Problem(SourceLocation where, String message) {
    @Override
    public String toString() {
        return where + ": " + message;
    }
}

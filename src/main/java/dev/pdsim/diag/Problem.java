package dev.pdsim.diag;

/** One thing wrong with an input, tied to where it is. */
public record Problem(SourceLocation where, String message) {
    /**
     * Longest message printed: the accepted values of the longest choice fit; a value that slipped
     * into a message unquoted does not flood the terminal.
     */
    static final int MAX_MESSAGE = 2000;

    /** One line, whatever a value in the message held: control characters are escaped, a huge message cut. */
    @Override
    public String toString() {
        return Quote.line(where.toString(), Quote.MAX_SHOWN * 2) + ": " + Quote.line(message, MAX_MESSAGE);
    }
}

package dev.pdsim.diag;

/** A place in an input file, printed the way editors and compilers do: {@code file:line:column}. */
public record SourceLocation(String file, int line, int column) {

    public static SourceLocation ofFile(String file) {
        return new SourceLocation(file, 0, 0);
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return file + ":" + line + ":" + Math.max(column, 1);
    }
}

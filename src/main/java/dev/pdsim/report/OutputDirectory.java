package dev.pdsim.report;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Picks and creates the folder a run writes into, never overwriting an earlier run silently. */
public final class OutputDirectory {
    private OutputDirectory() {
    }

    /**
     * {@code explicit} when given: created if missing, refused if it already holds files. Otherwise
     * {@code results/<name>}, or {@code results/<name>-2}, {@code -3}, ... if taken.
     */
    public static Path prepare(Path explicit, Path resultsRoot, String name) {
        Path dir;
        if (explicit != null) {
            dir = explicit;
            if (Files.isRegularFile(dir)) {
                throw new InputException(SourceLocation.ofFile(dir.toString()), "--out names a file; give a folder");
            }
            if (Files.isDirectory(dir) && !isEmpty(dir)) {
                throw new InputException(SourceLocation.ofFile(dir.toString()),
                        "--out folder already holds files; pdsim does not overwrite a run: choose a new folder");
            }
        } else {
            dir = resultsRoot.resolve(name);
            for (int k = 2; Files.exists(dir); k++) {
                dir = resultsRoot.resolve(name + "-" + k);
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException(SourceLocation.ofFile(dir.toString()), "cannot create the output folder: " + e.getMessage());
        }
        return dir;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

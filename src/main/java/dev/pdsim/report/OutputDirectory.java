package dev.pdsim.report;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Picks and creates the folder a run writes into, never overwriting an earlier run silently. The
 * folder is claimed atomically, so two runs given the same folder cannot both write into it: it
 * is created with one call that fails if it exists, and a {@value #PARTIAL} marker is then created
 * in it with one call that fails if another run made it first. The marker stays until the run
 * has written everything ({@link #complete}), so a folder holding it is never a finished result.
 */
public final class OutputDirectory {
    /** The marker of a run that has not finished (still running, interrupted or failed). */
    public static final String PARTIAL = "PARTIAL";
    private static final String RUNNING = "pdsim is writing this run. If this file is still here when no pdsim runs,"
            + " the run was interrupted or failed: the other files here are not a finished result.\n";

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
            createParent(dir);
            if (!create(dir) && !isEmpty(dir)) {
                throw new InputException(SourceLocation.ofFile(dir.toString()),
                        "--out folder already holds files; pdsim does not overwrite a run: choose a new folder");
            }
        } else {
            createParent(resultsRoot.resolve(name));
            dir = resultsRoot.resolve(name);
            for (int k = 2; !create(dir); k++) {
                dir = resultsRoot.resolve(name + "-" + k);
            }
        }
        try {
            Files.writeString(dir.resolve(PARTIAL), RUNNING, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new InputException(SourceLocation.ofFile(dir.toString()), "--out folder is being written by another"
                    + " pdsim run: choose a new folder");
        } catch (IOException e) {
            throw cannotWrite(dir, e);
        }
        return dir;
    }

    /** The run in {@code dir} wrote everything: its {@value #PARTIAL} marker goes. */
    public static void complete(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(PARTIAL));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run in {@code dir} stopped before the end: its marker says why and what the folder holds. */
    public static void markPartial(Path dir, String why) {
        try {
            Files.writeString(dir.resolve(PARTIAL), why + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code file} whole or not at all: into a temporary name beside it, then renamed. */
    static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = temporary(file);
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        publish(tmp, file);
    }

    /** Where {@code file} is written until it is complete. */
    static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + ".part");
    }

    /** Gives a completed temporary file its name. */
    static void publish(Path tmp, Path file) throws IOException {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Creates {@code dir} unless it exists; whether this call created it. */
    private static boolean create(Path dir) {
        try {
            Files.createDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new InputException(SourceLocation.ofFile(dir.toString()), "--out names a file; give a folder");
            }
            return false;
        } catch (IOException e) {
            throw cannotWrite(dir, e);
        }
    }

    private static void createParent(Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw cannotWrite(dir, e);
        }
    }

    private static InputException cannotWrite(Path dir, IOException e) {
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getClass().getSimpleName();
        return new InputException(SourceLocation.ofFile(dir.toString()), "cannot create the output folder: " + reason
                + (e instanceof FileSystemException f && f.getFile() != null && !f.getFile().equals(dir.toString())
                ? " (" + f.getFile() + ")" : ""));
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

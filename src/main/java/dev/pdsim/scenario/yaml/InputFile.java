package dev.pdsim.scenario.yaml;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Quote;
import dev.pdsim.diag.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a text input (a scenario or sweep file) within bounds: a regular file only, since a FIFO
 * would block forever and a device such as /dev/zero never ends; at most {@link #MAX_BYTES}; and
 * lines of at most {@link #MAX_LINE} characters, which keeps parsing linear: SnakeYAML's reader
 * copies the token it is scanning each time it reads another 1024 characters, so a token as long
 * as its line costs the square of that line's length.
 */
public final class InputFile {
    /**
     * 3 MiB: the largest shipped scenario is about 4 KiB, a launch runbook pasted whole far below
     * this; and SnakeYAML refuses documents of more than 3 Mi code points anyway.
     */
    public static final int MAX_BYTES = 3 << 20;
    /** 64 Ki characters: a whole launch command written on one line is a few KiB. */
    public static final int MAX_LINE = 1 << 16;

    private InputFile() {
    }

    /** The file's text; {@code expected} names what it should be, e.g. "a scenario YAML file". */
    public static String read(Path file, String expected) {
        String name = file.toString();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InputException(SourceLocation.ofFile(name), "no such file");
        } catch (IOException e) {
            throw new InputException(SourceLocation.ofFile(name), "cannot be read: " + reason(e));
        }
        if (attributes.isDirectory()) {
            throw new InputException(SourceLocation.ofFile(name), "is a directory; expected " + expected);
        }
        if (!attributes.isRegularFile()) {
            throw new InputException(SourceLocation.ofFile(name), "is not a regular file (a FIFO, socket or device);"
                    + " expected " + expected);
        }
        if (attributes.size() > MAX_BYTES) {
            throw tooLarge(name, attributes.size());
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1); // the file may have grown since its size was read
        } catch (IOException e) {
            throw new InputException(SourceLocation.ofFile(name), "cannot be read: " + reason(e));
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(name, bytes.length);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(SourceLocation.ofFile(name), "is not UTF-8 text; expected " + expected);
        }
        checkLineLengths(name, text);
        return text;
    }

    /** A path the user wrote in a file or on the command line; one the platform cannot name is bad input. */
    public static Path path(String text, SourceLocation where, String field) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new InputException(where, field + " = " + Quote.of(text) + " is not a usable path: " + e.getReason());
        }
    }

    private static void checkLineLengths(String name, String text) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i - start > MAX_LINE) {
                    throw new InputException(new SourceLocation(name, line, MAX_LINE + 1), "line " + line + " is "
                            + (i - start) + " characters long; lines are limited to " + MAX_LINE + " characters");
                }
                line++;
                start = i + 1;
            }
        }
    }

    /** The system's reason without the path, which the message already starts with. */
    private static String reason(IOException e) {
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
    }

    private static InputException tooLarge(String name, long size) {
        return new InputException(SourceLocation.ofFile(name), "is " + size + " bytes; input files are limited to "
                + MAX_BYTES + " bytes (3 MiB)");
    }
}

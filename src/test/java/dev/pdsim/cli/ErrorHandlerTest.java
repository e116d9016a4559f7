package dev.pdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ErrorHandlerTest {
    @Test
    void aFullOrReadOnlyDiskIsAnEnvironmentProblemNotAnInternalError() {
        CommandLine cli = new CommandLine(new Main());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = new ErrorHandler().handleExecutionException(new UncheckedIOException(new FileSystemException(
                "out/requests.csv.part", null, "No space left on device")), cli, null);
        assertEquals(ErrorHandler.BAD_INPUT, code);
        assertEquals("pdsim: cannot write or read out/requests.csv.part: No space left on device (a problem of the file"
                + " system: a full disk, a read-only or vanished folder)\n", err.toString().replace("\r\n", "\n"));
    }

    @Test
    void anInternalErrorIsOneEscapedLine() {
        CommandLine cli = new CommandLine(new Main());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = new ErrorHandler().handleExecutionException(new IllegalStateException("a\nb\u001b"), cli, null);
        assertEquals(ErrorHandler.INTERNAL_ERROR, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
    }
}

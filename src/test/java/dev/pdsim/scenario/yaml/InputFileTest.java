package dev.pdsim.scenario.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pdsim.diag.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFileTest {
    @TempDir
    Path dir;

    private String refusal(Path file) {
        return assertThrows(InputException.class, () -> InputFile.read(file, "a scenario YAML file")).problems().get(0)
                .toString();
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("scenario.yaml");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor() == 0, "mkfifo is available");
        String message = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refusal(fifo), "must not block");
        assertTrue(message.contains("is not a regular file (a FIFO, socket or device)"), message);
    }

    @Test
    void devicesAndFoldersAreRefused() {
        assertTrue(refusal(Path.of("/dev/zero")).contains("is not a regular file"));
        assertTrue(refusal(dir).contains("is a directory; expected a scenario YAML file"));
        assertTrue(refusal(dir.resolve("missing.yaml")).endsWith("missing.yaml: no such file"));
    }

    @Test
    void aFileOverTheCapIsRefusedBeforeItIsRead() throws IOException {
        Path big = dir.resolve("big.yaml");
        Files.write(big, new byte[InputFile.MAX_BYTES + 1]);
        assertTrue(refusal(big).contains("is 3145729 bytes; input files are limited to 3145728 bytes (3 MiB)"));
    }

    @Test
    void aLongLineIsRefusedAtItsPlace() throws IOException {
        Path f = dir.resolve("long.yaml");
        Files.writeString(f, "name: x\ndescription: " + "a".repeat(InputFile.MAX_LINE) + "\n", StandardCharsets.UTF_8);
        String message = refusal(f);
        assertTrue(message.contains("long.yaml:2:65537: line 2 is 65549 characters long; lines are limited to 65536"),
                message);
    }

    @Test
    void linesJustUnderTheCapParseInLinearTime() throws IOException {
        // 48 lines of 64 Ki characters (3 MiB): SnakeYAML's copying grows with the square of a token,
        // so the cap bounds it; a single 3 MiB line took about 20 s of CPU before the cap.
        String line = "  k%d: " + "a".repeat(InputFile.MAX_LINE - 20) + "\n";
        StringBuilder sb = new StringBuilder("m:\n");
        for (int i = 0; i < 47; i++) {
            sb.append(String.format(line, i));
        }
        Path f = dir.resolve("wide.yaml");
        Files.writeString(f, sb, StandardCharsets.UTF_8);
        YamlNode root = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> YamlReader.read("wide.yaml",
                InputFile.read(f, "a YAML file")));
        assertEquals(47, ((YamlNode.Mapping) ((YamlNode.Mapping) root).get("m")).entries().size());
    }

    @Test
    void notUtf8IsRefused() throws IOException {
        Path f = dir.resolve("latin1.yaml");
        Files.write(f, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9, '\n'});
        assertTrue(refusal(f).contains("is not UTF-8 text"));
    }
}

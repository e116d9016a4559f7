package dev.pdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.report.OutputDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped by SIGTERM (what Ctrl-C also does to the JVM) leaves a marked, honest partial folder. */
class InterruptedRunTest {
    @TempDir
    Path tmp;

    @Test
    void aReplayStoppedBySigtermIsMarkedPartialAndSaysSo() throws Exception {
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "replay", "scenarios/reported-xpyd-deepep.yaml", "--duration", "1000000", "--out", out.toString()))
                .redirectError(err.toFile()).redirectOutput(tmp.resolve("out.txt").toFile()).start();
        try {
            Path requests = out.resolve("requests.csv.part");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(Files.exists(requests) && Files.size(requests) > 100_000) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(requests), "the run started writing");
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run stops");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(143, p.exitValue(), "killed by SIGTERM");
        String marker = Files.readString(out.resolve(OutputDirectory.PARTIAL), StandardCharsets.UTF_8);
        assertTrue(marker.startsWith("INTERRUPTED:") && marker.contains("requests.csv.part"), marker);
        assertFalse(Files.exists(out.resolve("requests.csv")), "no file under a finished name");
        assertFalse(Files.exists(out.resolve("summary.json")));
        assertTrue(Files.readString(err, StandardCharsets.UTF_8).contains("pdsim: interrupted: " + out
                + " holds a partial run"));
    }

    @Test
    void aFinishedReplayHasNoMarkerAndNoTemporaryFile() throws Exception {
        Path out = tmp.resolve("done");
        CliTest.Run r = CliTest.run("replay", "scenarios/reported-xpyd-deepep.yaml", "--duration", "2", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        try (var files = Files.list(out)) {
            assertEquals(List.of("requests.csv", "summary.json", "timing.json"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }
}

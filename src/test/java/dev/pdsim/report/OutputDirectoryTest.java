package dev.pdsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {
    @TempDir
    Path root;

    @Test
    void runsRacingForOneFolderCannotBothHaveIt() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path out = root.resolve("out-" + round);
            if (round % 2 == 1) {
                Files.createDirectory(out); // an empty folder given as --out
            }
            int runs = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(runs);
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    try {
                        OutputDirectory.prepare(out, root, "unused");
                        return true;
                    } catch (InputException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> f : claims) {
                won += f.get() ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(1, won, "round " + round);
        }
    }

    @Test
    void defaultFoldersAreNumberedWithoutRaces() throws Exception {
        int runs = 8;
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Path>> dirs = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            dirs.add(pool.submit(() -> {
                start.await();
                return OutputDirectory.prepare(null, root, "replay");
            }));
        }
        start.countDown();
        Set<Path> distinct = new HashSet<>();
        for (Future<Path> f : dirs) {
            distinct.add(f.get());
        }
        pool.shutdown();
        assertEquals(runs, distinct.size());
    }

    @Test
    void theMarkerStaysUntilTheRunIsComplete() {
        Path dir = OutputDirectory.prepare(root.resolve("run"), root, "unused");
        assertTrue(Files.exists(dir.resolve(OutputDirectory.PARTIAL)));
        InputException again = assertThrows(InputException.class, () -> OutputDirectory.prepare(dir, root, "unused"));
        assertTrue(again.getMessage().contains("already holds files"), again.getMessage());
        OutputDirectory.complete(dir);
        assertFalse(Files.exists(dir.resolve(OutputDirectory.PARTIAL)));
    }

    @Test
    void aFolderThatCannotBeCreatedIsBadInput() {
        InputException e = assertThrows(InputException.class,
                () -> OutputDirectory.prepare(Path.of("/proc/pdsim-out"), root, "unused"));
        assertTrue(e.getMessage().contains("cannot create the output folder"), e.getMessage());
    }
}

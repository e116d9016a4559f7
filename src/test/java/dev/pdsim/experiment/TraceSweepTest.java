package dev.pdsim.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.InputException;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.WorkloadType;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps around a trace replay: the radix cache as an axis, and length axes refused where the file gives lengths. */
class TraceSweepTest {
    @TempDir
    Path tmp;

    private Path sweepFile(String axes) throws Exception {
        Path f = tmp.resolve("s.yaml");
        String base = Path.of("scenarios/trace-replay.yaml").toAbsolutePath().toString();
        Files.writeString(f, "base: " + base + "\nduration_s: 20\naxes:\n" + axes);
        return f;
    }

    @Test
    void theRadixCacheIsAnAxisOfATraceReplay() throws Exception {
        SweepGrid grid = new SweepGrid(SweepLoader.load(sweepFile("  prefill:\n    disable_radix_cache: [false, true]\n")));
        long[] cached = new long[2];
        for (int i = 0; i < 2; i++) {
            assertEquals(WorkloadType.TRACE, grid.at(i).scenario().workload().type());
            RunResult r = ServingSimulation.run(grid.at(i).scenario(), ReplayOptions.DEFAULT, RequestSink.NONE, null);
            cached[i] = r.prefixCache().get(0).cached();
        }
        assertTrue(cached[0] > 0, "radix cache on");
        assertEquals(0, cached[1], "radix cache off");
    }

    @Test
    void lengthAxesOverATraceAreRefusedUnlessTheTrafficBecomesDrawn() throws Exception {
        InputException e = assertThrows(InputException.class,
                () -> SweepLoader.load(sweepFile("  workload:\n    input_len: [1000, 2000]\n")));
        assertTrue(e.getMessage().contains("do not apply to the trace"), e.getMessage());
        SweepGrid drawn = new SweepGrid(SweepLoader.load(sweepFile("  workload:\n    rate: [2]\n    input_len: [3000]\n")));
        assertEquals(WorkloadType.POISSON, drawn.at(0).scenario().workload().type());
        assertEquals(null, drawn.at(0).scenario().workload().trace());
    }
}

package dev.pdsim.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.experiment.SweepLoader;
import dev.pdsim.experiment.SweepSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportPartialTest {
    @TempDir
    Path dir;

    @Test
    void anInterruptedSweepSaysItIsNotComplete() throws Exception {
        SweepSpec spec = SweepLoader.load(Path.of("src", "test", "resources", "golden", "sweep", "small-sweep.yaml"));
        String holds;
        try (SweepReport report = new SweepReport(spec, dir)) {
            holds = report.savePartial();
            report.finish(); // the run's own thread reaching the end after the interruption
        }
        String json = Files.readString(dir.resolve("sweep.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"complete\" : false"), "an interrupted sweep never says it is complete: " + json);
        assertFalse(Files.exists(dir.resolve("pareto.csv")));
        assertTrue(holds.contains("with the 0 rows finished in order, of " + spec.size()), holds);
        assertTrue(Files.readString(dir.resolve("sweep.csv"), StandardCharsets.UTF_8).startsWith("index,"));
    }

    @Test
    void aSweepThatStopsWithoutFinishingLeavesNoSweepCsvUnderItsFinalName() throws Exception {
        SweepSpec spec = SweepLoader.load(Path.of("src", "test", "resources", "golden", "sweep", "small-sweep.yaml"));
        try (SweepReport report = new SweepReport(spec, dir)) {
            assertTrue(Files.exists(dir.resolve("sweep.csv.part")), "rows stream into a temporary name");
        } // closed by a failure (or never closed: killed), neither finished nor saved as partial
        assertFalse(Files.exists(dir.resolve("sweep.csv")), "nothing could pass for a finished sweep.csv");
        assertFalse(Files.exists(dir.resolve("sweep.json")));
        assertTrue(Files.readString(dir.resolve("sweep.csv.part"), StandardCharsets.UTF_8).startsWith("index,"));
    }
}

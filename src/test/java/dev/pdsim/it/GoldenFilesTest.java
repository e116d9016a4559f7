package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pdsim.experiment.Combination;
import dev.pdsim.experiment.SweepLoader;
import dev.pdsim.experiment.SweepRow;
import dev.pdsim.experiment.SweepRunner;
import dev.pdsim.experiment.SweepSpec;
import dev.pdsim.report.ReplayRun;
import dev.pdsim.report.SweepReport;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.Strategy;
import dev.pdsim.serving.ReplayOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The outputs of every shipped scenario under every strategy, and of one small sweep, compared byte
 * for byte with the files under {@code src/test/resources/golden/}. A refactoring must leave them
 * unchanged; a change that means to alter a result regenerates them on purpose:
 * {@code ./mvnw -B verify -Dgolden.update=true} (README, "Golden files"), and its commit says why.
 */
class GoldenFilesTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    /** requests.csv is kept to its head: enough to pin arrival, routing and timing without megabytes of files. */
    static final int REQUEST_LINES = 200;
    static final List<String> STRATEGIES = List.of("buggy", "patched", "none-check", "tbo-off", "deepep");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");
    /**
     * Shipped scenarios too large to replay five times (with invariant checks) in every build: the
     * 544-GPU production shape takes seconds per strategy even for a minute of traffic. Its speed is
     * measured by ClusterHourBenchmark instead.
     */
    static final List<String> TOO_LARGE = List.of("production-544.yaml");

    static Stream<Arguments> scenarioStrategyPairs() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Path file : shippedScenarios()) {
            for (String strategy : STRATEGIES) {
                out.add(Arguments.of(file, strategy));
            }
        }
        return out.stream();
    }

    static List<Path> shippedScenarios() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Path.of("scenarios"), Path.of("scenarios", "calibration"), Path.of("scenarios", "models"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".yaml") && !TOO_LARGE.contains(p.getFileName().toString()))
                        .sorted().forEach(files::add);
            }
        }
        assertTrue(files.size() >= 5, "shipped scenarios not found from " + Path.of("").toAbsolutePath());
        return files;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("scenarioStrategyPairs")
    void replayOutputsAreUnchanged(Path file, String strategy, @TempDir Path tmp) throws IOException {
        Scenario s = ScenarioLoader.load(file).withStrategy(Strategy.byName(strategy, "test"));
        ReplayRun.write(s, ReplayOptions.DEFAULT.withCheck(true), tmp, null);
        String stem = file.getParent().getFileName() + "-" + file.getFileName().toString().replaceFirst("\\.yaml$", "");
        Path golden = GOLDEN.resolve("replay").resolve(stem).resolve(strategy);
        compare(golden.resolve("summary.json"), Files.readString(tmp.resolve("summary.json"), StandardCharsets.UTF_8));
        compare(golden.resolve("requests-head.csv"), head(tmp.resolve("requests.csv"), REQUEST_LINES));
    }

    /**
     * The injected-fault scenarios under their own strategy only: what they pin is the fault (who is
     * aborted, retried or left unfinished, and when), which the strategy under test does not change.
     */
    static List<Path> faultScenarios() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("scenarios", "faults"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faultScenarios")
    void faultScenarioOutputsAreUnchanged(Path file, @TempDir Path tmp) throws IOException {
        Scenario s = ScenarioLoader.load(file);
        ReplayRun.write(s, ReplayOptions.DEFAULT.withCheck(true), tmp, null);
        String stem = file.getParent().getFileName() + "-" + file.getFileName().toString().replaceFirst("\\.yaml$", "");
        Path golden = GOLDEN.resolve("replay").resolve(stem).resolve(s.strategy().yamlName());
        compare(golden.resolve("summary.json"), Files.readString(tmp.resolve("summary.json"), StandardCharsets.UTF_8));
        compare(golden.resolve("requests-head.csv"), head(tmp.resolve("requests.csv"), REQUEST_LINES));
    }

    @Test
    void sweepCsvIsUnchanged(@TempDir Path tmp) throws Exception {
        SweepSpec spec = SweepLoader.load(GOLDEN.resolve("sweep").resolve("small-sweep.yaml"));
        try (SweepReport report = new SweepReport(spec, tmp)) {
            SweepRunner.run(spec, 2, true, new SweepRunner.Listener() {
                @Override
                public void row(SweepRow row) {
                    report.row(row);
                }

                @Override
                public void filtered(Combination c) {
                    report.filtered(c);
                }
            });
            report.finish();
        }
        String csv = Files.readString(tmp.resolve("sweep.csv"), StandardCharsets.UTF_8);
        try (CSVParser rows = CSVParser.parse(csv, CSVFormat.DEFAULT)) {
            List<CSVRecord> all = rows.getRecords();
            for (CSVRecord r : all) {
                assertEquals(all.get(0).size(), r.size(), "cells of sweep.csv line " + (r.getRecordNumber()));
            }
        }
        compare(GOLDEN.resolve("sweep").resolve("sweep.csv"), csv);
    }

    static String head(Path file, int lines) throws IOException {
        try (Stream<String> s = Files.lines(file, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder();
            s.limit(lines).forEach(l -> sb.append(l).append('\n'));
            return sb.toString();
        }
    }

    /** Byte comparison; on a difference, the first differing line of each side. */
    static void compare(Path golden, String actual) throws IOException {
        if (UPDATE) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(golden)) {
            fail(golden + " is missing; generate it with ./mvnw -B verify -Dgolden.update=true and commit it");
        }
        String expected = Files.readString(golden, StandardCharsets.UTF_8);
        if (expected.equals(actual)) {
            return;
        }
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        int n = Math.min(e.length, a.length);
        for (int i = 0; i < n; i++) {
            if (!e[i].equals(a[i])) {
                fail(golden + ": first difference at line " + (i + 1) + "\n  expected: " + e[i] + "\n  actual:   " + a[i]);
            }
        }
        fail(golden + ": " + e.length + " lines expected, " + a.length + " produced (the shorter is a prefix of the longer)");
    }
}

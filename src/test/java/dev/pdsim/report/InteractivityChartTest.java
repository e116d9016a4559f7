package dev.pdsim.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.experiment.SweepAxis;
import dev.pdsim.experiment.SweepOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractivityChartTest {
    private static SweepAxis axis(String name, String... values) {
        List<Map<String, String>> v = new ArrayList<>();
        for (String s : values) {
            v.add(Map.of(name, s));
        }
        return new SweepAxis(name, name, v);
    }

    private static SweepReport.Point row(int index, String group, double tokensPerUser, double outputPerGpu) {
        return row(index, group, SweepOutcome.COMPLETED, tokensPerUser, outputPerGpu);
    }

    private static SweepReport.Point row(int index, String group, SweepOutcome outcome, double tokensPerUser,
                                         double outputPerGpu) {
        return new SweepReport.Point(index, List.of(group), 1, outcome, "", 64, 2 * outputPerGpu, 1000, 2000,
                1000 / tokensPerUser, Double.NaN, outputPerGpu, tokensPerUser);
    }

    private static List<Integer> indices(List<SweepReport.Point> points) {
        return points.stream().map(SweepReport.Point::index).toList();
    }

    /** A completed row with the given labels, drawn when {@code drawn}. */
    private static SweepReport.Point labelled(boolean drawn, String... labels) {
        return new SweepReport.Point(0, List.of(labels), 1, drawn ? SweepOutcome.COMPLETED : SweepOutcome.CRASHED, "", 64,
                100, 1000, 2000, 50, Double.NaN, 40, 20);
    }

    @Test
    void theServingAxisGroupsFirstThenStrategyThenTheFirstAxisOfTwoToSixValues() {
        SweepAxis rate = axis("workload.rate", "1", "2", "4", "8", "16", "32", "64");
        SweepAxis tbo = axis("prefill.enable_two_batch_overlap", "true", "false");
        SweepAxis dp = axis("decode.dp_size", "8", "16", "48");
        SweepAxis strategy = axis("strategy", "buggy", "patched");
        SweepAxis serving = axis("serving", "disaggregated", "colocated");
        List<SweepReport.Point> none = List.of();
        assertEquals(3, InteractivityChart.groupingAxis(List.of(rate, tbo, strategy, serving), none));
        assertEquals(2, InteractivityChart.groupingAxis(List.of(rate, tbo, strategy, axis("serving", "colocated")), none),
                "one serving value compares nothing");
        assertEquals(1, InteractivityChart.groupingAxis(List.of(rate, tbo, dp), none), "7 rates are too many series");
        assertEquals(-1, InteractivityChart.groupingAxis(List.of(rate, axis("strategy", "patched")), none));
    }

    @Test
    void anAxisWithOnlyOneValueOnTheChartGivesWayToOneWithTwo() {
        List<SweepAxis> axes = List.of(axis("prefill.enable_two_batch_overlap", "true", "false"),
                axis("decode.dp_size", "16", "48"));
        List<SweepReport.Point> tboCrashes = List.of(labelled(false, "true", "16"), labelled(false, "true", "48"),
                labelled(true, "false", "16"), labelled(true, "false", "48"));
        assertEquals(1, InteractivityChart.groupingAxis(axes, tboCrashes));
        List<SweepReport.Point> oneDrawn = List.of(labelled(false, "true", "16"), labelled(true, "false", "48"),
                labelled(true, "false", "48"));
        assertEquals(0, InteractivityChart.groupingAxis(axes, oneDrawn), "no axis compares: the first of few values");
    }

    @Test
    void theFrontierKeepsTheRowsNoOtherBeatsOnBothFiguresByRisingSpeedPerUser() {
        List<SweepReport.Point> rows = List.of(
                row(0, "a", 10, 100),
                row(1, "a", 20, 80),
                row(2, "a", 15, 70),  // beaten by 1: slower for its user and less per GPU
                row(3, "a", 30, 20),
                row(4, "a", 5, 90),   // beaten by 0
                row(5, "a", 20, 80),  // the same figures as 1: the lower index stands for both
                row(6, "a", 30, 10),  // as fast as 3, less per GPU
                row(7, "a", 12, 100)); // as much per GPU as 0, faster: 0 drops out
        assertEquals(List.of(7, 1, 3), indices(InteractivityChart.frontier(rows)));
    }

    @Test
    void eachValueOfTheGroupingAxisHasItsOwnFrontierAndRowsWithoutTpotAreLeftOut() {
        List<SweepAxis> axes = List.of(axis("serving", "disaggregated", "colocated"));
        List<SweepReport.Point> rows = List.of(
                row(0, "disaggregated", 10, 100),
                row(1, "colocated", 10, 120),
                row(2, "disaggregated", 20, 90),
                row(3, "colocated", 20, 60),
                row(4, "colocated", 30, 10),
                row(5, "colocated", 25, 5),   // beaten by 4 of its own series only
                row(6, "disaggregated", 8, 50),
                row(7, "disaggregated", SweepOutcome.CRASHED, 50, 500),
                row(8, "colocated", Double.NaN, 900));
        List<InteractivityChart.Series> series = InteractivityChart.series(rows, axes);
        assertEquals(List.of("disaggregated", "colocated"), series.stream().map(InteractivityChart.Series::name).toList());
        assertEquals(List.of(0, 2, 6), indices(series.get(0).plotted()));
        assertEquals(List.of(0, 2), indices(series.get(0).frontier()));
        assertEquals(List.of(1, 3, 4, 5), indices(series.get(1).plotted()));
        assertEquals(List.of(1, 3, 4), indices(series.get(1).frontier()));
        assertEquals("disaggregated: 2 frontier rows of 3 drawn, 1 not drawn (crashed, hung, invalid or no TPOT)", series.get(0).legend());
        assertEquals("colocated: 3 frontier rows of 4 drawn, 1 not drawn (crashed, hung, invalid or no TPOT)", series.get(1).legend());
    }

    @Test
    void theChartIsTheSameBytesForTheSameRows(@TempDir Path tmp) throws Exception {
        List<SweepAxis> axes = List.of(axis("strategy", "buggy", "patched"));
        List<SweepReport.Point> rows = List.of(row(0, "buggy", 10, 100), row(1, "patched", 20, 90),
                row(2, "patched", 12, 40), row(3, "buggy", 30, 30));
        for (String run : List.of("a", "b")) {
            InteractivityChart.write(Files.createDirectory(tmp.resolve(run)), rows, axes);
        }
        byte[] svg = Files.readAllBytes(tmp.resolve("a").resolve(InteractivityChart.FILE + ".svg"));
        assertArrayEquals(svg, Files.readAllBytes(tmp.resolve("b").resolve(InteractivityChart.FILE + ".svg")));
        assertTrue(svg.length > 10_000, "an SVG with the chart drawn: " + svg.length + " bytes");
        assertTrue(Files.size(tmp.resolve("a").resolve(InteractivityChart.FILE + ".png")) > 0);
    }
}

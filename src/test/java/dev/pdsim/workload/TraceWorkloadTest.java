package dev.pdsim.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pdsim.engine.RandomStreams;
import dev.pdsim.engine.Simulator;
import dev.pdsim.scenario.LengthSpec;
import dev.pdsim.scenario.PrefixSpec;
import dev.pdsim.scenario.TraceFormat;
import dev.pdsim.scenario.TraceRequest;
import dev.pdsim.scenario.TraceSpec;
import dev.pdsim.scenario.WorkloadSpec;
import dev.pdsim.scenario.WorkloadType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A trace's arrivals under speedup, looping and limits, and the prompts it hands over. */
class TraceWorkloadTest {
    private record Arrival(long atNs, Prompt prompt, int outputLen) {
    }

    private static final List<TraceRequest> THREE = List.of(
            new TraceRequest(0, 1100, 5, new long[] {1, 2, 3}, -1),
            new TraceRequest(1_000_000_000L, 600, 6, new long[0], 4),
            new TraceRequest(3_000_000_000L, 50, 7, new long[0], -1));

    private static List<Arrival> replay(double speedup, boolean loop, long maxRequests, long startNs, long endNs) {
        TraceSpec trace = new TraceSpec("t.csv", TraceFormat.CSV, speedup, loop, THREE);
        WorkloadSpec spec = new WorkloadSpec(WorkloadType.TRACE, 1, 1, new LengthSpec.Fixed(1), new LengthSpec.Fixed(1),
                maxRequests, new PrefixSpec(0, 520), trace);
        Simulator sim = new Simulator();
        List<Arrival> out = new ArrayList<>();
        Workload.of(spec, new RandomStreams(1), 0).start(sim, startNs, endNs,
                (prompt, outputLen) -> out.add(new Arrival(sim.now(), prompt, outputLen)));
        sim.run();
        return out;
    }

    @Test
    void arrivalsAreOffsetsFromTheStartDividedBySpeedup() {
        List<Arrival> a = replay(2.0, false, 0, 10, Long.MAX_VALUE);
        assertEquals(List.of(10L, 500_000_010L, 1_500_000_010L), a.stream().map(Arrival::atNs).toList());
        assertEquals(List.of(5, 6, 7), a.stream().map(Arrival::outputLen).toList());
    }

    @Test
    void loopingRepeatsTheTraceOneSpanAndOneMeanGapLaterUntilTheEnd() {
        // span 3 s, mean gap 1.5 s: the second round starts at 4.5 s.
        List<Arrival> a = replay(1.0, true, 0, 0, 8_000_000_000L);
        assertEquals(List.of(0L, 1_000_000_000L, 3_000_000_000L, 4_500_000_000L, 5_500_000_000L, 7_500_000_000L),
                a.stream().map(Arrival::atNs).toList());
        assertArrayEquals(a.get(0).prompt().blockIds(), a.get(3).prompt().blockIds());
        assertEquals(4, replay(1.0, true, 4, 0, Long.MAX_VALUE).size());
    }

    @Test
    void promptsCarryTheFilesBlocksOrTheirGroupsPrefix() {
        List<Arrival> a = replay(1.0, false, 0, 0, Long.MAX_VALUE);
        assertArrayEquals(new int[] {512, 512, 76}, a.get(0).prompt().blockTokens());
        // Group 4 of a 520-token prefix: two blocks per prefix, ids 8 and 9, the second 8 tokens long.
        assertArrayEquals(new long[] {8, 9}, a.get(1).prompt().blockIds());
        assertArrayEquals(new int[] {512, 8}, a.get(1).prompt().blockTokens());
        assertEquals(0, a.get(2).prompt().blockIds().length);
    }

    @Test
    void aSyntheticPromptShorterThanItsPrefixKeepsOneTokenOfItsOwn() {
        Prompt p = Prompt.withPrefix(513, 0, 1024);
        assertArrayEquals(new int[] {512}, p.blockTokens());
        Prompt q = Prompt.withPrefix(600, 0, 1024);
        assertArrayEquals(new int[] {512, 87}, q.blockTokens());
    }
}

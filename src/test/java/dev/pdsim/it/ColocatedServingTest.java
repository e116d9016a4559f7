package dev.pdsim.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.serving.Outcome;
import dev.pdsim.serving.ReplayOptions;
import dev.pdsim.serving.RunResult;
import dev.pdsim.serving.ServingSimulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A colocated server's scheduler end to end: a rank prefills before it decodes, so its running
 * requests stall while a long prompt is prefilled in chunks; mixed chunks let them decode inside
 * the extend batches; under DP attention one rank's prefill holds up the ranks that decode.
 */
class ColocatedServingTest {
    /** A short request decoding for long (A), and a long prompt (B) arriving while A decodes. */
    private static final String A = "0.000,100,400,\n";
    private static final String B = "2.000,30000,2,\n";
    private static final String SINGLE_NODE = "--tp 8 --chunked-prefill-size 8192";
    private static final String DP_ATTENTION = "--nnodes 2 --tp 16 --dp 2 --enable-dp-attention --chunked-prefill-size 16384";

    @TempDir
    Path dir;

    private List<RequestRecord> run(String launchFlags, String trace) throws IOException {
        Files.writeString(dir.resolve("trace.csv"), "arrival_s,input_len,output_len,prefix_group\n" + trace);
        Path scenario = dir.resolve("colocated.yaml");
        Files.writeString(scenario, """
                name: colocated-test
                model: deepseek-r1
                hardware: h200
                duration_s: 10
                workload: {type: trace, file: trace.csv, format: csv}
                instances:
                  - launch: python3 -m sglang.launch_server --model-path /m --disable-radix-cache %s
                """.formatted(launchFlags));
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = ServingSimulation.run(ScenarioLoader.load(scenario), ReplayOptions.DEFAULT.withCheck(true),
                RequestSink.into(records), null);
        assertEquals(Outcome.COMPLETED, r.outcome());
        // In arrival order (records come as requests end).
        List<RequestRecord> users = records.stream().filter(x -> x.kind().equals("user"))
                .sorted(Comparator.comparingLong(RequestRecord::arrivalNs)).toList();
        users.forEach(u -> assertEquals("finished", u.state(), u.toString()));
        return users;
    }

    private static long prefillNs(RequestRecord r) {
        return r.prefillEndNs() - r.prefillStartNs();
    }

    @Test
    void colocatedDecodeStallsDuringPrefill() throws IOException {
        RequestRecord alone = run(SINGLE_NODE, A).get(0);
        List<RequestRecord> both = run(SINGLE_NODE, A + B);
        RequestRecord a = both.get(0);
        RequestRecord b = both.get(1);
        assertEquals("colocated-0", a.prefillInstance());
        assertEquals("colocated-0", a.decodeInstance());
        assertTrue(b.prefillStartNs() < a.finishNs() && b.prefillEndNs() < a.finishNs(), "B is prefilled while A decodes");
        long delay = a.finishNs() - alone.finishNs();
        // A gets no token during B's four chunks; afterwards they decode together for one step.
        assertTrue(delay >= prefillNs(b), "A delayed " + delay + " ns, B's prefill took " + prefillNs(b));
        assertTrue(delay < prefillNs(b) * 1.2, "A delayed " + delay + " ns, B's prefill took " + prefillNs(b));
        assertTrue(prefillNs(b) > 100_000_000L, "a 30k prompt takes long to prefill: " + prefillNs(b));
    }

    @Test
    void mixedChunksKeepDecodingDuringPrefill() throws IOException {
        RequestRecord alone = run(SINGLE_NODE, A).get(0);
        long stalled = run(SINGLE_NODE, A + B).get(0).finishNs() - alone.finishNs();
        List<RequestRecord> mixed = run(SINGLE_NODE + " --enable-mixed-chunk", A + B);
        long delay = mixed.get(0).finishNs() - alone.finishNs();
        // Each chunk iteration gives A a token, so A loses about a decode step per chunk less.
        assertTrue(delay < stalled, "mixed " + delay + " ns, not mixed " + stalled + " ns");
        assertTrue(delay < prefillNs(mixed.get(1)), "A still decodes during B's prefill");
    }

    @Test
    void theRouterDealsRequestsInTurnToTheColocatedServerAndTheDecodeServer() {
        Scenario mixed = ScenarioLoader.load(Path.of("scenarios", "colocated-mixed-pd.yaml")).withDuration(30);
        List<RequestRecord> records = new ArrayList<>();
        RunResult r = ServingSimulation.run(mixed, ReplayOptions.DEFAULT.withCheck(true), RequestSink.into(records), null);
        assertEquals(Outcome.COMPLETED, r.outcome());
        List<RequestRecord> users = records.stream().filter(x -> x.kind().equals("user"))
                .sorted(Comparator.comparingLong(RequestRecord::id)).toList();
        assertTrue(users.size() > 20, "submitted " + users.size());
        for (int i = 0; i < users.size(); i++) {
            RequestRecord u = users.get(i);
            // Round-robin over [colocated-0, decode-0]: every other request is served colocated.
            assertEquals(i % 2 == 0 ? "colocated-0" : "decode-0", u.decodeInstance(), u.toString());
            assertEquals(i % 2 == 0 ? "colocated-0" : "prefill-0", u.prefillInstance(), u.toString());
        }
    }

    @Test
    void underDpAttentionOneRanksPrefillHoldsUpAnotherRanksDecode() throws IOException {
        RequestRecord alone = run(DP_ATTENTION, A).get(0);
        List<RequestRecord> both = run(DP_ATTENTION, A + B);
        RequestRecord a = both.get(0);
        RequestRecord b = both.get(1);
        assertTrue(a.decodeDpRank() != b.prefillDpRank(), "the DP controller deals requests round-robin");
        long delay = a.finishNs() - alone.finishNs();
        // Rank 0 decodes A in each of the four iterations in which rank 1 extends a chunk of B
        // (16384 / dp 2 = 8192 tokens a chunk), so A saves four of its own steps, but each of those
        // iterations lasts as long as B's chunk.
        long step = (alone.finishNs() - alone.firstTokenNs()) / (alone.outputLen() - 1);
        assertTrue(delay > prefillNs(b) - 4 * step && delay < prefillNs(b),
                "A delayed " + delay + " ns on its own rank, B's prefill took " + prefillNs(b) + ", A's step " + step);
    }
}

package dev.pdsim.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.metrics.RequestRecord;
import dev.pdsim.metrics.RequestSink;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.Strategy;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spec section 5: each disaggregated server's warmup sends {@code dp_size} requests with bootstrap rooms
 * {@code room_i = i * (2**63 // dp_size) + (i % tp_size)}, routed to DP rank {@code room % dp_size}.
 */
class WarmupRoomsTest {
    private static final ReplayOptions CHECKED = ReplayOptions.DEFAULT.withCheck(true);

    /** Python: [(i * (2**63 // 48) + i % 48) % 48 for i in range(48)]. */
    private static final List<Integer> DP48_TP48 = List.of(0, 11, 22, 33, 44, 7, 18, 29, 40, 3, 14, 25, 36, 47, 10, 21,
            32, 43, 6, 17, 28, 39, 2, 13, 24, 35, 46, 9, 20, 31, 42, 5, 16, 27, 38, 1, 12, 23, 34, 45, 8, 19, 30, 41, 4,
            15, 26, 37);

    private static String reportedText;

    @BeforeAll
    static void read() throws IOException {
        reportedText = Files.readString(Path.of("scenarios/reported-xpyd.yaml"));
    }

    /** The warmup rooms in BigInteger arithmetic, independent of the simulator's long arithmetic. */
    static long room(int i, int dp, int tp) {
        BigInteger twoTo63 = BigInteger.ONE.shiftLeft(63);
        return BigInteger.valueOf(i).multiply(twoTo63.divide(BigInteger.valueOf(dp))).add(BigInteger.valueOf(i % tp))
                .longValueExact();
    }

    static int rankOf(long room, int dp) {
        return (int) Long.remainderUnsigned(room, dp);
    }

    static List<RequestRecord> run(Scenario s) {
        List<RequestRecord> records = new ArrayList<>();
        RequestSink sink = RequestSink.into(records);
        // TBO off: a TBO prefill without DeepEP dies in its warmup at this tag (srt/models/deepseek_v2.py:322-336),
        // and what is under test is where the warmup requests go.
        ServingSimulation.run(s.withStrategy(Strategy.TBO_OFF).withDuration(5), CHECKED, sink, null);
        return records;
    }

    static List<RequestRecord> warmups(List<RequestRecord> records, String instance, boolean prefill) {
        return records.stream().filter(r -> r.kind().equals("warmup"))
                .filter(r -> (prefill ? r.prefillInstance() : r.decodeInstance()).equals(instance))
                .sorted(Comparator.comparingLong(RequestRecord::id)).toList();
    }

    private static void assertRooms(List<RequestRecord> warm, int dp, int tp, boolean prefill) {
        assertEquals(dp, warm.size(), "one warmup request per DP rank");
        for (int i = 0; i < dp; i++) {
            RequestRecord r = warm.get(i);
            assertEquals(room(i, dp, tp), r.bootstrapRoom(), "room of warmup request " + i);
            assertEquals(Long.divideUnsigned(Long.MIN_VALUE, dp) * i + i % tp, r.bootstrapRoom());
            int rank = prefill ? r.prefillDpRank() : r.decodeDpRank();
            assertEquals(rankOf(r.bootstrapRoom(), dp), rank, "DP rank of warmup request " + i);
            assertEquals("finished", r.state(), "warmup request " + i + ": " + r.reason());
            assertEquals(4, r.inputLen());
            assertEquals(8, r.outputLen());
        }
    }

    /** The simulator's ranks of one server's warmup requests, after checking each room against the reference. */
    private static List<Integer> productionRanks(int dp, int tp) {
        WarmupRooms rooms = new WarmupRooms(dp, tp);
        assertEquals(dp, rooms.count(), "one warmup request per DP rank");
        for (int i = 0; i < dp; i++) {
            assertEquals(room(i, dp, tp), rooms.room(i), "room " + i + " of dp " + dp + " / tp " + tp);
        }
        return IntStream.range(0, dp).mapToObj(i -> WarmupRooms.dpRankOf(rooms.room(i), dp)).toList();
    }

    @Test
    void formulaGivesTheExpectedRanks() {
        // the independent reference against Python's values...
        assertEquals(IntStream.range(0, 16).boxed().toList(),
                IntStream.range(0, 16).mapToObj(i -> rankOf(room(i, 16, 16), 16)).toList());
        assertEquals(DP48_TP48, IntStream.range(0, 48).mapToObj(i -> rankOf(room(i, 48, 48), 48)).toList());
        assertEquals(IntStream.range(0, 8).boxed().toList(),
                IntStream.range(0, 8).mapToObj(i -> rankOf(room(i, 8, 16), 8)).toList());
        assertEquals(1L << 59, Long.divideUnsigned(Long.MIN_VALUE, 16));
        assertEquals(room(47, 48, 48), Long.divideUnsigned(Long.MIN_VALUE, 48) * 47 + 47);
        // ...and the simulator's rooms and ranks against the reference
        assertEquals(IntStream.range(0, 16).boxed().toList(), productionRanks(16, 16));
        assertEquals(DP48_TP48, productionRanks(48, 48));
        assertEquals(IntStream.range(0, 8).boxed().toList(), productionRanks(8, 16));
        assertEquals((1L << 59) + 1, new WarmupRooms(16, 16).room(1));
    }

    @Test
    void reportedLaunchWarmsEachPrefillRankAndTheDecodeRanksByTheFormula() {
        List<RequestRecord> records = run(ScenarioLoader.load(Path.of("scenarios/reported-xpyd.yaml")));

        List<RequestRecord> prefill = warmups(records, "prefill-0", true);
        assertRooms(prefill, 16, 16, true);
        assertEquals(IntStream.range(0, 16).boxed().toList(), prefill.stream().map(RequestRecord::prefillDpRank).toList(),
                "dp 16 / tp 16: one warmup request on each rank");
        assertTrue(prefill.stream().allMatch(r -> r.decodeInstance().isEmpty()), "fake bootstrap: no decode side");

        List<RequestRecord> decode = warmups(records, "decode-0", false);
        assertRooms(decode, 48, 48, false);
        assertEquals(DP48_TP48, decode.stream().map(RequestRecord::decodeDpRank).toList());

        // user requests follow the same routing rule with their random 63-bit rooms
        List<RequestRecord> users = records.stream().filter(r -> r.kind().equals("user")).toList();
        assertTrue(!users.isEmpty(), "5 s of traffic at 4 req/s");
        for (RequestRecord r : users) {
            assertTrue(r.bootstrapRoom() >= 0);
            assertEquals(rankOf(r.bootstrapRoom(), 16), r.prefillDpRank());
            assertEquals(rankOf(r.bootstrapRoom(), 48), r.decodeDpRank());
        }
    }

    @Test
    void prefillWithDp48Tp48() {
        String text = reportedText.replace("--nnodes 2 \\", "--nnodes 6 \\").replace("--tp-size 16 \\", "--tp-size 48 \\")
                .replace("--dp-size 16 \\", "--dp-size 48 \\")
                // 48 ranks build DeepSeek's MoE layers only with whole experts (ServerArgsResolverTest)
                .replace("--ep-num-redundant-experts 16", "--ep-num-redundant-experts 32 --enable-deepep-moe --deepep-mode normal");
        assertTrue(text.contains("--tp-size 48 \\\n      --dp-size 48 \\\n      --enable-dp-attention \\\n      --page-size 1 \\\n      --host 0.0.0.0 \\\n      --trust-remote-code \\\n      --moe"),
                "the prefill launch was rewritten");
        List<RequestRecord> records = run(ScenarioLoader.parse("dp48.yaml", text));
        List<RequestRecord> prefill = warmups(records, "prefill-0", true);
        assertRooms(prefill, 48, 48, true);
        assertEquals(DP48_TP48, prefill.stream().map(RequestRecord::prefillDpRank).toList());
    }

    @Test
    void prefillWithDp8Tp16OnTwoNodes() {
        String text = reportedText.replace("--dp-size 16 \\", "--dp-size 8 \\");
        assertTrue(text.contains("--dp-size 8"));
        List<RequestRecord> records = run(ScenarioLoader.parse("dp8.yaml", text));
        List<RequestRecord> prefill = warmups(records, "prefill-0", true);
        assertRooms(prefill, 8, 16, true);
        assertEquals(IntStream.range(0, 8).boxed().toList(), prefill.stream().map(RequestRecord::prefillDpRank).toList());
    }
}

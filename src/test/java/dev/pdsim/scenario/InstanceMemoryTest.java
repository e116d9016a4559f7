package dev.pdsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What SGLang sets up at start-up from the arguments, and the start-ups it refuses. */
class InstanceMemoryTest {
    private static final SourceLocation HERE = new SourceLocation("t.yaml", 1, 1);

    /** A 2-node decode, tp 16, dp 16 with DP attention, plus {@code more} ("flag=value" or a switch). */
    private static ResolvedServerArgs decode(Problems problems, String... more) {
        List<String> all = new ArrayList<>(List.of("disaggregation-mode=decode", "nnodes=2", "tp-size=16", "dp-size=16",
                "enable-dp-attention", "mem-fraction-static=0.85"));
        all.addAll(List.of(more));
        List<FlagValue> written = all.stream().map(f -> {
            int eq = f.indexOf('=');
            return new FlagValue(ServerFlags.find(eq < 0 ? f : f.substring(0, eq)).orElseThrow(),
                    eq < 0 ? "true" : f.substring(eq + 1), HERE, true);
        }).toList();
        return ServerArgsResolver.resolve(written, List.of(), ModelSpec.DEEPSEEK_V3, HardwareProfile.H100, 8, HERE,
                problems);
    }

    private static String refusal(String... more) {
        Problems problems = new Problems();
        decode(problems, more);
        assertEquals(1, problems.list().size(), problems.list().toString());
        return problems.list().get(0).message();
    }

    @Test
    void aDecodeThatStartsHasNoRefusal() {
        Problems problems = new Problems();
        InstanceMemory m = decode(problems).memory();
        assertTrue(problems.isEmpty(), problems.list().toString());
        assertNull(m.refusal());
        assertTrue(m.kvPool().tokens() > 100_000);
    }

    @Test
    void fp8KvCacheHoldsTwiceTheTokens() {
        // fp8_e4m3 / fp8_e5m2 are one byte per value (srt/model_executor/model_runner.py:861-876)
        InstanceMemory bf16 = decode(new Problems()).memory();
        InstanceMemory fp8 = decode(new Problems(), "kv-cache-dtype=fp8_e4m3").memory();
        assertEquals(bf16.kvPool().profiledTokens() * 2, fp8.kvPool().profiledTokens(), 2);
    }

    @Test
    void maxRunningRequestsPerDpRankIsTheFlagOverDpSizeCappedBySlots() {
        // srt/managers/tp_worker.py:120-129; the request pool is the undivided flag (model_runner.py:292-296)
        InstanceMemory m = decode(new Problems(), "max-running-requests=8192").memory();
        assertEquals(8192, m.requestSlots());
        assertEquals(512, m.maxRunningPerRank());
        InstanceMemory unset = decode(new Problems()).memory();
        assertEquals(Math.min(unset.kvPool().tokens() / 2, unset.requestSlots()), unset.maxRunningPerRank());
        assertEquals(2048, unset.requestSlots(), "512 per 163,840-token context of a ~600K pool is below 2048");
    }

    @Test
    void fewerRunningRequestsThanDpRanksIsRefused() {
        // assert max_running_requests > 0 (srt/managers/tp_worker.py:129)
        assertTrue(refusal("max-running-requests=8").contains("max_running_request is zero"));
    }

    @Test
    void aContextTooShortForAPromptIsRefused() {
        // max_req_input_len = min(context_len - 1, pool - 1) - 5 must be > 0 (srt/managers/tp_worker.py:130-137)
        assertTrue(refusal("context-length=6").contains("Memory pool size is too small"));
    }

    @Test
    void captureSizesFollowTheRequestPoolAndTwoBatchOverlap() {
        // srt/model_executor/cuda_graph_runner.py:165-181 with req_to_token_pool.size = --max-running-requests
        InstanceMemory m = decode(new Problems(), "max-running-requests=100").memory();
        assertEquals(100, m.captureBatchSizes().get(m.captureBatchSizes().size() - 1));
        assertTrue(refusal("enable-two-batch-overlap", "cuda-graph-max-bs=1").contains("SGLang fails at start-up"));
    }

    @Test
    void pdsimsFloorSaysSglangItselfWouldStart() {
        String r = refusal("max-total-tokens=512");
        assertTrue(r.contains("SGLang itself would start") && r.contains("512 KV-cache tokens"), r);
    }
}

package dev.pdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code explain} shows, per instance, the memory SGLang sets up at start-up. */
class ExplainMemoryTest {
    @Test
    void everyInstanceShowsWeightsByPartKvPoolRequestLimitsAndCaptureSizes() {
        CliTest.Run r = CliTest.run("explain", "scenarios/reported-xpyd.yaml");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.stream().filter(l -> l.startsWith("  memory of one GPU (h100: 81559 MiB")).count());
        for (String part : List.of("routed experts", "shared expert", "attention q_a/kv_a projections",
                "attention q_b/kv_b/o projections", "dense MLP", "embedding", "LM head")) {
            assertEquals(2, lines.stream().filter(l -> l.trim().startsWith(part)).count(), part);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("embedding") && l.contains("replicated (DP attention)")));
        // the prefill is capped by --max-total-tokens 131072; the decode is not
        assertTrue(lines.stream().anyMatch(l -> l.contains("KV pool: 131,072 tokens per rank")
                && l.contains("--max-total-tokens 131072 caps it") && l.contains("kv_cache_dtype auto = BF16")));
        // 8192 // dp 16 and 8192 // dp 48 (srt/managers/tp_worker.py:120-129)
        assertTrue(lines.stream().anyMatch(l -> l.contains("max running requests per DP rank: 512 (8192 // dp_size 16")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("max running requests per DP rank: 170 (8192 // dp_size 48")));
        // prefill servers turn CUDA graphs off (srt/server_args.py:540); the decode captures the default list
        assertTrue(lines.stream().anyMatch(l -> l.contains("CUDA-graph batch sizes: none (CUDA graphs off)")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("CUDA-graph batch sizes (23, captured largest first): [1, 2, 4, 8,")
                && l.endsWith("152, 160]")));
        assertTrue(r.out().contains("SGLANG_NUM_RESERVED_DECODE_TOKENS=512 (read nowhere in SGLang 0.4.8.post1"));
    }
}

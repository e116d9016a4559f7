package dev.pdsim.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.model.BatchShape;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.scenario.InstanceMemory;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.ServerArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The KV bytes MLA decode attention moves per layer, by KV dtype and attention backend (SGLang 0.4.8.post1). */
class DecodeKvTrafficTest {
    /** (kv_lora_rank + qk_rope_head_dim) values of one token in one layer. */
    private static final int CELL = 512 + 64;
    private static final BatchShape DECODE = new BatchShape(ForwardKind.DECODE, 64, 48L * 64, 64, 64L * 4000, 1.0);

    /** The reported decode server with {@code flags} added to its launch line. */
    private static Scenario decodeWith(String flags) throws IOException {
        String text = Files.readString(Path.of("scenarios/reported-xpyd.yaml"))
                .replace("--node-rank 2 \\\n", "--node-rank 2 \\\n      " + flags + " \\\n");
        return ScenarioLoader.parse("decode.yaml", text);
    }

    private static InstanceTopology decode(Scenario s) {
        return InstanceTopology.deriveAll(s).stream().filter(t -> t.role() == Role.DECODE).findFirst().orElseThrow();
    }

    private static DecodeKvTraffic traffic(Scenario s) {
        ServerArgs a = decode(s).args();
        return DecodeKvTraffic.of(s.model(), a, () -> InstanceMemory.of(a, s.model(), s.hardware()).kvPool().tokens());
    }

    private static double attentionBytes(Scenario s) {
        return new RooflineCostModel(s.model(), s.hardware()).forInstance(decode(s))
                .stageCost(LayerStage.ATTN_CORE, true, DECODE).hbmBytes();
    }

    @Test
    void bf16CacheIsReadAtTwoBytesWhateverTheBackend() throws IOException {
        for (String backend : new String[] {"", "--attention-backend flashmla", "--attention-backend triton"}) {
            DecodeKvTraffic t = traffic(decodeWith(backend));
            assertEquals(2.0 * CELL, t.bytesPerCachedToken(), backend);
            assertEquals(0, t.conversionBytes(), backend);
        }
    }

    @Test
    void flashmlaReadsAnFp8CacheAtOneByteSoDecodeAttentionMovesHalfTheKvBytes() throws IOException {
        // srt/layers/attention/flashmla_backend.py:354-368: FP8 queries against the FP8 cache
        Scenario bf16 = decodeWith("--attention-backend flashmla");
        Scenario fp8 = decodeWith("--attention-backend flashmla --kv-cache-dtype fp8_e4m3");
        assertEquals(1.0 * CELL, traffic(fp8).bytesPerCachedToken());
        assertEquals(0, traffic(fp8).conversionBytes());
        // everything else in the stage (o_proj weights, activations) is unchanged
        assertEquals((double) DECODE.maxRankAttendPairs() * CELL, attentionBytes(bf16) - attentionBytes(fp8), 1.0);
    }

    @Test
    void fa3ConvertsTheWholeFp8BufferToBf16BeforeEachDecode() throws IOException {
        // srt/layers/attention/flashattention_backend.py:1059-1061: get_key_buffer(layer).to(q.dtype);
        // the buffer holds size + page_size tokens (srt/mem_cache/memory_pool.py:548-552)
        Scenario fp8 = decodeWith("--kv-cache-dtype fp8_e4m3");
        ServerArgs a = decode(fp8).args();
        assertEquals("fa3", a.decodeAttentionBackend(), "unset on Hopper: fa3 (srt/model_executor/model_runner.py:352-355)");
        long pool = InstanceMemory.of(a, fp8.model(), fp8.hardware()).kvPool().tokens();
        DecodeKvTraffic t = traffic(fp8);
        assertEquals(2.0 * CELL, t.bytesPerCachedToken());
        assertEquals((pool + 1) * CELL * 3.0, t.conversionBytes(), 1.0);
        assertTrue(attentionBytes(fp8) > attentionBytes(decodeWith("")), "FP8 KV on fa3 moves more bytes, not fewer");
    }

    @Test
    void fa3WithAnE5m2CacheRunsOnTritonWhichReadsItAtOneByte() throws IOException {
        // srt/model_executor/model_runner.py:392-399; Triton loads the cache in its kernel (triton_backend.py:718-721)
        Scenario e5m2 = decodeWith("--kv-cache-dtype fp8_e5m2");
        assertEquals("triton", decode(e5m2).args().decodeAttentionBackend());
        assertEquals(1.0 * CELL, traffic(e5m2).bytesPerCachedToken());
        assertEquals(0, traffic(e5m2).conversionBytes());
    }
}

package dev.pdsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.Problem;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per rule of {@code ServerArgs.__post_init__} and {@code check_server_args} that pdsim
 * mirrors, each naming the srt/FILE:LINE of SGLang 0.4.8.post1 it follows.
 */
class ServerArgsResolverTest {
    private static final SourceLocation HERE = new SourceLocation("t.yaml", 1, 1);
    private static final HardwareProfile H100 = HardwareProfile.H100;
    private static final HardwareProfile H200 = HardwareProfile.byName("h200").orElseThrow();
    private static final HardwareProfile H20 = HardwareProfile.byName("h20").orElseThrow();
    /** A 24 GiB card, for the tiers below 35 GiB (no shipped profile is that small). */
    private static final HardwareProfile SMALL = new HardwareProfile("small", "", 24 * 1024, H100.peak(), H100.achieved());
    private static final HardwareProfile B200 = new HardwareProfile("big", "", 183_359, H100.peak(), H100.achieved());

    private record Result(ResolvedServerArgs resolved, List<Problem> problems) {
        ServerArgs args() {
            return resolved.args();
        }

        boolean refused(String text) {
            return problems.stream().anyMatch(p -> p.message().contains(text));
        }
    }

    /** Resolves "flag=value" (or a bare switch) as a launch line would give them, with 8-GPU nodes. */
    private static Result resolve(HardwareProfile hw, List<EnvAssignment> env, String... flags) {
        List<FlagValue> written = new ArrayList<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            String name = eq < 0 ? f : f.substring(0, eq);
            written.add(new FlagValue(ServerFlags.find(name).orElseThrow(), eq < 0 ? "true" : f.substring(eq + 1), HERE,
                    true));
        }
        Problems problems = new Problems();
        ResolvedServerArgs r = ServerArgsResolver.resolve(written, env, ModelSpec.DEEPSEEK_V3, hw, 8, HERE, problems);
        return new Result(r, problems.list());
    }

    private static Result resolve(HardwareProfile hw, String... flags) {
        return resolve(hw, List.of(), flags);
    }

    /** A 2-node DP-attention prefill of the reported shape plus {@code more}. */
    private static Result prefill(HardwareProfile hw, String... more) {
        List<String> flags = new ArrayList<>(List.of("disaggregation-mode=prefill", "nnodes=2", "tp-size=16",
                "dp-size=16", "enable-dp-attention"));
        flags.addAll(List.of(more));
        return resolve(hw, flags.toArray(String[]::new));
    }

    @Test
    void chunkedPrefillSizeMustBeAMultipleOfThePageSizeAsPythonComputesIt() {
        // srt/server_args.py:329, on the raw value: in Python -1 % 64 == 63
        Result off = prefill(H100, "chunked-prefill-size=-1", "page-size=64");
        assertTrue(off.refused("chunked_prefill_size = -1 must be a multiple of page_size = 64"), off.problems().toString());
        assertTrue(off.refused("-1 % 64 = 63"), off.problems().toString());
        assertTrue(prefill(H100, "chunked-prefill-size=-1", "page-size=1").problems().isEmpty());
        assertTrue(prefill(H100, "chunked-prefill-size=1000", "page-size=64").refused("must be a multiple of page_size"));
    }

    @Test
    void chunkedPrefillSizeIsCheckedBeforeTheDivisionByDpSize() {
        // srt/server_args.py:329 runs before :390: 1024 is a multiple of 64, its per-rank 32 is not, and passes
        Result r = prefill(H100, "tp-size=32", "dp-size=32", "nnodes=4", "chunked-prefill-size=1024", "page-size=64",
                "moe-dense-tp-size=1", "enable-deepep-moe", "deepep-mode=normal");
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        assertEquals(32, r.args().chunkedPrefillSize());
    }

    @Test
    void attentionBackendForcesThePageSizeAfterTheChunkCheck() {
        // srt/server_args.py:345-355 come after the assert at :329: chunking off passes with page size 1, then 64
        Result flashmla = prefill(H100, "chunked-prefill-size=-1", "attention-backend=flashmla");
        assertTrue(flashmla.problems().isEmpty(), flashmla.problems().toString());
        assertEquals(64, flashmla.args().pageSize());
        assertEquals(128, prefill(H100, "attention-backend=cutlass_mla").args().pageSize());
        assertEquals(1, prefill(H100, "attention-backend=fa3").args().pageSize());
    }

    @Test
    void torchNativeAttentionTurnsCudaGraphsOff() {
        // srt/server_args.py:373-377
        assertTrue(resolve(H100, "disaggregation-mode=decode", "nnodes=2", "tp-size=16", "dp-size=16",
                "enable-dp-attention", "attention-backend=torch_native").args().disableCudaGraph());
        assertTrue(!resolve(H100, "disaggregation-mode=decode", "nnodes=2", "tp-size=16", "dp-size=16",
                "enable-dp-attention").args().disableCudaGraph());
    }

    @Test
    void mlaRunsOnlyOnItsAttentionBackends() {
        // srt/model_executor/model_runner.py:369-385: torch_native and intel_amx cannot run MLA on a GPU
        assertTrue(prefill(H100, "attention-backend=torch_native").refused("Invalid attention backend for MLA"));
        assertTrue(prefill(H100, "attention-backend=intel_amx").refused("Invalid attention backend for MLA"));
        assertTrue(prefill(H100, "attention-backend=triton").problems().isEmpty());
    }

    @Test
    void quantizationOtherThanTheCheckpointsIsAnotherCheckpointSimulatedAsTheFp8Release() {
        // srt/configs/model_config.py:403-417: DeepSeek's checkpoint says fp8; nothing is compatible with it
        assertTrue(prefill(H100).problems().isEmpty());
        Result fp8 = prefill(H100, "quantization=fp8");
        assertTrue(fp8.problems().isEmpty(), fp8.problems().toString());
        assertEquals(prefill(H100).resolved().memory().weightBytes(), fp8.resolved().memory().weightBytes());
        // Another method names another checkpoint (an INT8 or AWQ export), which SGLang starts: the
        // launch is accepted, and a warning says pdsim simulates the FP8 release in its place.
        for (String other : List.of("w8a8_int8", "w8a8_fp8", "moe_wna16", "awq", "modelopt_fp4")) {
            Result r = prefill(H100, "quantization=" + other);
            assertTrue(r.problems().isEmpty(), other + ": " + r.problems());
            assertTrue(r.resolved().warnings().stream().anyMatch(w -> w.startsWith("--quantization " + other
                    + ": not simulated: this launch serves a " + other + " checkpoint")), r.resolved().warnings().toString());
        }
        assertTrue(fp8.resolved().warnings().isEmpty(), fp8.resolved().warnings().toString());
        // srt/server_args.py:250-253
        assertTrue(prefill(H100, "enable-flashinfer-moe").refused("enable_flashinfer_moe needs --quantization modelopt_fp4"));
    }

    @Test
    void initExpertLocationIsTrivialAFileOrJsonTextWithAPlacement() {
        // srt/managers/expert_location.py:419-448: trivial; .pt/.json read as files; else json.loads
        assertTrue(!prefill(H100).args().balancedExpertPlacement());
        assertTrue(prefill(H100, "enable-eplb").args().balancedExpertPlacement());
        for (String given : List.of("/s/decode_in2000out100.json", "/s/stats.pt", "{\"logical_count\": [[1, 2]]}",
                "{\"physical_to_logical_map\": [[0, 1]]}")) {
            Result r = prefill(H100, "init-expert-location=" + given);
            assertTrue(r.problems().isEmpty(), given + ": " + r.problems());
            assertTrue(r.args().balancedExpertPlacement(), given);
        }
        assertTrue(prefill(H100, "init-expert-location=/s/placement").refused("nor a JSON object; SGLang parses it as "
                + "JSON text and fails at start-up"));
        assertTrue(prefill(H100, "init-expert-location={\"counts\": [1]}").refused("neither physical_to_logical_map "
                + "nor logical_count"));
    }

    @Test
    void tpSizeAboveTheRoutedExpertsIsRefusedWhenTheModelIsBuilt() {
        // srt/models/deepseek_v2.py:256-260
        Result r = resolve(H100, "disaggregation-mode=prefill", "nnodes=64", "tp-size=512", "dp-size=512",
                "enable-dp-attention");
        assertTrue(r.refused("more than the 256 routed experts"), r.problems().toString());
    }

    @Test
    void memFractionStaticDefaultsByGpuMemoryTierParallelSizeAndDpAttention() {
        // srt/server_args.py:272-316: reserved (9.5 + tp*pp/2) GiB below 90 GiB, (12 + tp*pp/2) GiB below 160 GiB,
        // 32 GiB above, (2.8 + tp*pp/10) GiB below 35 GiB; +4 GiB with DP attention; rounded to 3 decimals
        assertEquals(0.730, prefill(H100).args().memFractionStatic());
        assertEquals(0.829, prefill(H200).args().memFractionStatic());
        assertEquals(0.749, prefill(H20).args().memFractionStatic());
        assertEquals(0.831, resolve(H100, "disaggregation-mode=prefill", "tp-size=8").args().memFractionStatic());
        assertEquals(0.875, resolve(SMALL, "disaggregation-mode=prefill", "tp-size=2").args().memFractionStatic());
        assertEquals(0.799, resolve(B200, "disaggregation-mode=prefill", "tp-size=8", "dp-size=8",
                "enable-dp-attention").args().memFractionStatic());
        assertEquals(0.85, prefill(H100, "mem-fraction-static=0.85").args().memFractionStatic());
    }

    @Test
    void chunkedPrefillSizeDefaultsByGpuMemoryTier() {
        // srt/server_args.py:319-328
        assertEquals(2048, resolve(SMALL, "disaggregation-mode=prefill", "tp-size=2").args().chunkedPrefillSize());
        assertEquals(8192, resolve(H200, "disaggregation-mode=prefill", "tp-size=8").args().chunkedPrefillSize());
        assertEquals(16384, resolve(B200, "disaggregation-mode=prefill", "tp-size=8").args().chunkedPrefillSize());
    }

    @Test
    void cudaGraphMaxBsHasADefaultOnlyBelow35GiB() {
        // srt/server_args.py:332-338
        assertEquals(8, resolve(SMALL, "disaggregation-mode=decode", "tp-size=2").args().cudaGraphMaxBs());
        assertEquals(80, resolve(SMALL, "disaggregation-mode=decode", "tp-size=4").args().cudaGraphMaxBs());
        assertNull(resolve(H100, "disaggregation-mode=decode", "tp-size=8").args().cudaGraphMaxBs());
    }

    @Test
    void moeDenseTpSizeIsOneOrUnset() {
        // srt/server_args.py:340-343
        assertTrue(prefill(H100, "moe-dense-tp-size=2").refused("only 1 and None"));
        assertTrue(prefill(H100, "moe-dense-tp-size=1").problems().isEmpty());
    }

    @Test
    void dpAttentionNeedsDpAboveOneAndDividingTpThenSplitsTheChunk() {
        // srt/server_args.py:384-393; the chunk is floor-divided, so -1 (off) stays -1
        assertTrue(prefill(H100, "dp-size=1").refused("DP attention needs dp_size > 1"));
        assertTrue(prefill(H100, "dp-size=5").refused("not divisible by dp_size = 5"));
        Result r = prefill(H100, "chunked-prefill-size=-1");
        assertEquals(-1, r.args().chunkedPrefillSize());
        assertEquals(0.3, r.args().scheduleConservativeness(), 1e-12);
        assertEquals(512, prefill(H100).args().chunkedPrefillSize());
    }

    @Test
    void dpLmHeadNeedsDpAttention() {
        // srt/server_args.py:395-398
        assertTrue(resolve(H100, "disaggregation-mode=prefill", "tp-size=8", "enable-dp-lm-head")
                .refused("requires --enable-dp-attention"));
    }

    @Test
    void deepEpAutoIsRefusedWithDpAttentionNormalTurnsGraphsOffAndEpIsTp() {
        // srt/server_args.py:401-412
        assertTrue(prefill(H100, "enable-deepep-moe").refused("deepep_mode = auto with DP attention"));
        Result normal = resolve(H100, "disaggregation-mode=decode", "nnodes=2", "tp-size=16", "dp-size=16",
                "enable-dp-attention", "enable-deepep-moe", "deepep-mode=normal");
        assertTrue(normal.args().disableCudaGraph());
        assertEquals(16, normal.args().epSize());
        Result lowLatency = resolve(H100, "disaggregation-mode=decode", "nnodes=2", "tp-size=16", "dp-size=16",
                "enable-dp-attention", "enable-deepep-moe", "deepep-mode=low_latency");
        assertTrue(lowLatency.problems().isEmpty(), lowLatency.problems().toString());
        assertTrue(!lowLatency.args().disableCudaGraph());
    }

    @Test
    void epMoeSetsEpSizeToTpSize() {
        // srt/server_args.py:245-249
        assertEquals(16, prefill(H100, "enable-ep-moe").args().epSize());
    }

    @Test
    void decodeRefusesDecodeTpAndDpAndTurnsRadixCacheOff() {
        // srt/server_args.py:521-530
        Result tpSet = resolve(H100, "disaggregation-mode=decode", "tp-size=8", "disaggregation-decode-tp=8");
        assertTrue(tpSet.refused("Cannot set --disaggregation-decode-tp"));
        assertTrue(resolve(H100, "disaggregation-mode=decode", "tp-size=8", "disaggregation-decode-dp=1")
                .refused("Cannot set --disaggregation-decode-dp"));
        assertTrue(resolve(H100, "disaggregation-mode=decode", "tp-size=8").args().disableRadixCache());
    }

    @Test
    void prefillChecksDecodeTpMultipleAndTurnsCudaGraphsOff() {
        // srt/server_args.py:531-541 and validate_disagg_tp_size (:554-560)
        assertTrue(prefill(H100, "disaggregation-decode-tp=12").refused("one is a multiple of the other"));
        Result ok = prefill(H100, "disaggregation-decode-tp=48");
        assertTrue(ok.problems().isEmpty(), ok.problems().toString());
        assertTrue(ok.args().disableCudaGraph());
        assertEquals(16, prefill(H100).args().disaggregationDecodeTp());
    }

    @Test
    void checkServerArgsNeedsTpDivisibleByNodesAndDpAttentionAcrossNodes() {
        // srt/server_args.py:1634-1636 and 1646-1648
        assertTrue(prefill(H100, "nnodes=3").refused("not divisible by nnodes = 3"));
        assertTrue(resolve(H100, "disaggregation-mode=prefill", "nnodes=2", "tp-size=16", "dp-size=2")
                .refused("multi-node data parallel is not supported unless dp attention"));
    }

    @Test
    void pdsimsOwnChecksSayWhenSglangItselfWouldFail() {
        // not in SGLang: node_rank < nnodes (unchecked at srt/server_args.py), ranks per node <= GPUs per node
        Result rank = prefill(H100, "node-rank=2");
        assertTrue(rank.refused("pdsim check") && rank.refused("distributed init"), rank.problems().toString());
        Result perNode = prefill(H100, "nnodes=1");
        assertTrue(perNode.refused("needs 16 GPUs per node") && perNode.refused("pdsim check"),
                perNode.problems().toString());
    }

    @Test
    void numReservedDecodeTokensIsAFlagAndTheEnvironmentVariableIsIgnored() {
        // --num-reserved-decode-tokens (srt/server_args.py:236, 1593-1598); nothing reads SGLANG_NUM_RESERVED_DECODE_TOKENS
        assertEquals(512, resolve(H100, "disaggregation-mode=decode", "tp-size=8").args().numReservedDecodeTokens());
        assertEquals(256, resolve(H100, "disaggregation-mode=decode", "tp-size=8", "num-reserved-decode-tokens=256")
                .args().numReservedDecodeTokens());
        Result env = resolve(H100, List.of(new EnvAssignment("SGLANG_NUM_RESERVED_DECODE_TOKENS", "abc", HERE)),
                "disaggregation-mode=decode", "nnodes=2", "tp-size=16");
        assertTrue(env.problems().isEmpty(), "an unread variable cannot be wrong: " + env.problems());
        assertEquals(512, env.args().numReservedDecodeTokens());
        assertTrue(env.resolved().ignoredEnvironment().get(0).contains("read nowhere in SGLang 0.4.8.post1"),
                env.resolved().ignoredEnvironment().toString());
    }

    @Test
    void everyResolvedInstanceCarriesItsMemory() {
        Result r = prefill(H100, "mem-fraction-static=0.85", "max-total-tokens=131072");
        assertNotNull(r.resolved().memory());
        assertEquals(131_072, r.resolved().memory().kvPool().tokens());
    }

    /** A 6-node DP-attention decode of the reported shape plus {@code more}. */
    private static Result decode48(String... more) {
        List<String> flags = new ArrayList<>(List.of("disaggregation-mode=decode", "nnodes=6", "tp-size=48",
                "dp-size=48", "enable-dp-attention", "moe-dense-tp-size=1"));
        flags.addAll(List.of(more));
        return resolve(H100, flags.toArray(String[]::new));
    }

    @Test
    void fusedMoeCannotSplitTheExpertsOverTp48() {
        // srt/layers/moe/fused_moe_triton/layer.py:423: 2048 % 48 != 0
        Result r = decode48();
        assertTrue(r.refused("layer 3's routed experts (FusedMoE"), r.problems().toString());
        assertTrue(r.refused("AssertionError, srt/layers/moe/fused_moe_triton/layer.py:423"), r.problems().toString());
        assertTrue(r.refused("TP sizes that build it: 1, 2, 4, 8, 16"), r.problems().toString());
    }

    @Test
    void fusedMoeOverTp32LeavesHalfAnFp8Block() {
        // 2048 / 32 = 64, not a multiple of the 128-wide FP8 block (srt/layers/quantization/fp8.py:505-512)
        Result r = prefill(H100, "tp-size=32", "dp-size=32", "nnodes=4", "moe-dense-tp-size=1");
        assertTrue(r.refused("leaves 64 per rank, not a multiple of the FP8 weight block 128"), r.problems().toString());
        assertTrue(r.refused("ValueError, srt/layers/quantization/fp8.py:505-512"), r.problems().toString());
    }

    @Test
    void theDenseMlpSplitsOverTheWholeTpGroupUnlessMoeDenseTpSizeIsOne() {
        // srt/models/deepseek_v2.py:1648-1660: 18432 / 32 = 576, not a multiple of 128; it is built before layer 3
        Result r = prefill(H100, "tp-size=32", "dp-size=32", "nnodes=4", "enable-deepep-moe", "deepep-mode=normal");
        assertTrue(r.refused("layer 0's dense MLP (intermediate size 18432 split over TP 32) leaves 576 per rank"),
                r.problems().toString());
        assertTrue(prefill(H100, "tp-size=32", "dp-size=32", "nnodes=4", "enable-deepep-moe", "deepep-mode=normal",
                "moe-dense-tp-size=1").problems().isEmpty());
    }

    @Test
    void deepEpNeedsAWholeNumberOfPhysicalExpertsPerRank() {
        // srt/layers/moe/ep_moe/layer.py:184: (256 + redundant) % 48 == 0 only from 32 redundant experts
        Result none = decode48("enable-deepep-moe", "deepep-mode=low_latency");
        assertTrue(none.refused("256 physical experts (256 routed + 0 redundant) do not split over EP size 48"),
                none.problems().toString());
        assertTrue(none.refused("values that build: 32, 80, 128, ..."), none.problems().toString());
        Result sixteen = decode48("enable-deepep-moe", "deepep-mode=low_latency", "ep-num-redundant-experts=16");
        assertTrue(sixteen.refused("272 physical experts"), sixteen.problems().toString());
        assertTrue(decode48("enable-deepep-moe", "deepep-mode=low_latency", "ep-num-redundant-experts=32").problems()
                .isEmpty());
    }

    @Test
    void epMoeKeepsTheSharedExpertSplitOverTp() {
        // Without DeepEP the shared expert is a DeepseekV2MLP over the whole TP group (deepseek_v2.py:303-318)
        Result r = decode48("enable-ep-moe", "ep-num-redundant-experts=32");
        assertTrue(r.refused("layer 3's shared expert (EP MoE keeps it split over TP 48"), r.problems().toString());
    }

    @Test
    void attentionHeadsMustSplitOverAttentionTp() {
        // srt/models/deepseek_v2.py:658: without DP attention the attention TP is the whole TP group
        Result r = resolve(H100, "disaggregation-mode=decode", "nnodes=6", "tp-size=48");
        assertTrue(r.refused("attention TP size 48 does not split the 128 attention heads"), r.problems().toString());
    }
}

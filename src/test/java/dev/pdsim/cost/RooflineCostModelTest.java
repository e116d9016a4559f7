package dev.pdsim.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.model.BatchShape;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.model.Resource;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Sanity of the roofline cost model on the reported prefill layout. */
class RooflineCostModelTest {
    private static final int[] TOKENS = {0, 1, 2, 3, 4, 7, 16, 31, 64, 100, 128, 255, 512, 1000, 2048, 4000, 8192,
            16384, 32768, 65536};

    private static Scenario scenario;
    private static RooflineCostModel costModel;
    private static InstanceCostModel reported;   // tp 16 over 2 nodes, TP MoE (FULL gather)
    private static InstanceCostModel oneNode;    // the same tp 16 in one 16-GPU node
    private static InstanceCostModel deepEp;     // DeepEP normal kernels, SCATTERED MoE input

    static InstanceCostModel prefill(Scenario s) {
        InstanceTopology t = InstanceTopology.deriveAll(s).stream().filter(i -> i.role() == Role.PREFILL).findFirst()
                .orElseThrow();
        return new RooflineCostModel(s.model(), s.hardware()).forInstance(t);
    }

    static InstanceTopology prefillTopology(Scenario s) {
        return InstanceTopology.deriveAll(s).stream().filter(i -> i.role() == Role.PREFILL).findFirst().orElseThrow();
    }

    @BeforeAll
    static void load() throws IOException {
        scenario = ScenarioLoader.load(Path.of("scenarios/reported-xpyd.yaml"));
        costModel = new RooflineCostModel(scenario.model(), scenario.hardware());
        reported = prefill(scenario);
        String text = Files.readString(Path.of("scenarios/reported-xpyd.yaml"))
                .replaceFirst("gpus_per_node: 8", "gpus_per_node: 16")
                .replace("--nnodes 2 \\", "--nnodes 1 \\")
                .replace("--node-rank 1 \\", "--node-rank 0 \\");
        Scenario single = ScenarioLoader.parse("one-node.yaml", text);
        assertEquals(1, prefillTopology(single).nodes());
        assertEquals(16, prefillTopology(single).args().tpSize());
        assertEquals(2, prefillTopology(scenario).nodes());
        oneNode = prefill(single);
        deepEp = prefill(ScenarioLoader.load(Path.of("scenarios/reported-xpyd-deepep.yaml")));
    }

    /** Every DP rank holds {@code tokens} tokens of fresh prefill (one sequence each). */
    static BatchShape extend(int tokens) {
        return new BatchShape(tokens == 0 ? ForwardKind.IDLE : ForwardKind.EXTEND, tokens, 16L * tokens,
                tokens == 0 ? 0 : 1, (long) tokens * ((tokens + 1) / 2), 1.0);
    }

    static BatchShape decode(int requests, long contextPerRequest) {
        return new BatchShape(requests == 0 ? ForwardKind.IDLE : ForwardKind.DECODE, requests, 16L * requests, requests,
                requests * contextPerRequest, 1.0);
    }

    @ParameterizedTest
    @EnumSource(value = LayerStage.class, names = {"ATTN_CORE", "EXPERTS", "COMM_PREPARE_MLP"})
    void moreTokensAreNeverFaster(LayerStage stage) {
        for (InstanceCostModel m : new InstanceCostModel[] {reported, oneNode, deepEp}) {
            long previous = -1;
            for (int t : TOKENS) {
                long ns = m.stageNs(stage, true, extend(t));
                assertTrue(ns >= 0);
                assertTrue(ns >= previous, stage + " at " + t + " tokens took " + ns + " < " + previous);
                previous = ns;
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = LayerStage.class, names = {"ATTN_CORE", "EXPERTS", "COMM_PREPARE_MLP"})
    void moreDecodeRequestsAreNeverFaster(LayerStage stage) {
        long previous = -1;
        for (int n : new int[] {0, 1, 2, 8, 32, 64, 128, 256, 512}) {
            long ns = reported.stageNs(stage, true, decode(n, 2500));
            assertTrue(ns >= previous, stage + " at " + n + " requests took " + ns + " < " + previous);
            previous = ns;
        }
    }

    @Test
    void theLmHeadIsStreamedAsBf16() {
        // ParallelLMHead is not quantised (srt/layers/quantization/fp8.py:166-178); with --enable-dp-lm-head
        // and attention-TP 1 every rank holds it whole
        BatchShape s = decode(64, 1000);
        double h = scenario.model().hiddenSize();
        double expected = 2.0 * scenario.model().vocabTableParams() + 64 * h * 2 + 64 * h * 2;
        assertEquals(expected, reported.outsideLayers(s).hbmBytes(), 1.0);
    }

    @Test
    void attentionGrowsWithTheCachedPrefix() {
        long fresh = reported.stageNs(LayerStage.ATTN_CORE, true, new BatchShape(ForwardKind.EXTEND, 1000, 16000, 1,
                1000L * 500, 1.0));
        long afterPrefix = reported.stageNs(LayerStage.ATTN_CORE, true, new BatchShape(ForwardKind.EXTEND, 1000, 16000, 1,
                1000L * (4000 + 500), 1.0));
        assertTrue(afterPrefix > fresh);
    }

    @Test
    void largeBatchesTakeRealTime() {
        assertTrue(reported.stageNs(LayerStage.EXPERTS, true, extend(8192)) > reported.stageNs(LayerStage.EXPERTS, true,
                extend(1)) * 10, "experts on 131k gathered tokens must cost far more than on 16");
        assertTrue(reported.stageNs(LayerStage.COMM_PREPARE_MLP, true, extend(8192))
                > 10 * reported.stageNs(LayerStage.COMM_PREPARE_MLP, true, extend(1)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 64, 1024, 8192})
    void dpGatherAcrossTwoNodesCostsMoreThanWithinOne(int tokens) {
        BatchShape s = extend(tokens);
        long twoNodes = reported.stageNs(LayerStage.COMM_PREPARE_MLP, true, s);
        long sameNode = oneNode.stageNs(LayerStage.COMM_PREPARE_MLP, true, s);
        assertTrue(sameNode > 0);
        assertTrue(twoNodes > sameNode, "2 nodes " + twoNodes + " ns vs 1 node " + sameNode + " ns at " + tokens);
    }

    @Test
    void theGatherIsInTheMoeLayersOnlyWithoutDeepEp() {
        BatchShape s = extend(1000);
        assertTrue(reported.stageNs(LayerStage.COMM_PREPARE_MLP, true, s) > 0, "TP MoE gathers");
        // dense layers with moe_dense_tp_size 1 and DeepEP MoE layers do not gather across DP ranks
        assertTrue(reported.stageNs(LayerStage.COMM_PREPARE_MLP, false, s)
                < reported.stageNs(LayerStage.COMM_PREPARE_MLP, true, s));
        assertTrue(deepEp.stageNs(LayerStage.COMM_PREPARE_MLP, true, s)
                < reported.stageNs(LayerStage.COMM_PREPARE_MLP, true, s));
    }

    @Test
    void commAndComputeResources() {
        // DeepEP moves tokens on its own SMs beside the compute stream ...
        for (LayerStage s : new LayerStage[] {LayerStage.COMM_PREPARE_ATTN, LayerStage.COMM_PREPARE_MLP,
                LayerStage.COMM_POSTPROCESS_LAYER, LayerStage.DISPATCH_A, LayerStage.COMBINE_A}) {
            assertEquals(Resource.COMM, deepEp.resourceOf(s), s.name());
        }
        for (LayerStage s : new LayerStage[] {LayerStage.ATTN_PREPARE, LayerStage.ATTN_CORE, LayerStage.GATE,
                LayerStage.EXPERTS, LayerStage.SHARED_EXPERTS, LayerStage.DENSE_MLP, LayerStage.DISPATCH_B,
                LayerStage.COMBINE_B}) {
            assertEquals(Resource.COMPUTE, deepEp.resourceOf(s), s.name());
        }
        // ... while NCCL collectives of the tensor-parallel MoE run on the compute stream itself.
        for (LayerStage s : LayerStage.values()) {
            assertEquals(Resource.COMPUTE, reported.resourceOf(s), s.name());
        }
    }

    @Test
    void kvTransferHasASetupCostAndGrowsWithBytes() {
        long zero = costModel.kvTransferNs(0);
        assertTrue(zero > 0, "setup time even for no bytes");
        long previous = zero;
        for (long bytes : new long[] {1, 70_272, 70_272L * 2000, 70_272L * 8192, 1L << 32}) {
            long ns = costModel.kvTransferNs(bytes);
            assertTrue(ns > previous, bytes + " bytes took " + ns + " ns, not more than " + previous);
            previous = ns;
        }
        // twice the bytes: about twice the bandwidth part
        long big = costModel.kvTransferNs(1L << 32) - zero;
        long bigger = costModel.kvTransferNs(1L << 33) - zero;
        assertEquals(2.0, (double) bigger / big, 0.01);
    }

    @Test
    void widerMlpSyncCostsMore() {
        assertTrue(reported.mlpSyncNs(8) > reported.mlpSyncNs(6), "the patched 8-int64 sync costs a little more");
        assertTrue(reported.mlpSyncNs(6) > 0);
    }

    @Test
    void shortPromptsRunAttentionAtALowerRate() {
        // 8,192 tokens as 16 prompts of 512 (about 256 keys per query) or as one prompt (about
        // 4,096): the attention time per query x key pair, over the time without any pair.
        BatchShape shortPrompts = new BatchShape(ForwardKind.EXTEND, 8192, 16L * 8192, 16, 16L * 512 * 513 / 2, 1.0);
        BatchShape longPrompt = extend(8192);
        long shortNs = reported.stageNs(LayerStage.ATTN_CORE, true, shortPrompts);
        long longNs = reported.stageNs(LayerStage.ATTN_CORE, true, longPrompt);
        long noPairs = reported.stageNs(LayerStage.ATTN_CORE, true,
                new BatchShape(ForwardKind.EXTEND, 8192, 16L * 8192, 16, 0, 1.0));
        double shortPerPair = (double) (shortNs - noPairs) / shortPrompts.maxRankAttendPairs();
        double longPerPair = (double) (longNs - noPairs) / longPrompt.maxRankAttendPairs();
        assertTrue(shortPerPair > 1.3 * longPerPair, shortPerPair + " vs " + longPerPair + " ns per pair");
    }

    @Test
    void deepEpNormalRdmaLegDoesNotGrowWithAMildImbalance() {
        // Across nodes the NIC moves what the node receives; only the NVLink leg into the busiest
        // GPU grows. EP16 over 2 nodes is RDMA-bound at an even load (43 GB/s for ~2 node copies
        // per token against 153 GB/s for ~5 GPU copies).
        BatchShape even = extend(8192);
        BatchShape mild = new BatchShape(ForwardKind.EXTEND, 8192, 16L * 8192, 1, even.maxRankAttendPairs(), 1.1);
        BatchShape heavy = new BatchShape(ForwardKind.EXTEND, 8192, 16L * 8192, 1, even.maxRankAttendPairs(), 4.0);
        assertEquals(deepEp.stageNs(LayerStage.DISPATCH_A, true, even), deepEp.stageNs(LayerStage.DISPATCH_A, true, mild));
        assertTrue(deepEp.stageNs(LayerStage.DISPATCH_A, true, heavy) > deepEp.stageNs(LayerStage.DISPATCH_A, true, even));
        // Experts always follow the busiest rank.
        assertTrue(deepEp.stageNs(LayerStage.EXPERTS, true, mild) > deepEp.stageNs(LayerStage.EXPERTS, true, even));
    }

    @Test
    void prefillTboCapsOnlyDeepGemmsComputeBoundWork() {
        InstanceCostModel capped = deepEp.inPrefillTboRegion();
        // Compute-bound grouped GEMMs of 8,192 tokens run on 108 of 132 SMs ...
        StageCost free = deepEp.stageCost(LayerStage.EXPERTS, true, extend(8192));
        StageCost onFewerSms = capped.stageCost(LayerStage.EXPERTS, true, extend(8192));
        assertEquals(132.0 / 108.0, (double) onFewerSms.computeNs() / free.computeNs(), 1e-3);
        assertEquals(free.memoryNs(), onFewerSms.memoryNs(), "activation passes are not capped");
        // ... while memory-bound ones and the kernels DeepGEMM does not run keep their time.
        assertEquals(deepEp.stageNs(LayerStage.EXPERTS, true, extend(1)), capped.stageNs(LayerStage.EXPERTS, true, extend(1)));
        assertEquals(deepEp.stageNs(LayerStage.OUTPUT, true, extend(8192)), capped.stageNs(LayerStage.OUTPUT, true, extend(8192)));
        assertEquals(reported, reported.inPrefillTboRegion(), "without DeepEP nothing holds SMs");
        assertEquals(capped, capped.inPrefillTboRegion(), "capped once");
    }

    @Test
    void expertImbalanceOnlyWithExpertParallelism() {
        assertEquals(1.0, reported.expertImbalanceMean(100_000), "TP MoE: every rank holds every expert");
        assertTrue(deepEp.expertImbalanceMean(100_000) > 1.0);
    }
}

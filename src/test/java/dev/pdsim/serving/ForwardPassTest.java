package dev.pdsim.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.cost.RooflineCostModel;
import dev.pdsim.metadata.BuggyInitStrategy;
import dev.pdsim.metadata.DeepEpStrategy;
import dev.pdsim.metadata.MetadataStrategy;
import dev.pdsim.metadata.NoneCheckInitStrategy;
import dev.pdsim.metadata.PatchedInitStrategy;
import dev.pdsim.model.ForwardKind;
import dev.pdsim.model.Resource;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One forward pass of the reported prefill (16 DP ranks) under each strategy (spec sections 3-5, 8). */
class ForwardPassTest {
    private static final String CUMSUM =
            "TypeError: cumsum() received an invalid combination of arguments - got (NoneType, dim=int)";
    private static final int DP = 16;

    private static Prefill reported;
    private static Prefill tboOff;
    private static Prefill deepEp;

    /** The prefill instance of a scenario with its cost model. */
    record Prefill(InstanceTopology topology, dev.pdsim.cost.InstanceCostModel cost) {
        ForwardPass pass(MetadataStrategy s) {
            return new ForwardPass(topology, cost, s);
        }
    }

    static Prefill prefill(String file) {
        return prefillOf(ScenarioLoader.load(Path.of("scenarios", file)));
    }

    /** A prefill of 2 x 8 GPUs with DP attention and TBO, {@code fields} added, moe_dense_tp_size unset unless given. */
    static Prefill structured(String fields) {
        return prefillOf(ScenarioLoader.parse("t.yaml", """
                model: deepseek-r1
                instances:
                  - {role: prefill, nnodes: 2, tp_size: 16, enable_dp_attention: true, enable_two_batch_overlap: true, %s}
                  - {role: decode, nnodes: 2, tp_size: 16, dp_size: 16, enable_dp_attention: true}
                """.formatted(fields)));
    }

    static Prefill prefillOf(Scenario s) {
        InstanceTopology t = InstanceTopology.deriveAll(s).stream().filter(i -> i.role() == Role.PREFILL).findFirst()
                .orElseThrow();
        return new Prefill(t, new RooflineCostModel(s.model(), s.hardware()).forInstance(t));
    }

    @BeforeAll
    static void load() {
        reported = prefill("reported-xpyd.yaml");
        tboOff = prefill("reported-xpyd-tbo-off.yaml");
        deepEp = prefill("reported-xpyd-deepep.yaml");
    }

    /** The forward with a balanced expert load (the imbalance factor is not under test here). */
    static ForwardResult run(ForwardPass p, RankBatch[] batches, boolean spans) {
        return p.run(batches, spans, 1.0);
    }

    static RankBatch[] ranks(IntFunction<RankBatch> perRank) {
        return IntStream.range(0, DP).mapToObj(perRank).toArray(RankBatch[]::new);
    }

    static RankBatch extend(int... lens) {
        return new RankBatch(ForwardKind.EXTEND, lens, new int[lens.length], 0, 0);
    }

    /** Spec section 5: every rank holds one 4-token warmup sequence. */
    static RankBatch[] warmup() {
        return ranks(r -> extend(4));
    }

    /** Two sequences per rank, lengths differing between ranks: child A sizes differ. */
    static RankBatch[] uneven() {
        return ranks(r -> extend(100 * (r + 1), 50));
    }

    // ---- tboEngages (spec section 3, step 4) ----

    @Test
    void tboEngagesWhenEveryRankRunsExtend() {
        assertTrue(reported.pass(new BuggyInitStrategy()).tboEngages(warmup()));
        assertTrue(reported.pass(new BuggyInitStrategy()).tboEngages(uneven()));
    }

    @Test
    void extendOnSomeRanksAndIdleOnOthersDisengagesTbo() {
        RankBatch[] mixed = ranks(r -> r % 2 == 0 ? extend(4) : RankBatch.IDLE);
        assertFalse(reported.pass(new BuggyInitStrategy()).tboEngages(mixed));
        RankBatch[] oneIdle = warmup();
        oneIdle[15] = RankBatch.IDLE;
        assertFalse(reported.pass(new PatchedInitStrategy()).tboEngages(oneIdle));
    }

    @Test
    void idleCountsAsDecode() {
        RankBatch[] mixed = ranks(r -> r % 3 == 0 ? RankBatch.IDLE : RankBatch.decode(r + 1, 1000L * (r + 1)));
        assertTrue(reported.pass(new BuggyInitStrategy()).tboEngages(mixed));
        assertTrue(reported.pass(new BuggyInitStrategy()).tboEngages(ranks(r -> RankBatch.IDLE)));
    }

    @Test
    void extendAndDecodeTogetherDisengageTbo() {
        RankBatch[] mixed = ranks(r -> r == 0 ? RankBatch.decode(2, 100) : extend(4));
        assertFalse(reported.pass(new PatchedInitStrategy()).tboEngages(mixed));
    }

    @Test
    void launchWithoutTboNeverEngages() {
        ForwardPass p = tboOff.pass(new BuggyInitStrategy());
        assertFalse(tboOff.topology().args().enableTwoBatchOverlap());
        assertFalse(p.tboEngages(warmup()));
        assertFalse(p.tboEngages(ranks(r -> RankBatch.decode(4, 400))));
    }

    @Test
    void deepEpNormalModeKeepsTboForExtend() {
        assertTrue(deepEp.pass(new BuggyInitStrategy()).tboEngages(warmup()));
    }

    // ---- the warmup forward (spec sections 4, 5) ----

    @Test
    void buggyWarmupForwardRaisesAtLayer3OnEveryRank() {
        ForwardResult r = run(reported.pass(new BuggyInitStrategy()), warmup(), true);
        assertTrue(r.tbo());
        ForwardFailure f = r.failure();
        assertNotNull(f, "the released metadata must fail the warmup");
        assertFalse(f.hang());
        assertEquals(3, f.layer());
        assertEquals(LayerStage.COMM_PREPARE_MLP, f.stage());
        assertEquals("A", f.child());
        assertEquals(IntStream.range(0, DP).boxed().toList(), f.dpRanks());
        assertEquals(CUMSUM, f.error());
        assertEquals(DP, f.childTokens().length);
        assertTrue(IntStream.range(0, DP).allMatch(i -> f.childTokens()[i] == 0), "child A of the warmup is empty");
        assertEquals(f.offsetNs(), r.durationNs(), "the forward stops at the failure");
        assertTrue(r.durationNs() > 0, "dense layers 0..2 ran before");
        // what ran before the failure: the dense layers on the parent, nothing at or after the failure
        assertTrue(r.spans().stream().allMatch(s -> s.startNs() < f.offsetNs()));
        assertTrue(r.spans().stream().filter(s -> s.child() == null).map(StageSpan::layer).collect(Collectors.toSet())
                .containsAll(Set.of(0, 1, 2)));
        assertTrue(r.spans().stream().noneMatch(s -> s.layer() > 3));
    }

    @Test
    void buggyFailsTheSameWayWithoutSpans() {
        ForwardResult withSpans = run(reported.pass(new BuggyInitStrategy()), warmup(), true);
        ForwardResult without = run(reported.pass(new BuggyInitStrategy()), warmup(), false);
        assertNull(without.spans());
        assertNotNull(without.failure());
        assertEquals(withSpans.failure().offsetNs(), without.failure().offsetNs());
        assertEquals(withSpans.failure().layer(), without.failure().layer());
        assertEquals(withSpans.durationNs(), without.durationNs());
    }

    /**
     * The patch gives the children counts and a buffer, but without DeepEP the TBO MoE operations
     * read attributes set only with --enable-deepep-moe (srt/models/deepseek_v2.py:322-336): the
     * warmup's empty child A skips op_select_experts's grouped top-k (:522-542) and raises on
     * {@code self.ep_size} in op_dispatch_a (:546), layer 3, on every rank.
     */
    @Test
    void patchedWarmupForwardRaisesOnTheDeepEpOnlyAttributesAtLayer3() {
        ForwardResult r = run(reported.pass(new PatchedInitStrategy()), warmup(), true);
        ForwardFailure f = r.failure();
        assertNotNull(f);
        assertTrue(r.tbo());
        assertFalse(f.hang());
        assertEquals(3, f.layer());
        assertEquals(LayerStage.DISPATCH_A, f.stage());
        assertEquals("A", f.child());
        assertEquals("AttributeError: 'DeepseekV2MoE' object has no attribute 'ep_size'", f.error());
        assertEquals(IntStream.range(0, DP).boxed().toList(), f.dpRanks());
        assertEquals("deepseek_v2.DeepseekV2MoE.op_dispatch_a", f.callPath().get(f.callPath().size() - 1));
        assertEquals(0, r.corruptedTokens());
        assertTrue(r.spans().stream().anyMatch(sp -> sp.layer() == 3 && "A".equals(sp.child())
                && sp.stage() == LayerStage.COMM_PREPARE_MLP), "the DP gather itself passes");
        assertTrue(r.spans().stream().noneMatch(sp -> sp.layer() > 3));
    }

    /** With DeepEP and attention-TP 1 every transition is trivial: nothing is read, the forward completes. */
    @Test
    void deepEpWithAttentionTpOneCompletesWithBothChildrenInEveryMoeLayer() {
        ForwardResult r = run(deepEp.pass(new BuggyInitStrategy()), warmup(), true);
        assertNull(r.failure());
        assertTrue(r.tbo());
        List<StageSpan> spans = r.spans();
        for (int layer = 3; layer <= 60; layer++) {
            int l = layer;
            assertTrue(spans.stream().anyMatch(sp -> sp.layer() == l && "A".equals(sp.child())), "child A in layer " + l);
            assertTrue(spans.stream().anyMatch(sp -> sp.layer() == l && "B".equals(sp.child())), "child B in layer " + l);
        }
        assertTrue(spans.stream().allMatch(sp -> sp.endNs() <= r.durationNs()));
        assertTrue(spans.stream().noneMatch(sp -> sp.stage() == LayerStage.YIELD));
    }

    /**
     * DeepEP, attention-TP 2, moe_dense_tp_size unset: the child has no gathered_buffer
     * (srt/two_batch_overlap.py:349-360, 378). Layer 3's input is the dense layers' TP_ATTN_FULL,
     * layer 4's is SCATTERED, so layer 4's op_comm_prepare_attn slices None
     * (srt/layers/communicator.py:290-291). moe_dense_tp_size 1 gives the child a buffer of its own
     * rows, enough for the attention-TP gathers: the forward completes.
     */
    @Test
    void deepEpWithAttentionTpTwoNeedsMoeDenseTpSizeOne() {
        Prefill a2 = structured("dp_size: 8, enable_deepep_moe: true, deepep_mode: normal");
        RankBatch[] batches = IntStream.range(0, 8).mapToObj(r -> extend(300 + r, 200)).toArray(RankBatch[]::new);
        ForwardFailure f = run(a2.pass(new DeepEpStrategy()), batches, false).failure();
        assertNotNull(f);
        assertEquals(4, f.layer());
        assertEquals(LayerStage.COMM_PREPARE_ATTN, f.stage());
        assertEquals("A", f.child());
        assertEquals("TypeError: 'NoneType' object is not subscriptable", f.error());
        assertEquals("communicator._scattered_to_tp_attn_full", f.callPath().get(f.callPath().size() - 1));
        Prefill dense1 = structured("dp_size: 8, enable_deepep_moe: true, deepep_mode: normal, moe_dense_tp_size: 1");
        assertNull(run(dense1.pass(new BuggyInitStrategy()), batches, false).failure());
    }

    @Test
    void childOperationsRunInOrderWithinEachChild() {
        ForwardResult r = run(deepEp.pass(new PatchedInitStrategy()), ranks(rk -> extend(1000, 3000)), true);
        for (String child : List.of("A", "B")) {
            List<StageSpan> own = r.spans().stream().filter(s -> child.equals(s.child())).toList();
            for (int i = 1; i < own.size(); i++) {
                // DeepEP's dispatch_a / combine_a start a transfer and return: the child computes on meanwhile.
                LayerStage previous = own.get(i - 1).stage();
                boolean async = previous == LayerStage.DISPATCH_A || previous == LayerStage.COMBINE_A;
                assertTrue(own.get(i).startNs() >= (async ? own.get(i - 1).startNs() : own.get(i - 1).endNs()),
                        "child " + child + " op " + i + " starts before its previous op ended");
                assertTrue(own.get(i).layer() >= own.get(i - 1).layer());
            }
        }
    }

    @Test
    void operationsOnTheSameResourceNeverOverlap() {
        ForwardResult r = run(deepEp.pass(new PatchedInitStrategy()), ranks(rk -> extend(4000, 4000)), true);
        for (Resource res : Resource.values()) {
            List<StageSpan> on = r.spans().stream().filter(s -> s.resource() == res && s.endNs() > s.startNs())
                    .sorted(java.util.Comparator.comparingLong(StageSpan::startNs)).toList();
            for (int i = 1; i < on.size(); i++) {
                assertTrue(on.get(i).startNs() >= on.get(i - 1).endNs(), res + " used twice at " + on.get(i).startNs());
            }
        }
    }

    /**
     * The None check changes only get_dp_local_info: with moe_dense_tp_size unset the child's
     * gathered_buffer is None (srt/two_batch_overlap.py:349-360), so the gather raises at
     * {@code global_tokens.fill_(0)} (srt/layers/dp_attention.py:232-234), layer 3, on every rank.
     */
    @Test
    void noneCheckRaisesAtTheZeroFillOfTheMissingBuffer() {
        ForwardResult r = run(structured("dp_size: 16").pass(new NoneCheckInitStrategy()), warmup(), true);
        ForwardFailure f = r.failure();
        assertNotNull(f);
        assertFalse(f.hang());
        assertEquals(3, f.layer());
        assertEquals(LayerStage.COMM_PREPARE_MLP, f.stage());
        assertEquals("AttributeError: 'NoneType' object has no attribute 'fill_'", f.error());
        assertEquals("dp_attention._dp_gather", f.callPath().get(f.callPath().size() - 1));
    }

    /**
     * moe_dense_tp_size 1 (the reported launch): the child's buffer has its own rows
     * (srt/two_batch_overlap.py:353-358), so the fallback's gather all-reduces buffers of each rank's
     * child size: uneven children hang in layer 3; even ones (the warmup) pass the gather and reach
     * the DeepEP-only attributes.
     */
    @Test
    void noneCheckWithMoeDenseTpSizeOneHangsOnUnevenChildrenAtLayer3() {
        Prefill dense1 = reported;
        ForwardResult r = run(dense1.pass(new NoneCheckInitStrategy()), uneven(), true);
        ForwardFailure f = r.failure();
        assertNotNull(f);
        assertTrue(f.hang());
        assertEquals(3, f.layer());
        assertEquals(LayerStage.COMM_PREPARE_MLP, f.stage());
        assertEquals(IntStream.range(0, DP).boxed().toList(), f.dpRanks(), "a hung collective holds every rank");
        assertTrue(f.error().startsWith("hang"), f.error());
        ForwardFailure warm = run(dense1.pass(new NoneCheckInitStrategy()), warmup(), false).failure();
        assertFalse(warm.hang());
        assertEquals(LayerStage.DISPATCH_A, warm.stage());
    }

    /** Counts present, buffer sized for them: the gather passes and op_select_experts raises (srt/models/deepseek_v2.py:522-530). */
    @Test
    void buggyAndPatchedOnUnevenChildren() {
        ForwardResult buggy = run(reported.pass(new BuggyInitStrategy()), uneven(), false);
        assertNotNull(buggy.failure());
        assertFalse(buggy.failure().hang());
        assertEquals(3, buggy.failure().layer());
        assertEquals(CUMSUM, buggy.failure().error());
        ForwardResult patched = run(reported.pass(new PatchedInitStrategy()), uneven(), false);
        assertTrue(patched.tbo());
        assertEquals(3, patched.failure().layer());
        assertEquals(LayerStage.SELECT_EXPERTS, patched.failure().stage());
        assertEquals("AttributeError: 'DeepseekV2MoE' object has no attribute 'renormalize'", patched.failure().error());
    }

    @Test
    void withoutTboTheReleasedMetadataServes() {
        ForwardResult r = run(tboOff.pass(new BuggyInitStrategy()), warmup(), true);
        assertNull(r.failure());
        assertFalse(r.tbo());
        assertTrue(r.spans().stream().allMatch(s -> s.child() == null));
        assertEquals(IntStream.rangeClosed(0, 60).boxed().collect(Collectors.toSet()),
                r.spans().stream().map(StageSpan::layer).collect(Collectors.toSet()));
    }

    @Test
    void extendMixedWithIdleServesWithoutTboEvenWithReleasedMetadata() {
        ForwardResult r = run(reported.pass(new BuggyInitStrategy()), ranks(rk -> rk < 4 ? extend(4) : RankBatch.IDLE), false);
        assertNull(r.failure());
        assertFalse(r.tbo());
    }

    // ---- iteration fidelity and layer fidelity agree (ForwardPass class comment) ----

    static Stream<Arguments> agreementCases() {
        return Stream.of(
                Arguments.of("TBO warmup, patched", "reported", new PatchedInitStrategy(), warmup()),
                Arguments.of("TBO uneven, patched", "reported", new PatchedInitStrategy(), uneven()),
                Arguments.of("TBO large, patched", "reported", new PatchedInitStrategy(),
                        ranks(r -> extend(1000, 3000))),
                Arguments.of("TBO warmup, none-check", "reported", new NoneCheckInitStrategy(), warmup()),
                Arguments.of("TBO decode+idle, patched", "reported", new PatchedInitStrategy(),
                        ranks(r -> r % 4 == 0 ? RankBatch.IDLE : RankBatch.decode(8 * r, 2000L * r))),
                Arguments.of("no TBO: extend+idle", "reported", new BuggyInitStrategy(),
                        ranks(r -> r < 5 ? extend(700, 20) : RankBatch.IDLE)),
                Arguments.of("no TBO: launch without TBO", "tbo-off", new BuggyInitStrategy(),
                        ranks(r -> extend(1000, 3000))),
                Arguments.of("no TBO: decode", "tbo-off", new BuggyInitStrategy(),
                        ranks(r -> RankBatch.decode(32, 32L * 3000))),
                Arguments.of("DeepEP TBO", "deepep", new BuggyInitStrategy(), ranks(r -> extend(4000, 4000))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("agreementCases")
    void iterationAndLayerFidelityAgree(String name, String which, MetadataStrategy s, RankBatch[] batches) {
        Prefill p = switch (which) {
            case "reported" -> reported;
            case "tbo-off" -> tboOff;
            default -> deepEp;
        };
        ForwardResult iteration = run(p.pass(s), batches, false);
        ForwardResult layer = run(p.pass(s), batches, true);
        assertEquals(layer.durationNs(), iteration.durationNs(), name);
        assertEquals(layer.tbo(), iteration.tbo());
        assertEquals(layer.failure() == null, iteration.failure() == null);
        assertTrue(iteration.durationNs() > 0);
    }

    // ---- two-batch overlap with DeepEP (spec section 8) ----

    @Test
    void deepEpPrefillOverlapsOneChildsCommunicationWithTheOthersCompute() {
        ForwardResult r = run(deepEp.pass(new BuggyInitStrategy()), ranks(rk -> extend(4000, 4000)), true);
        assertNull(r.failure(), "DeepEP has no DP gather in the TBO region, so even the released metadata serves");
        assertTrue(r.tbo());
        List<StageSpan> a = r.spans().stream().filter(s -> "A".equals(s.child()) && s.endNs() > s.startNs()).toList();
        List<StageSpan> b = r.spans().stream().filter(s -> "B".equals(s.child()) && s.endNs() > s.startNs()).toList();
        assertTrue(overlaps(a, Resource.COMM, b, Resource.COMPUTE) || overlaps(b, Resource.COMM, a, Resource.COMPUTE),
                "some COMM op of one child must run while a COMPUTE op of the other runs");
        // The TBO region takes less wall time than its operations laid end to end.
        long regionStart = r.spans().stream().filter(s -> s.child() != null).mapToLong(StageSpan::startNs).min().orElseThrow();
        long regionEnd = r.spans().stream().filter(s -> s.child() != null).mapToLong(StageSpan::endNs).max().orElseThrow();
        long serial = r.spans().stream().filter(s -> s.child() != null).mapToLong(s -> s.endNs() - s.startNs()).sum();
        assertTrue(regionEnd - regionStart < serial, "makespan " + (regionEnd - regionStart) + " vs serial " + serial);
    }

    @Test
    void deepEpTboForwardIsNotSlowerThanTheChildrenWithoutOverlap() {
        ForwardResult r = run(deepEp.pass(new PatchedInitStrategy()), ranks(rk -> extend(4000, 4000)), true);
        assertNull(r.failure());
        long childOpsSerial = r.spans().stream().filter(s -> s.child() != null).mapToLong(s -> s.endNs() - s.startNs())
                .sum();
        long denseLayers = r.spans().stream().filter(s -> s.child() == null).mapToLong(StageSpan::endNs).max()
                .orElseThrow();
        long outside = r.durationNs() - r.spans().stream().mapToLong(StageSpan::endNs).max().orElseThrow();
        assertTrue(outside >= 0);
        assertTrue(r.durationNs() <= denseLayers + childOpsSerial + outside,
                "TBO " + r.durationNs() + " vs " + (denseLayers + childOpsSerial + outside));
    }

    @Test
    void deepEpTboGainsOverTheSameLaunchWithoutTbo() {
        Scenario s = ScenarioLoader.load(Path.of("scenarios", "reported-xpyd-deepep.yaml")).withFlags(
                Role.PREFILL, java.util.Map.of("enable-two-batch-overlap", "false"), "test");
        InstanceTopology t = InstanceTopology.deriveAll(s).stream().filter(i -> i.role() == Role.PREFILL).findFirst()
                .orElseThrow();
        ForwardPass noTbo = new ForwardPass(t, new RooflineCostModel(s.model(), s.hardware()).forInstance(t),
                new PatchedInitStrategy());
        RankBatch[] batch = ranks(rk -> extend(4000, 4000));
        ForwardResult without = run(noTbo, batch, false);
        ForwardResult with = run(deepEp.pass(new PatchedInitStrategy()), batch, false);
        assertFalse(without.tbo());
        assertTrue(with.tbo());
        assertTrue(with.durationNs() < without.durationNs(), "TBO " + with.durationNs() + " vs " + without.durationNs());
    }

    private static boolean overlaps(List<StageSpan> x, Resource rx, List<StageSpan> y, Resource ry) {
        for (StageSpan s : x) {
            if (s.resource() != rx) {
                continue;
            }
            for (StageSpan t : y) {
                if (t.resource() == ry && s.startNs() < t.endNs() && t.startNs() < s.endNs()) {
                    return true;
                }
            }
        }
        return false;
    }
}

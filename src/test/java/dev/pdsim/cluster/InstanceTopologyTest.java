package dev.pdsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pdsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceTopologyTest {
    @Test
    void reportedInstancesDeriveTheirRanksAndModes() {
        List<InstanceTopology> t = InstanceTopology.deriveAll(ScenarioLoader.load(Path.of("scenarios/reported-xpyd.yaml")));
        InstanceTopology prefill = t.get(0);
        InstanceTopology decode = t.get(1);
        assertEquals("prefill-0", prefill.name());
        assertEquals(16, prefill.gpus());
        assertEquals(16, prefill.dpSize());
        assertEquals(1, prefill.attnTpSize());
        assertEquals(new Rank(9, 1, 1, 9, 0), prefill.ranks().get(9));
        assertEquals(48, decode.gpus());
        assertEquals(48, decode.dpSize());
        assertEquals(Transition.NONE, prefill.layers().get(2).prepareMlp());
        assertEquals(Transition.DP_GATHER, prefill.layers().get(3).prepareMlp());
        assertEquals(Transition.DP_SCATTER, prefill.layers().get(3).postprocessLayer());
        assertEquals(3, prefill.firstGatherInTboRegion());
        assertEquals(-1, decode.firstGatherInTboRegion(), "decode runs without TBO");
    }

    @Test
    void deepEpAndTboOffRemoveTheGatherFromTheTboRegion() {
        InstanceTopology deepEp = InstanceTopology.deriveAll(
                ScenarioLoader.load(Path.of("scenarios/reported-xpyd-deepep.yaml"))).get(0);
        assertEquals(ScatterMode.SCATTERED, deepEp.layers().get(3).mlp());
        assertEquals(-1, deepEp.firstGatherInTboRegion());
        InstanceTopology off = InstanceTopology.deriveAll(
                ScenarioLoader.load(Path.of("scenarios/reported-xpyd-tbo-off.yaml"))).get(0);
        assertEquals(-1, off.firstGatherInTboRegion());
    }

    @Test
    void attentionTpGroupsFollowTpOverDp() {
        var s = ScenarioLoader.parse("t.yaml", """
                instances:
                  - {role: prefill, nnodes: 2, tp_size: 16, dp_size: 4, enable_dp_attention: true, moe_dense_tp_size: 1}
                  - {role: decode, nnodes: 2, tp_size: 16, dp_size: 16, enable_dp_attention: true}
                """);
        InstanceTopology t = InstanceTopology.deriveAll(s).get(0);
        assertEquals(4, t.attnTpSize());
        assertEquals(new Rank(13, 1, 5, 3, 1), t.ranks().get(13));
        assertEquals(List.of(12, 13, 14, 15), t.attnTpGroup(3).stream().map(Rank::tpRank).toList());
        // moe_dense_tp_size 1: the dense MLP is SCATTERED (srt/layers/communicator.py:109-114), reached by a
        // reduce-scatter in the attention-TP group, and the next layer gathers it back before attention.
        assertEquals(ScatterMode.SCATTERED, t.layers().get(0).mlp());
        assertEquals(ScatterMode.SCATTERED, t.layers().get(0).layerOutput());
        assertEquals(Transition.ATTN_TP_REDUCE_SCATTER, t.layers().get(0).prepareMlp(), "dense MLP scattered");
        assertEquals(Transition.ATTN_TP_ALL_GATHER, t.layers().get(1).prepareAttn());
        assertEquals(ScatterMode.SCATTERED, t.layers().get(3).layerInput(), "the first MoE layer gets layer 2's output");
    }

    /** Which batch state each step reads (srt/layers/communicator.py:259-535, srt/models/deepseek_v2.py:522-546). */
    @Test
    void batchStateReadsFollowTheScatterModes() {
        var s = ScenarioLoader.parse("t.yaml", """
                instances:
                  - {role: prefill, nnodes: 2, tp_size: 16, dp_size: 8, enable_dp_attention: true,
                     enable_deepep_moe: true, deepep_mode: normal}
                  - {role: decode, nnodes: 2, tp_size: 16, dp_size: 16, enable_dp_attention: true}
                """);
        List<InstanceTopology> all = InstanceTopology.deriveAll(s);
        InstanceTopology deepEp = all.get(0);
        // DeepEP, attention-TP 2, moe_dense_tp_size unset: layer 3's input is TP_ATTN_FULL (dense output),
        // layer 4's is SCATTERED, so layer 4 is the first to slice gathered_buffer before attention.
        assertEquals(BatchStateRead.NONE, deepEp.layers().get(3).readOf(LayerStage.COMM_PREPARE_ATTN));
        assertEquals(BatchStateRead.GATHERED_BUFFER_SLICE, deepEp.layers().get(4).readOf(LayerStage.COMM_PREPARE_ATTN));
        assertEquals(BatchStateRead.NONE, deepEp.layers().get(4).readOf(LayerStage.COMM_PREPARE_MLP));
        assertEquals(BatchStateRead.NONE, deepEp.layers().get(4).readOf(LayerStage.SELECT_EXPERTS));
        assertEquals(BatchStateRead.GATHERED_BUFFER_SLICE, deepEp.layers().get(60).readOf(LayerStage.COMM_POSTPROCESS_LAYER),
                "the last layer gathers back to TP_ATTN_FULL");
        InstanceTopology plain = all.get(1);
        assertEquals(BatchStateRead.DP_GATHER, plain.layers().get(3).readOf(LayerStage.COMM_PREPARE_MLP));
        assertEquals(BatchStateRead.DP_SCATTER, plain.layers().get(3).readOf(LayerStage.COMM_POSTPROCESS_LAYER));
        assertEquals(BatchStateRead.DEEPEP_MOE_ATTRIBUTES, plain.layers().get(3).readOf(LayerStage.SELECT_EXPERTS));
        assertEquals(BatchStateRead.DEEPEP_MOE_ATTRIBUTES, plain.layers().get(3).readOf(LayerStage.DISPATCH_A));
        assertEquals(BatchStateRead.NONE, plain.layers().get(3).readOf(LayerStage.COMM_PREPARE_ATTN));
    }
}

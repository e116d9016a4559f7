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
        assertEquals(Transition.ATTN_TP_ALL_REDUCE, t.layers().get(0).prepareMlp(), "dense MLP on the attention-TP group");
    }
}

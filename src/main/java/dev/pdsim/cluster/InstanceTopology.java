package dev.pdsim.cluster;

import dev.pdsim.model.ModelSpec;
import dev.pdsim.scenario.InstanceMemory;
import dev.pdsim.scenario.InstanceSpec;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.ServerArgs;
import java.util.ArrayList;
import java.util.List;

/**
 * What one SGLang instance is made of, derived from its launch arguments: nodes and GPUs, the
 * ranks with their DP and attention-TP coordinates, the groups collectives run over, and the
 * per-layer scatter modes. Ranks fill nodes in order ({@code node = tp_rank / gpus_per_node_used}),
 * as SGLang assigns {@code tp_rank = node_rank * tp_size_per_node + local_gpu}.
 *
 * @param name      e.g. {@code prefill-0}
 * @param epSize    expert-parallel size; 1 means experts are tensor-parallel over the TP group
 * @param memory    what one rank holds as SGLang sets it up at start-up (the loader's, not recomputed):
 *                  weights, the KV pool, the CUDA-graph batch sizes
 * @param architecture the model class SGLang builds ({@code architectures[0]}), whose decoder layers
 *                  decide the TBO operations ({@link TboStagePlan#of})
 */
public record InstanceTopology(String name, Role role, ServerArgs args, int nodes, int gpusPerNode,
                               List<Rank> ranks, int dpSize, int attnTpSize, int epSize,
                               List<LayerScatterModes> layers, InstanceMemory memory, String architecture) {

    public static InstanceTopology derive(String name, InstanceSpec spec, ModelSpec model) {
        ServerArgs a = spec.args();
        int world = a.worldSize();
        int perNode = world / a.nnodes();
        int dp = a.enableDpAttention() ? a.dpSize() : 1;
        int attnTp = a.attnTpSize();
        List<Rank> ranks = new ArrayList<>(world);
        for (int r = 0; r < world; r++) {
            ranks.add(new Rank(r, r / perNode, r % perNode, r / attnTp, r % attnTp));
        }
        return new InstanceTopology(name, spec.role(), a, a.nnodes(), spec.gpusPerNode(), List.copyOf(ranks), dp,
                attnTp, a.epSize(), LayerScatterModes.of(model, a), spec.resolved().memory(), model.architecture());
    }

    /** All instances of a scenario, named {@code <role>-<index>} in the order they are listed. */
    public static List<InstanceTopology> deriveAll(dev.pdsim.scenario.Scenario scenario) {
        List<InstanceTopology> out = new ArrayList<>();
        int[] next = new int[Role.values().length];
        for (InstanceSpec spec : scenario.instances()) {
            for (int c = 0; c < spec.count(); c++) {
                String name = spec.role().yamlName() + "-" + next[spec.role().ordinal()]++;
                out.add(derive(name, spec, scenario.model()));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The batch sizes it captures CUDA graphs for at start-up, ascending; empty when CUDA graphs
     * are off (every prefill server of a disaggregated deployment).
     */
    public List<Integer> captureBatchSizes() {
        return memory.captureBatchSizes();
    }

    /** Ranks of one DP rank's attention-TP group. */
    public List<Rank> attnTpGroup(int dpRank) {
        return ranks.subList(dpRank * attnTpSize, (dpRank + 1) * attnTpSize);
    }

    public int gpus() {
        return ranks.size();
    }

    /** Layers run under two-batch overlap when it engages: from the first MoE layer to the end. */
    public boolean inTboRegion(int layer) {
        return args.enableTwoBatchOverlap() && layers.get(layer).sparse();
    }

    /** The first layer whose TBO region reads global token counts on a child batch, or -1. */
    public int firstGatherInTboRegion() {
        for (LayerScatterModes l : layers) {
            if (inTboRegion(l.layer()) && l.needsGlobalTokenCounts()) {
                return l.layer();
            }
        }
        return -1;
    }
}

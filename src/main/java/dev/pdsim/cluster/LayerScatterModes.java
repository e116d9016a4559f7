package dev.pdsim.cluster;

import dev.pdsim.model.ModelSpec;
import dev.pdsim.scenario.ServerArgs;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-layer placement of hidden states, as SGLang 0.4.8.post1's {@code LayerScatterModes.init_new}
 * computes it for DeepSeek-V2/V3, and the three communication steps each layer performs.
 *
 * <p>Attention always runs TP_ATTN_FULL. A MoE layer's MLP input is FULL without DeepEP (tokens of
 * all DP ranks gathered for tensor-parallel experts) and SCATTERED with DeepEP (tokens travel by
 * all-to-all instead). A dense layer's MLP is SCATTERED when {@code moe_dense_tp_size == 1}, else
 * FULL (srt/layers/communicator.py:101-114; the spec's TP_ATTN_FULL for that case is not what the
 * code does, though the two coincide when attention-TP is 1). A layer's output is SCATTERED after
 * a SCATTERED MLP, else TP_ATTN_FULL, and the last layer returns to TP_ATTN_FULL (:125-134).
 * Without DP attention FULL has the size of TP_ATTN_FULL (attention-TP = TP), so it is written as
 * TP_ATTN_FULL: SGLang compares group sizes, not names (:235-236).
 */
public record LayerScatterModes(int layer, boolean sparse, ScatterMode layerInput, ScatterMode attn,
                                ScatterMode mlp, ScatterMode layerOutput, int attnTpSize) {

    public static List<LayerScatterModes> of(ModelSpec model, ServerArgs args) {
        List<LayerScatterModes> layers = new ArrayList<>(model.numLayers());
        ScatterMode previousOutput = ScatterMode.TP_ATTN_FULL;
        for (int layer = 0; layer < model.numLayers(); layer++) {
            boolean sparse = model.isMoeLayer(layer);
            ScatterMode mlp = mlpMode(sparse, args);
            ScatterMode output = layer == model.numLayers() - 1 ? ScatterMode.TP_ATTN_FULL
                    : (mlp == ScatterMode.FULL ? ScatterMode.TP_ATTN_FULL : mlp);
            layers.add(new LayerScatterModes(layer, sparse, previousOutput, ScatterMode.TP_ATTN_FULL, mlp, output,
                    args.attnTpSize()));
            previousOutput = output;
        }
        return List.copyOf(layers);
    }

    /** srt/layers/communicator.py:101-114 and :137-138. */
    private static ScatterMode mlpMode(boolean sparse, ServerArgs args) {
        boolean scattered = sparse ? args.enableDeepepMoe() : Integer.valueOf(1).equals(args.moeDenseTpSize());
        if (scattered) {
            return ScatterMode.SCATTERED;
        }
        return args.enableDpAttention() ? ScatterMode.FULL : ScatterMode.TP_ATTN_FULL;
    }

    /** {@code communicator.prepare_attn}: layer input to attention placement. */
    public Transition prepareAttn() {
        return Transition.between(layerInput, attn, attnTpSize);
    }

    /**
     * {@code communicator.prepare_mlp}: attention output to MLP input placement. Attention leaves
     * partial sums ({@code o_proj} does not reduce, srt/models/deepseek_v2.py:1624), so between
     * placements of the same group size this step is the all-reduce over the attention-TP group
     * ({@code _gather_hidden_states_and_residual} with one attention-DP rank, communicator.py:316-323,
     * 398-400); it is trivial only when attention-TP is 1.
     */
    public Transition prepareMlp() {
        if (attn == mlp) {
            return attnTpSize > 1 ? Transition.ATTN_TP_ALL_REDUCE : Transition.NONE;
        }
        return Transition.between(attn, mlp, attnTpSize);
    }

    /** {@code communicator.postprocess_layer}: MLP output to layer output placement. */
    public Transition postprocessLayer() {
        return Transition.between(mlp, layerOutput, attnTpSize);
    }

    /**
     * What batch state an operation of this layer reads beyond the hidden states (see
     * {@link BatchStateRead}); the communicator steps follow the transitions of
     * srt/layers/communicator.py:259-535, the MoE operations srt/models/deepseek_v2.py:522-600.
     */
    public BatchStateRead readOf(LayerStage stage) {
        boolean attnTpGroup = attnTpSize > 1;
        return switch (stage) {
            // SCATTERED -> TP_ATTN_FULL differ in group size only with attention-TP > 1.
            case COMM_PREPARE_ATTN -> layerInput == ScatterMode.SCATTERED && attnTpGroup
                    ? BatchStateRead.GATHERED_BUFFER_SLICE : BatchStateRead.NONE;
            case COMM_PREPARE_MLP -> mlp != ScatterMode.FULL ? BatchStateRead.NONE
                    : layerInput == ScatterMode.SCATTERED && attnTpGroup ? BatchStateRead.RESIDUAL_GATHER_AND_DP_GATHER
                    : BatchStateRead.DP_GATHER;
            case SELECT_EXPERTS, DISPATCH_A -> sparse && mlp != ScatterMode.SCATTERED
                    ? BatchStateRead.DEEPEP_MOE_ATTRIBUTES : BatchStateRead.NONE;
            case COMM_POSTPROCESS_LAYER -> mlp == ScatterMode.FULL ? BatchStateRead.DP_SCATTER
                    : mlp == ScatterMode.SCATTERED && layerOutput == ScatterMode.TP_ATTN_FULL && attnTpGroup
                    ? BatchStateRead.GATHERED_BUFFER_SLICE : BatchStateRead.NONE;
            default -> BatchStateRead.NONE;
        };
    }

    /** Whether any step of this layer reads the batch's global token counts. */
    public boolean needsGlobalTokenCounts() {
        return prepareAttn().readsGlobalTokenCounts() || prepareMlp().readsGlobalTokenCounts()
                || postprocessLayer().readsGlobalTokenCounts();
    }
}

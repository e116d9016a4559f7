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
 * all-to-all instead). A dense layer's MLP is FULL unless {@code moe_dense_tp_size == 1}; the spec
 * names TP_ATTN_FULL for that case (upstream code says SCATTERED; the two coincide when
 * attention-TP is 1, and neither gathers across DP ranks). The last layer returns to the model's
 * input/output mode, TP_ATTN_FULL.
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

    private static ScatterMode mlpMode(boolean sparse, ServerArgs args) {
        if (!args.enableDpAttention()) {
            // Without DP attention there is one DP rank: every mode is the whole batch.
            return ScatterMode.TP_ATTN_FULL;
        }
        if (sparse) {
            return args.enableDeepepMoe() ? ScatterMode.SCATTERED : ScatterMode.FULL;
        }
        return Integer.valueOf(1).equals(args.moeDenseTpSize()) ? ScatterMode.TP_ATTN_FULL : ScatterMode.FULL;
    }

    /** {@code communicator.prepare_attn}: layer input to attention placement. */
    public Transition prepareAttn() {
        return Transition.between(layerInput, attn, attnTpSize);
    }

    /** {@code communicator.prepare_mlp}: attention output to MLP input placement. */
    public Transition prepareMlp() {
        return Transition.between(attn, mlp, attnTpSize);
    }

    /** {@code communicator.postprocess_layer}: MLP output to layer output placement. */
    public Transition postprocessLayer() {
        return Transition.between(mlp, layerOutput, attnTpSize);
    }

    /** Whether any step of this layer reads the batch's global token counts. */
    public boolean needsGlobalTokenCounts() {
        return prepareAttn().readsGlobalTokenCounts() || prepareMlp().readsGlobalTokenCounts()
                || postprocessLayer().readsGlobalTokenCounts();
    }
}

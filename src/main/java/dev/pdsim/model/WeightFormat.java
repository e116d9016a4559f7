package dev.pdsim.model;

/**
 * How a checkpoint stores the weights of its linear layers, as its config.json
 * {@code quantization_config} says, and what one parameter takes in memory.
 *
 * @param quantMethod   the checkpoint's {@code quant_method}, which SGLang takes as {@code --quantization}
 *                      when none is given and checks a given one against (srt/configs/model_config.py:384-417)
 * @param bytesPerParam bytes of one weight, its share of the scales included
 */
public record WeightFormat(String quantMethod, String description, double bytesPerParam) {
    /**
     * DeepSeek's own V3 and R1 release: e4m3 weights, one byte each, with one float32 scale per
     * 128 x 128 block ({@code weight_block_size} [128, 128]); SGLang keeps them in that form
     * (srt/layers/quantization/fp8.py:166-178 picks the FP8 method for linear and MoE layers; the block
     * scales are float32, :286-293).
     */
    public static final WeightFormat FP8_BLOCK_128 = new WeightFormat("fp8",
            "FP8 e4m3 with a float32 scale per 128 x 128 block", 1 + 4.0 / (128 * 128));
}

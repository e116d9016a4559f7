package dev.pdsim.cluster;

/**
 * The operations of one DeepSeek MoE decoder layer as SGLang's two-batch overlap schedules them
 * ({@code deepseek_v2} op_* methods and the communicator steps). YIELD marks where one child
 * micro-batch hands the GPU to the other.
 */
public enum LayerStage {
    COMM_PREPARE_ATTN("comm_prepare_attn"),
    ATTN_PREPARE("attn.prepare"),
    ATTN_CORE("attn.core"),
    COMM_PREPARE_MLP("comm_prepare_mlp"),
    GATE("gate"),
    SELECT_EXPERTS("select_experts"),
    DISPATCH_A("dispatch_a"),
    DISPATCH_B("dispatch_b"),
    EXPERTS("experts"),
    COMBINE_A("combine_a"),
    COMBINE_B("combine_b"),
    SHARED_EXPERTS("shared_experts"),
    OUTPUT("output"),
    /** The dense MLP of layers before first_k_dense_replace (not a TBO operation). */
    DENSE_MLP("mlp"),
    COMM_POSTPROCESS_LAYER("comm_postprocess_layer"),
    YIELD("|");

    private final String sglangName;

    LayerStage(String sglangName) {
        this.sglangName = sglangName;
    }

    /** The name SGLang uses for the operation (as in logs and the spec). */
    public String sglangName() {
        return sglangName;
    }
}

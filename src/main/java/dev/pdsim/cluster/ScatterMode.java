package dev.pdsim.cluster;

/**
 * Where hidden states live at one stage of a layer (SGLang's {@code communicator.ScatterMode}).
 * SCATTERED: each DP rank holds only its own tokens; TP_ATTN_FULL: the tokens of the attention-TP
 * group; FULL: every token of every DP rank, gathered.
 */
public enum ScatterMode {
    SCATTERED, TP_ATTN_FULL, FULL
}

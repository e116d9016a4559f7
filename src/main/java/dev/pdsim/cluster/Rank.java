package dev.pdsim.cluster;

/**
 * One GPU process of an SGLang instance.
 *
 * @param tpRank     rank inside the instance's TP group (0..tp_size-1); also the global GPU index
 * @param node       node index inside the instance
 * @param localGpu   GPU index inside its node
 * @param dpRank     {@code tp_rank / attn_tp_size}
 * @param attnTpRank {@code tp_rank % attn_tp_size}
 */
public record Rank(int tpRank, int node, int localGpu, int dpRank, int attnTpRank) {

    /** The prefix SGLang writes on each log line of this rank, e.g. {@code [DP0 TP0]}. */
    public String logPrefix() {
        return "[DP" + dpRank + " TP" + tpRank + "]";
    }
}

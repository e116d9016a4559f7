package dev.pdsim.cost;

/**
 * The time of one operation split by what bounds it, with the work behind it. A roofline term is
 * either compute-bound or memory-bound (whichever is longer counts, the other is hidden under it);
 * communication is time on a link; fixed is what does not shrink with the batch (kernel launches,
 * per-call latencies, scheduler work).
 *
 * @param computeNs time of the terms bounded by FLOPs
 * @param memoryNs  time of the terms bounded by HBM bytes
 * @param commNs    time on NVLink, RDMA or the CPU network
 * @param fixedNs   launches and per-call latencies
 * @param flops     arithmetic the operation performs
 * @param hbmBytes  bytes it reads and writes in HBM (weights, activations, KV cache)
 */
public record StageCost(long computeNs, long memoryNs, long commNs, long fixedNs, double flops, double hbmBytes) {
    public static final StageCost NONE = new StageCost(0, 0, 0, 0, 0, 0);

    public long totalNs() {
        return computeNs + memoryNs + commNs + fixedNs;
    }

    /** A roofline term: the longer of its compute and memory times, attributed to the one that binds. */
    static StageCost roofline(double flops, double computeNs, double bytes, double memoryNs) {
        return computeNs >= memoryNs ? new StageCost((long) computeNs, 0, 0, 0, flops, bytes)
                : new StageCost(0, (long) memoryNs, 0, 0, flops, bytes);
    }

    static StageCost fixed(long ns) {
        return new StageCost(0, 0, 0, ns, 0, 0);
    }

    static StageCost comm(long ns) {
        return new StageCost(0, 0, ns, 0, 0, 0);
    }

    /** Pure memory traffic (norms, casts, copies). */
    static StageCost memory(double bytes, double ns) {
        return new StageCost(0, (long) ns, 0, 0, 0, bytes);
    }

    public StageCost plus(StageCost o) {
        return new StageCost(computeNs + o.computeNs, memoryNs + o.memoryNs, commNs + o.commNs, fixedNs + o.fixedNs,
                flops + o.flops, hbmBytes + o.hbmBytes);
    }

    /** This cost {@code n} times over. */
    public StageCost times(long n) {
        return new StageCost(computeNs * n, memoryNs * n, commNs * n, fixedNs * n, flops * n, hbmBytes * n);
    }
}

package dev.pdsim.cost;

import dev.pdsim.cluster.InstanceTopology;

/** Creates the per-instance cost models and times the network between instances. */
public interface CostModel {

    InstanceCostModel forInstance(InstanceTopology topology);

    /** Time to move {@code bytes} of KV cache from one prefill rank to a decode rank over RDMA. */
    long kvTransferNs(long bytes);
}

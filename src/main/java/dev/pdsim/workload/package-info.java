/**
 * User traffic: request generators (Poisson arrivals, a closed loop of clients) and the samplers of
 * prompt and output lengths, each drawing from its own random stream. It depends on {@code engine}
 * (the clock and the streams) and {@code scenario} (the workload's description) and hands requests
 * to whoever submits them, without knowing the servers.
 */
package dev.pdsim.workload;

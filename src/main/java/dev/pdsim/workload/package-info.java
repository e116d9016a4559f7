/**
 * User traffic: request generators (Poisson arrivals, a closed loop of clients, the replay of a
 * Mooncake or CSV trace), the samplers of prompt and output lengths, and the prompts' shared
 * prefixes as blocks a prefix cache can match, each drawing from its own random stream. It depends
 * on {@code engine} (the clock and the streams) and {@code scenario} (the workload's description,
 * the trace already read) and hands requests to whoever submits them, without knowing the servers.
 */
package dev.pdsim.workload;

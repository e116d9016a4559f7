/**
 * The topology SGLang derives from a launch: nodes, GPUs and ranks, the TP, DP, attention-TP and EP
 * groups, each layer's scatter modes and the transitions between them, and the operation order of
 * a layer under two-batch overlap. It depends on {@code scenario} (the resolved server arguments)
 * and {@code model} (the layers), and is read by the cost model and the serving simulation.
 */
package dev.pdsim.cluster;

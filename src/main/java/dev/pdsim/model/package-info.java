/**
 * What is simulated, as data: the model's architecture (DeepSeek-V3/R1 by name, other MLA
 * MoE models and Qwen3-MoE's grouped-query attention as their config.json gives them), the hardware profiles read
 * from {@code hardware.yaml} (every constant of the cost model with its source), weights and
 * KV-cache memory per GPU, the CUDA-graph batch sizes, expert load and group-limited routing, and
 * the shape of a batch the cost model prices. It depends on no other pdsim package: scenarios name
 * a model and a hardware profile, and the cost model reads them, never the reverse.
 */
package dev.pdsim.model;

/**
 * The serving simulation: the router, prefill and decode instances with their per-DP-rank
 * schedulers and prefix caches (the radix cache of each prefill DP rank), the lock-step forward pass with the MLP sync and two-batch overlap, bootstrap,
 * preallocation and KV transfer, warmup, the watchdog, and the result of a run (outcome, failure
 * site, metrics), and under {@code --check} the catalogue of its {@link dev.pdsim.serving.Invariant}s.
 * It is driven by {@code engine}, timed by {@code cost}, fed by {@code workload},
 * with a {@code metadata} strategy plugged in, and writes to {@code metrics}; it may use every
 * package upstream of it and none downstream (experiment, report, cli).
 */
package dev.pdsim.serving;

package dev.pdsim.serving;

/**
 * ITERATION: one event per forward pass of an instance (all its DP ranks in lock-step).
 * LAYER: also one event per layer operation and TBO stage of each child, to show where a crash
 * happens and how the children overlap. Both give the same times.
 */
public enum Fidelity {
    ITERATION, LAYER
}

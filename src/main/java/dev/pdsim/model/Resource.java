package dev.pdsim.model;

/**
 * What an operation occupies on a GPU. Two-batch overlap gains because one child's COMM op runs
 * while the other child's COMPUTE op runs; two ops on the same resource serialise.
 */
public enum Resource {
    COMPUTE, COMM
}

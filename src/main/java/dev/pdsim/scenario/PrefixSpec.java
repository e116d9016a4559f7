package dev.pdsim.scenario;

/**
 * Shared prompt prefixes of a workload: every prompt starts with one of {@code groups} prefixes of
 * {@code length} tokens (a synthetic workload draws the group; a CSV trace names it per line, so
 * {@code groups} is 0 there).
 */
public record PrefixSpec(int groups, int length) {
}

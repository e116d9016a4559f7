/**
 * YAML with positions: a tree of nodes that remember their line and column, and a reader of
 * mappings that checks types, ranges and unknown keys and reports each problem at its place. It
 * knows nothing of scenarios (the scenario and sweep loaders use it) and depends only on
 * {@code diag}.
 */
package dev.pdsim.scenario.yaml;

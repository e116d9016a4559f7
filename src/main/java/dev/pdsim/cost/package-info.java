/**
 * The cost model: how long each operation of a layer, each collective, the MLP sync and a KV
 * transfer take on one instance, and which resource (compute or communication) each occupies. It
 * depends on {@code model} (architecture, hardware rates, expert load) and {@code cluster} (the
 * instance's layout), never on serving: the simulation asks it for times, pure functions of their
 * inputs.
 */
package dev.pdsim.cost;

/**
 * Forward-batch metadata and the switchable strategies that give TBO child batches their
 * {@code global_num_tokens}: the released (buggy) path, the patch, the None-check fallback and the
 * two workarounds, plus the DP-gather bookkeeping that decides whether a gather raises, hangs or
 * corrupts. It depends only on packages upstream of it (today just {@code diag}); the serving
 * simulation plugs a strategy in.
 */
package dev.pdsim.metadata;

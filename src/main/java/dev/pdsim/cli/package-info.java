/**
 * The {@code pdsim} command line (picocli): replay, sweep, bench, calibrate, validate, explain and
 * schema. Each command parses its arguments, calls the library and prints; an error becomes one
 * line and an exit code (2 for bad input, 1 for an internal error). It may depend on every other
 * package, and nothing depends on it.
 */
package dev.pdsim.cli;

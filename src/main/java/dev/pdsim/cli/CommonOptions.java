package dev.pdsim.cli;

import picocli.CommandLine.Option;

/** Options every command accepts. */
final class CommonOptions {
    @Option(names = "--verbose", description = "Print stack traces of internal errors.")
    boolean verbose;
}

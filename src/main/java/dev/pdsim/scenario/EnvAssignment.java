package dev.pdsim.scenario;

import dev.pdsim.diag.SourceLocation;

/** A leading {@code NAME=value} of a launch line. */
public record EnvAssignment(String name, String value, SourceLocation where) {
}

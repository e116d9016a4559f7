package dev.pdsim.scenario;

/** A leading {@code NAME=value} of a launch line. */
public record EnvAssignment(String name, String value, SourceLocation where) {
}

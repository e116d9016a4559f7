package dev.pdsim.scenario;

import dev.pdsim.diag.SourceLocation;

/** A flag's value as written, either on a launch line or as a structured YAML field. */
public record FlagValue(ServerFlag flag, String text, SourceLocation where, boolean fromLaunchLine) {
}

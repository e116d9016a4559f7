package dev.pdsim.scenario;

import java.util.List;

/**
 * Server arguments with the story of how they came to be: what SGLang adjusted silently, and which
 * flags and environment variables pdsim accepted without modelling them (shown by {@code explain}).
 */
public record ResolvedServerArgs(ServerArgs args, List<String> adjustments, List<String> ignoredFlags,
                                 List<String> ignoredEnvironment) {
}

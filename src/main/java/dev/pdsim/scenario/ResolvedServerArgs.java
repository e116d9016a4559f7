package dev.pdsim.scenario;

import java.util.List;

/**
 * Server arguments with the story of how they came to be: what SGLang adjusted silently, which
 * flags and environment variables pdsim accepted without modelling them, and the memory SGLang
 * sets up with them (all shown by {@code explain}).
 */
public record ResolvedServerArgs(ServerArgs args, InstanceMemory memory, List<String> adjustments,
                                 List<String> ignoredFlags, List<String> ignoredEnvironment) {
}

package dev.pdsim.scenario;

import java.util.List;

/**
 * Server arguments with the story of how they came to be: what SGLang adjusted silently, the flags
 * as written (the last of each), and the environment variables pdsim accepted without modelling them.
 * {@code explain} shows them by kind; the not-simulated ones are warnings of a run.
 *
 * @param flags the flags written, the last occurrence of each, in the order first written
 */
public record ResolvedServerArgs(ServerArgs args, List<String> adjustments, List<FlagValue> flags,
                                 List<String> ignoredEnvironment) {

    /** The flags of {@code kind} as a launch line writes them ({@code --host 0.0.0.0}). */
    public List<String> flagsOf(FlagKind kind) {
        return flags.stream().filter(v -> v.flag().kind() == kind).map(FlagValue::asWritten).toList();
    }

    /**
     * One line for each flag that changes SGLang's behaviour but is not simulated, written with a
     * value other than SGLang's default: what the results exclude.
     */
    public List<String> warnings() {
        return flags.stream().filter(v -> v.flag().kind() == FlagKind.NOT_SIMULATED)
                .filter(v -> !v.resolved() || !v.flag().isSglangDefault(v.value()))
                .map(v -> v.asWritten() + ": not simulated: " + v.flag().help()).toList();
    }
}

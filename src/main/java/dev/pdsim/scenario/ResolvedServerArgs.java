package dev.pdsim.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server arguments with the story of how they came to be: what SGLang adjusted silently, the flags
 * as written (the last of each), the environment variables pdsim accepted without modelling them,
 * and the memory SGLang sets up with them. {@code explain} shows them by kind; the not-simulated
 * flags are warnings of a run.
 *
 * @param flags the flags written, the last occurrence of each, in the order first written
 * @param substitutions what pdsim simulates in place of what the launch asks for (a checkpoint
 *                      format it does not model), each a warning of the run
 */
public record ResolvedServerArgs(ServerArgs args, InstanceMemory memory, List<String> adjustments,
                                 List<FlagValue> flags, List<String> ignoredEnvironment, List<String> substitutions) {
    /** Flags only a colocated server's scheduler reads: simulated there, warned about elsewhere. */
    private static final Set<String> COLOCATED_SCHEDULING = Set.of("schedule-conservativeness", "enable-mixed-chunk");

    /** The flags of {@code kind} as a launch line writes them ({@code --host 0.0.0.0}). */
    public List<String> flagsOf(FlagKind kind) {
        return flags.stream().filter(v -> v.flag().kind() == kind).map(FlagValue::asWritten).toList();
    }

    /**
     * What the results exclude: the flags that change SGLang's behaviour but are not simulated,
     * written with a value other than SGLang's default (those a colocated server simulates left out
     * for one), one line per consequence (the two acceptance thresholds of speculative decoding
     * make one line).
     */
    public List<String> warnings() {
        Map<String, List<String>> byConsequence = new LinkedHashMap<>();
        flags.stream().filter(v -> v.flag().kind() == FlagKind.NOT_SIMULATED)
                .filter(v -> !(args.disaggregationMode() == DisaggregationMode.NULL
                        && COLOCATED_SCHEDULING.contains(v.flag().name())))
                .filter(v -> !v.resolved() || !v.flag().isSglangDefault(v.value()))
                .forEach(v -> byConsequence.computeIfAbsent(v.flag().help(), h -> new ArrayList<>()).add(v.asWritten()));
        List<String> out = new ArrayList<>(byConsequence.entrySet().stream()
                .map(e -> String.join(", ", e.getValue()) + ": not simulated: " + e.getKey()).toList());
        out.addAll(substitutions);
        return List.copyOf(out);
    }
}

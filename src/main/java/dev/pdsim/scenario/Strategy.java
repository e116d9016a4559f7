package dev.pdsim.scenario;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.diag.Suggestions;
import java.util.List;
import java.util.Map;

/**
 * The metadata-initialisation strategy a scenario runs, by the names used in YAML and on the
 * command line; the metadata package maps each to its implementation. The two workarounds keep
 * the 0.4.8.post1 metadata and change the prefill launch instead ({@link #prefillLaunchChanges()}),
 * which the scenario applies when the strategy is chosen, re-validated like any launch.
 */
public enum Strategy implements NamedChoice {
    /** SGLang 0.4.8.post1 as released. */
    BUGGY("buggy", Map.of()),
    PATCHED("patched", Map.of()),
    NONE_CHECK("none-check", Map.of()),
    TBO_OFF("tbo-off", Map.of("enable-two-batch-overlap", "false")),
    /** Normal mode, because {@code auto} is rejected with DP attention at this tag. */
    DEEPEP("deepep", Map.of("enable-deepep-moe", "true", "deepep-mode", "normal"));

    private final String yamlName;
    private final Map<String, String> prefillLaunchChanges;

    Strategy(String yamlName, Map<String, String> prefillLaunchChanges) {
        this.yamlName = yamlName;
        this.prefillLaunchChanges = prefillLaunchChanges;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }

    /** Flags (dashed name to value) this strategy sets on every prefill launch; empty when none. */
    public Map<String, String> prefillLaunchChanges() {
        return prefillLaunchChanges;
    }

    /** Looks a strategy up; an unknown name is bad input, at {@code where}, naming the accepted ones. */
    public static Strategy byName(String name, String where) {
        List<String> names = NamedChoice.names(Strategy.class);
        return NamedChoice.find(Strategy.class, name).orElseThrow(() -> new InputException(SourceLocation.ofFile(where),
                "unknown strategy '" + name + "'; accepted: " + String.join(", ", names)
                        + Suggestions.didYouMean(name, names)));
    }
}

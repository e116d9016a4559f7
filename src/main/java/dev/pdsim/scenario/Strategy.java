package dev.pdsim.scenario;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Quote;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.diag.Suggestions;
import java.util.List;
import java.util.Map;

/**
 * The metadata-initialisation strategy a scenario runs, by the names used in YAML and on the
 * command line; the metadata package maps each to its implementation. The two workarounds keep
 * the 0.4.8.post1 metadata and change the launch of every instance that needs it instead
 * ({@link #launchChanges}), prefill and decode alike, which the scenario applies when the strategy
 * is chosen, re-validated like any launch.
 */
public enum Strategy implements NamedChoice {
    /** SGLang 0.4.8.post1 as released. */
    BUGGY("buggy"),
    PATCHED("patched"),
    NONE_CHECK("none-check"),
    TBO_OFF("tbo-off"),
    DEEPEP("deepep");

    private static final String TBO = "enable-two-batch-overlap";
    private static final String DEEPEP_MOE = "enable-deepep-moe";

    private final String yamlName;

    Strategy(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }

    /** Whether this strategy changes launches at all (the two workarounds). */
    public boolean changesLaunches() {
        return this == TBO_OFF || this == DEEPEP;
    }

    /**
     * Flags (dashed name to value) this strategy sets on an instance launched with {@code written};
     * empty when the launch does not need the workaround (no two-batch overlap, or DeepEP already on).
     * DeepEP's mode is {@code normal} for prefill and {@code low_latency} for decode, as SGLang's PD
     * deployments run them; {@code auto} is rejected with DP attention at this tag
     * (srt/server_args.py:402-405), so a colocated server, which extends prompts too, gets {@code normal}.
     */
    public Map<String, String> launchChanges(Role role, List<FlagValue> written) {
        boolean tbo = isOn(written, TBO);
        if (this == TBO_OFF && tbo) {
            return Map.of(TBO, "false");
        }
        if (this == DEEPEP && tbo && !isOn(written, DEEPEP_MOE)) {
            return Map.of(DEEPEP_MOE, "true", "deepep-mode", role == Role.DECODE ? "low_latency" : "normal");
        }
        return Map.of();
    }

    /** A switch as the launch leaves it: its last occurrence wins, as in argparse. */
    private static boolean isOn(List<FlagValue> written, String name) {
        boolean on = false;
        for (FlagValue v : written) {
            if (v.flag().name().equals(name) && v.resolved() && v.problem().isEmpty()) {
                on = Boolean.TRUE.equals(v.value());
            }
        }
        return on;
    }

    /** Looks a strategy up; an unknown name is bad input, at {@code where}, naming the accepted ones. */
    public static Strategy byName(String name, String where) {
        List<String> names = NamedChoice.names(Strategy.class);
        return NamedChoice.find(Strategy.class, name).orElseThrow(() -> new InputException(SourceLocation.ofFile(where),
                "unknown strategy " + Quote.of(name) + "; accepted: " + String.join(", ", names)
                        + Suggestions.didYouMean(name, names)));
    }
}

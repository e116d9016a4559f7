package dev.pdsim.scenario;

import dev.pdsim.diag.Problem;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Flags set on a loaded scenario's instances (a sweep's values, a strategy's launch changes),
 * re-resolved by the rules of a launch line. An instance keeps the flags as written apart from the
 * strategy's, so choosing another strategy starts again from what was written, and a strategy's
 * changes always come last (they win over a sweep's).
 */
final class LaunchOverrides {
    private LaunchOverrides() {
    }

    static Scenario withFlags(Scenario scenario, Role role, Map<String, String> flags, String why) {
        if (flags.isEmpty()) {
            return scenario;
        }
        return rewritten(scenario, role, why, spec -> {
            List<FlagValue> written = new ArrayList<>(spec.written());
            written.addAll(flagValues(flags, spec));
            return written;
        });
    }

    /** The scenario with the flags {@code names} (dashed) no longer written on any instance of {@code role}. */
    static Scenario withoutFlags(Scenario scenario, Role role, List<String> names, String why) {
        return rewritten(scenario, role, why, spec -> spec.written().stream()
                .filter(v -> !names.contains(v.flag().name())).toList());
    }

    /** Every instance of {@code role} re-resolved from the flags {@code rewrite} makes of what it wrote. */
    private static Scenario rewritten(Scenario scenario, Role role, String why,
                                      Function<InstanceSpec, List<FlagValue>> rewrite) {
        Problems problems = new Problems();
        List<InstanceSpec> changed = new ArrayList<>();
        for (InstanceSpec spec : scenario.instances()) {
            if (spec.role() != role) {
                changed.add(spec);
                continue;
            }
            List<FlagValue> written = rewrite.apply(spec);
            ResolvedServerArgs resolved = resolve(spec, written, scenario, why, problems);
            if (resolved != null) {
                changed.add(new InstanceSpec(spec.role(), spec.count(), spec.gpusPerNode(), resolved, spec.launch(),
                        spec.where(), List.copyOf(written), spec.environment()));
            }
        }
        problems.throwIfAny();
        Scenario asWritten = scenario.with(List.copyOf(changed), scenario.strategy());
        return scenario.strategy().changesLaunches() ? launchedUnder(asWritten, scenario.strategy()) : asWritten;
    }

    /**
     * {@code scenario} with every prefill and decode instance turned into a colocated server of the
     * same shape and flags ({@code --disaggregation-mode null}), so the GPU count stays the same.
     */
    static Scenario colocated(Scenario scenario) {
        Problems problems = new Problems();
        if (!scenario.faults().isEmpty()) {
            // Faults name the servers of the disaggregated layout (prefill-0, decode-1, KV links), which
            // the colocated one does not have.
            problems.add(SourceLocation.ofFile(scenario.sourceFile()), "serving colocated: the scenario's faults name "
                    + "its prefill and decode servers and KV links, which colocated serving replaces; drop the faults "
                    + "to compare the two modes");
        }
        List<InstanceSpec> changed = new ArrayList<>();
        for (InstanceSpec spec : scenario.instances()) {
            if (spec.role() == Role.COLOCATED) {
                changed.add(spec);
                continue;
            }
            List<FlagValue> written = new ArrayList<>(spec.written());
            written.addAll(flagValues(Map.of("disaggregation-mode", Role.COLOCATED.disaggregationMode()), spec));
            ResolvedServerArgs resolved = resolve(spec, written, scenario, "serving colocated", problems);
            if (resolved != null) {
                changed.add(new InstanceSpec(Role.COLOCATED, spec.count(), spec.gpusPerNode(), resolved, spec.launch(),
                        spec.where(), List.copyOf(written), spec.environment()));
            }
        }
        problems.throwIfAny();
        Scenario asWritten = scenario.with(List.copyOf(changed), scenario.strategy());
        return scenario.strategy().changesLaunches() ? launchedUnder(asWritten, scenario.strategy()) : asWritten;
    }

    static Scenario withStrategy(Scenario scenario, Strategy strategy) {
        if (!strategy.changesLaunches() && !scenario.strategy().changesLaunches()) {
            return scenario.with(scenario.instances(), strategy);
        }
        return launchedUnder(scenario, strategy);
    }

    /**
     * {@code scenario} with every launch resolved from what was written plus the launch changes of
     * {@code strategy} for that instance (none where it does not need them).
     */
    static Scenario launchedUnder(Scenario scenario, Strategy strategy) {
        Problems problems = new Problems();
        List<InstanceSpec> changed = new ArrayList<>();
        for (InstanceSpec spec : scenario.instances()) {
            List<FlagValue> launched = new ArrayList<>(spec.written());
            launched.addAll(flagValues(strategy.launchChanges(spec.role(), spec.written()), spec));
            ResolvedServerArgs resolved = resolve(spec, launched, scenario, "strategy " + strategy.yamlName(), problems);
            if (resolved != null) {
                changed.add(new InstanceSpec(spec.role(), spec.count(), spec.gpusPerNode(), resolved, spec.launch(),
                        spec.where(), spec.written(), spec.environment()));
            }
        }
        problems.throwIfAny();
        return scenario.with(List.copyOf(changed), strategy);
    }

    /** The flags as written at the instance, in name order so the result does not depend on a map's order. */
    private static List<FlagValue> flagValues(Map<String, String> flags, InstanceSpec spec) {
        return flags.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> new FlagValue(
                ServerFlags.find(e.getKey()).orElseThrow(), e.getValue(), spec.where(), false)).toList();
    }

    private static ResolvedServerArgs resolve(InstanceSpec spec, List<FlagValue> flags, Scenario scenario, String why,
                                              Problems problems) {
        Problems local = new Problems();
        ResolvedServerArgs resolved = ServerArgsResolver.resolve(flags, spec.environment(), scenario.model(), scenario.hardware(),
                spec.gpusPerNode(), spec.where(), local);
        for (Problem p : local.list()) {
            problems.add(p.where(), why + ": " + p.message());
        }
        return resolved;
    }
}

package dev.pdsim.scenario;

import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.ModelSpec;
import java.util.List;
import java.util.Map;

/**
 * A validated scenario: the cluster's instances with their resolved server arguments, the workload,
 * how long to simulate, and the metadata-initialisation strategy. Built only by {@link ScenarioLoader}.
 *
 * @param instances as launched under {@code strategy}: its launch changes are already applied
 * @param slo       the bounds that define goodput ({@link Slo#NONE} when the file gives none)
 * @param router    the router's policy and retries
 * @param faults    faults injected into the run, in the order listed (empty for none)
 * @param speculative how often servers running speculative decoding accept draft tokens
 */
public record Scenario(String name, String sourceFile, String description, long seed, ModelSpec model,
                       HardwareProfile hardware, RouterSpec router, List<InstanceSpec> instances,
                       WorkloadSpec workload, double durationS, Strategy strategy, Slo slo,
                       List<Fault> faults, SpeculativeAcceptance speculative) {

    /**
     * The scenario under {@code newStrategy}: prefill launches re-resolved with its launch changes
     * instead of the current strategy's; an {@link dev.pdsim.diag.InputException} when they break a rule.
     */
    public Scenario withStrategy(Strategy newStrategy) {
        return LaunchOverrides.withStrategy(this, newStrategy);
    }

    /**
     * The scenario with {@code flags} (dashed name to value) set on every instance of {@code role},
     * re-validated by the same rules as a launch line, the strategy's launch changes still applied
     * last. {@code why} prefixes any problem, so a user sees what, not their file, broke a rule.
     */
    public Scenario withFlags(Role role, Map<String, String> flags, String why) {
        return LaunchOverrides.withFlags(this, role, flags, why);
    }

    /** The scenario with the flags {@code names} (dashed) removed from every instance of {@code role}, re-validated. */
    public Scenario withoutFlags(Role role, List<String> names, String why) {
        return LaunchOverrides.withoutFlags(this, role, names, why);
    }

    Scenario with(List<InstanceSpec> newInstances, Strategy newStrategy) {
        return new Scenario(name, sourceFile, description, seed, model, hardware, router, newInstances, workload,
                durationS, newStrategy, slo, faults, speculative);
    }

    public Scenario withSeed(long newSeed) {
        return new Scenario(name, sourceFile, description, newSeed, model, hardware, router, instances, workload,
                durationS, strategy, slo, faults, speculative);
    }

    public Scenario withDuration(double newDurationS) {
        return new Scenario(name, sourceFile, description, seed, model, hardware, router, instances, workload,
                newDurationS, strategy, slo, faults, speculative);
    }

    public Scenario withWorkload(WorkloadSpec newWorkload) {
        return new Scenario(name, sourceFile, description, seed, model, hardware, router, instances, newWorkload,
                durationS, strategy, slo, faults, speculative);
    }

    public Scenario withSlo(Slo newSlo) {
        return new Scenario(name, sourceFile, description, seed, model, hardware, router, instances, workload,
                durationS, strategy, newSlo, faults, speculative);
    }

    public Scenario withAcceptance(SpeculativeAcceptance newAcceptance) {
        return new Scenario(name, sourceFile, description, seed, model, hardware, router, instances, workload,
                durationS, strategy, slo, faults, newAcceptance);
    }

    public Scenario withName(String newName) {
        return new Scenario(newName, sourceFile, description, seed, model, hardware, router, instances, workload,
                durationS, strategy, slo, faults, speculative);
    }

    /**
     * The same GPUs served without disaggregation: every prefill and decode instance becomes a
     * colocated server of its own shape and flags.
     *
     * @throws dev.pdsim.diag.InputException when SGLang would refuse one of those servers
     */
    public Scenario withColocatedServing() {
        return LaunchOverrides.colocated(this);
    }

    /** The scenario with every instance group of {@code role} set to {@code count} identical instances. */
    public Scenario withInstanceCount(Role role, int count) {
        List<InstanceSpec> changed = instances.stream().map(i -> i.role() != role ? i
                : new InstanceSpec(i.role(), count, i.gpusPerNode(), i.resolved(), i.launch(), i.where(), i.written(),
                i.environment())).toList();
        return new Scenario(name, sourceFile, description, seed, model, hardware, router, changed, workload, durationS,
                strategy, slo, faults, speculative);
    }

    /** GPUs of all instances. */
    public int totalGpus() {
        return instances.stream().mapToInt(i -> i.count() * i.args().worldSize()).sum();
    }

    /**
     * What the results exclude: each instance's not-simulated flags, prefixed by its role, the same
     * line once however many instances share it.
     */
    public List<String> warnings() {
        return instances.stream().flatMap(i -> i.resolved().warnings().stream().map(w -> i.role().yamlName() + ": " + w))
                .distinct().toList();
    }

    public List<InstanceSpec> instances(Role role) {
        return instances.stream().filter(i -> i.role() == role).toList();
    }
}

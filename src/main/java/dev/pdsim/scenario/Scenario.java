package dev.pdsim.scenario;

import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.ModelSpec;
import java.util.List;

/**
 * A validated scenario: the cluster's instances with their resolved server arguments, the workload,
 * how long to simulate, and the metadata-initialisation strategy. Built only by {@link ScenarioLoader}.
 *
 * @param strategy one of {@link #STRATEGIES}; "buggy" is SGLang 0.4.8.post1 as released
 */
public record Scenario(String name, String sourceFile, String description, long seed, ModelSpec model,
                       HardwareProfile hardware, String router, List<InstanceSpec> instances,
                       WorkloadSpec workload, double durationS, String strategy) {

    /** Metadata-initialisation strategies, by the names used in YAML and on the command line. */
    public static final List<String> STRATEGIES = List.of("buggy", "patched", "none-check", "tbo-off", "deepep");
    public static final List<String> ROUTERS = List.of("round-robin", "random");

    public Scenario withStrategy(String newStrategy) {
        return new Scenario(name, sourceFile, description, seed, model, hardware, router, instances, workload, durationS,
                newStrategy);
    }

    public Scenario withSeed(long newSeed) {
        return new Scenario(name, sourceFile, description, newSeed, model, hardware, router, instances, workload,
                durationS, strategy);
    }

    public Scenario withDuration(double newDurationS) {
        return new Scenario(name, sourceFile, description, seed, model, hardware, router, instances, workload,
                newDurationS, strategy);
    }

    public Scenario withWorkload(WorkloadSpec newWorkload) {
        return new Scenario(name, sourceFile, description, seed, model, hardware, router, instances, newWorkload,
                durationS, strategy);
    }

    public Scenario withName(String newName) {
        return new Scenario(newName, sourceFile, description, seed, model, hardware, router, instances, workload,
                durationS, strategy);
    }

    /** The scenario with every instance group of {@code role} set to {@code count} identical instances. */
    public Scenario withInstanceCount(Role role, int count) {
        List<InstanceSpec> changed = instances.stream().map(i -> i.role() != role ? i
                : new InstanceSpec(i.role(), count, i.gpusPerNode(), i.resolved(), i.launch(), i.where(), i.written(),
                i.environment())).toList();
        return new Scenario(name, sourceFile, description, seed, model, hardware, router, changed, workload, durationS,
                strategy);
    }

    /** GPUs of all instances. */
    public int totalGpus() {
        return instances.stream().mapToInt(i -> i.count() * i.args().worldSize()).sum();
    }

    public List<InstanceSpec> instances(Role role) {
        return instances.stream().filter(i -> i.role() == role).toList();
    }
}

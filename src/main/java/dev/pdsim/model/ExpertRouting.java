package dev.pdsim.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How a workload's tokens pick their experts, as far as the load of the expert-parallel ranks goes. */
public enum ExpertRouting {
    /**
     * DeepSeek-V3's own router on real text: experts differ in popularity, and what a batch routes
     * drifts from what EPLB measured ({@link ExpertLoad}'s two fitted sigmas).
     */
    SKEWED("skewed"),
    /**
     * Every expert equally likely, as in benchmark-style runs that spread tokens evenly (DeepSeek's
     * profile-data "simulate an absolutely balanced MoE routing strategy"; DeepEP's and DeepGEMM's
     * benchmarks route uniformly): the only imbalance left is the Poisson noise of a finite batch.
     */
    BALANCED("balanced");

    private final String yamlName;

    ExpertRouting(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ExpertRouting::yamlName).toList();
    }

    public static Optional<ExpertRouting> byName(String name) {
        return Arrays.stream(values()).filter(r -> r.yamlName.equals(name)).findFirst();
    }
}

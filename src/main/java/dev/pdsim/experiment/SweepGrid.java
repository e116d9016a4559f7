package dev.pdsim.experiment;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problem;
import dev.pdsim.scenario.LengthSpec;
import dev.pdsim.scenario.NamedChoice;
import dev.pdsim.scenario.PrefixSpec;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.Strategy;
import dev.pdsim.scenario.WorkloadSpec;
import dev.pdsim.scenario.WorkloadType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The product of a sweep's axes, enumerated by index (mixed radix, last axis fastest, seeds
 * innermost), so a grid of a million points is never held in memory and every thread count sees
 * the same numbering.
 */
public final class SweepGrid {
    private final SweepSpec spec;

    public SweepGrid(SweepSpec spec) {
        this.spec = spec;
    }

    public long size() {
        return spec.size();
    }

    /** The combination at {@code index}: values applied to the base scenario, re-validated. */
    public Combination at(int index) {
        List<SweepAxis> axes = spec.axes();
        int[] choice = new int[axes.size()];
        long rest = index;
        long seed = spec.seeds().get((int) (rest % spec.seeds().size()));
        rest /= spec.seeds().size();
        for (int a = axes.size() - 1; a >= 0; a--) {
            int n = axes.get(a).values().size();
            choice[a] = (int) (rest % n);
            rest /= n;
        }
        List<String> labels = new ArrayList<>();
        Map<Role, Map<String, String>> flags = new LinkedHashMap<>();
        Map<Role, Integer> counts = new LinkedHashMap<>();
        Map<String, String> workload = new LinkedHashMap<>();
        Strategy strategy = null;
        for (int a = 0; a < axes.size(); a++) {
            SweepAxis axis = axes.get(a);
            labels.add(axis.label(choice[a]));
            Map<String, String> value = axis.values().get(choice[a]);
            switch (axis.target()) {
                case "prefill", "decode" -> {
                    Role role = axis.target().equals("prefill") ? Role.PREFILL : Role.DECODE;
                    value.forEach((k, v) -> {
                        if (k.equals("count")) {
                            counts.put(role, Integer.parseInt(v));
                        } else {
                            flags.computeIfAbsent(role, r -> new LinkedHashMap<>()).put(k.replace('_', '-'), v);
                        }
                    });
                }
                case "strategy" -> strategy = NamedChoice.find(Strategy.class, value.get("strategy")).orElseThrow();
                default -> workload.putAll(value);
            }
        }
        // A runbook's launch line is written for one node of the instance (--node-rank); a sweep
        // value that changes the node count describes the whole instance anew, so the line counts
        // as node 0's, and the combination is judged by the rules its own values break rather than
        // by a node rank the base file wrote for another node count.
        flags.values().stream().filter(f -> f.containsKey("nnodes")).forEach(f -> f.putIfAbsent("node-rank", "0"));
                Scenario s = spec.base().withSeed(seed);
        try {
            if (strategy != null) {
                s = s.withStrategy(strategy);
            }
            for (var e : flags.entrySet()) {
                s = s.withFlags(e.getKey(), e.getValue(), "sweep");
            }
        } catch (InputException e) {
            String reason = e.problems().stream().map(Problem::message).map(m -> m.replaceFirst("^sweep: ", ""))
                    .collect(Collectors.joining("; "));
            return new Combination(index, List.copyOf(labels), seed, null, reason);
        }
        for (var e : counts.entrySet()) {
            s = s.withInstanceCount(e.getKey(), e.getValue());
        }
        if (!workload.isEmpty()) {
            s = s.withWorkload(withWorkload(s.workload(), workload));
        }
        return new Combination(index, List.copyOf(labels), seed, s, null);
    }

    private static WorkloadSpec withWorkload(WorkloadSpec w, Map<String, String> v) {
        WorkloadType type = v.containsKey("type") ? NamedChoice.find(WorkloadType.class, v.get("type")).orElseThrow()
                : v.containsKey("concurrency") ? WorkloadType.CONCURRENCY : v.containsKey("rate") ? WorkloadType.POISSON
                : w.type();
        double rate = v.containsKey("rate") ? Double.parseDouble(v.get("rate")) : w.rate();
        int concurrency = v.containsKey("concurrency") ? Integer.parseInt(v.get("concurrency")) : w.concurrency();
        LengthSpec in = v.containsKey("input_len") ? new LengthSpec.Fixed(Integer.parseInt(v.get("input_len"))) : w.inputLen();
        LengthSpec out = v.containsKey("output_len") ? new LengthSpec.Fixed(Integer.parseInt(v.get("output_len"))) : w.outputLen();
        // A trace's prefix groups are named by its lines; drawn traffic keeps only groups it can draw.
        PrefixSpec prefix = w.prefix() != null && w.prefix().groups() > 0 ? w.prefix() : null;
        return new WorkloadSpec(type, rate, concurrency, in, out, w.maxRequests(), prefix, null);
    }

    /** Whether a valid combination passes the GPU-count bounds. */
    public boolean admitted(Combination c) {
        if (!c.valid()) {
            return true;
        }
        int gpus = c.scenario().totalGpus();
        return gpus >= spec.minGpus() && gpus <= spec.maxGpus();
    }

    public List<String> columns() {
        return spec.axes().stream().map(SweepAxis::name).toList();
    }
}

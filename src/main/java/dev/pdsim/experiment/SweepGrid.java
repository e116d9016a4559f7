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
import dev.pdsim.scenario.yaml.YamlNumbers;
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
        int[] choice = choices(index);
        long seed = spec.seeds().get(index % spec.seeds().size());
        List<String> labels = new ArrayList<>();
        Map<Role, Map<String, String>> flags = new LinkedHashMap<>();
        Map<Role, Integer> counts = new LinkedHashMap<>();
        Map<String, String> workload = new LinkedHashMap<>();
        Strategy strategy = null;
        Map<String, String> speculative = null;
        boolean colocated = false;
        for (int a = 0; a < axes.size(); a++) {
            SweepAxis axis = axes.get(a);
            labels.add(axis.label(choice[a]));
            Map<String, String> value = axis.values().get(choice[a]);
            switch (axis.target()) {
                case "prefill", "decode" -> {
                    Role role = axis.target().equals("prefill") ? Role.PREFILL : Role.DECODE;
                    value.forEach((k, v) -> {
                        if (k.equals("count")) {
                            counts.put(role, (int) YamlNumbers.integer(v));
                        } else {
                            flags.computeIfAbsent(role, r -> new LinkedHashMap<>()).put(k.replace('_', '-'), v);
                        }
                    });
                }
                case "strategy" -> strategy = NamedChoice.find(Strategy.class, value.get("strategy")).orElseThrow();
                case SpeculativeAxis.NAME -> speculative = value;
                case "serving" -> colocated = value.get("serving").equals("colocated");
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
            for (var e : counts.entrySet()) {
                s = s.withInstanceCount(e.getKey(), e.getValue());
            }
            if (speculative != null) {
                s = SpeculativeAxis.apply(s, speculative);
            }
            if (colocated) {
                s = s.withColocatedServing(); // after the counts: they name the disaggregated roles
            }
        } catch (InputException e) {
            String reason = e.problems().stream().map(Problem::message).map(m -> m.replaceFirst("^sweep: ", ""))
                    .collect(Collectors.joining("; "));
            return new Combination(index, List.copyOf(labels), seed, null, reason);
        }
        if (!workload.isEmpty()) {
            s = s.withWorkload(withWorkload(s.workload(), workload));
        }
        return new Combination(index, List.copyOf(labels), seed, s, null);
    }

    /** Each axis's value index at grid {@code index} (mixed radix, last axis fastest, seeds innermost). */
    private int[] choices(long index) {
        List<SweepAxis> axes = spec.axes();
        int[] choice = new int[axes.size()];
        long rest = index / spec.seeds().size();
        for (int a = axes.size() - 1; a >= 0; a--) {
            int n = axes.get(a).values().size();
            choice[a] = (int) (rest % n);
            rest /= n;
        }
        return choice;
    }

    /** Whether an axis changes how much work a row does: its instance counts or its workload. */
    public static boolean changesWork(SweepAxis axis) {
        return axis.target().equals("workload") || axis.name().endsWith(".count");
    }

    /**
     * The first row of each distinct work: the rows whose work-changing axes ({@link #changesWork})
     * take each combination of their values, every other axis at its first value, first seed.
     */
    public List<Integer> workRepresentatives() {
        List<SweepAxis> axes = spec.axes();
        List<Integer> rows = new ArrayList<>();
        rows.add(0);
        long stride = spec.seeds().size();
        for (int a = axes.size() - 1; a >= 0; a--) {
            int n = axes.get(a).values().size();
            if (changesWork(axes.get(a))) {
                List<Integer> more = new ArrayList<>();
                for (int v = 0; v < n; v++) {
                    for (int r : rows) {
                        more.add((int) (r + v * stride));
                    }
                }
                rows = more;
            }
            stride *= n;
        }
        rows.sort(null);
        return rows;
    }

    /** The base scenario with only the instance counts and the workload of row {@code index}: what its work depends on. */
    public Scenario workOf(int index) {
        List<SweepAxis> axes = spec.axes();
        int[] choice = choices(index);
        Scenario s = spec.base();
        Map<String, String> workload = new LinkedHashMap<>();
        for (int a = 0; a < axes.size(); a++) {
            Map<String, String> value = axes.get(a).values().get(choice[a]);
            if (axes.get(a).target().equals("workload")) {
                workload.putAll(value);
            } else if (value.containsKey("count")) {
                Role role = axes.get(a).target().equals("prefill") ? Role.PREFILL : Role.DECODE;
                s = s.withInstanceCount(role, (int) YamlNumbers.integer(value.get("count")));
            }
        }
        return workload.isEmpty() ? s : s.withWorkload(withWorkload(s.workload(), workload));
    }

    /** "name=value, ..." for the work-changing axes of row {@code index}. */
    public String workLabels(int index) {
        int[] choice = choices(index);
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < spec.axes().size(); a++) {
            SweepAxis axis = spec.axes().get(a);
            if (changesWork(axis)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(axis.name()).append('=').append(axis.label(choice[a]));
            }
        }
        return sb.toString();
    }

    private static WorkloadSpec withWorkload(WorkloadSpec w, Map<String, String> v) {
        WorkloadType type = v.containsKey("type") ? NamedChoice.find(WorkloadType.class, v.get("type")).orElseThrow()
                : v.containsKey("concurrency") ? WorkloadType.CONCURRENCY : v.containsKey("rate") ? WorkloadType.POISSON
                : w.type();
        double rate = v.containsKey("rate") ? YamlNumbers.decimal(v.get("rate")) : w.rate();
        int concurrency = v.containsKey("concurrency") ? (int) YamlNumbers.integer(v.get("concurrency")) : w.concurrency();
        LengthSpec in = v.containsKey("input_len") ? new LengthSpec.Fixed((int) YamlNumbers.integer(v.get("input_len")))
                : w.inputLen();
        LengthSpec out = v.containsKey("output_len") ? new LengthSpec.Fixed((int) YamlNumbers.integer(v.get("output_len")))
                : w.outputLen();
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

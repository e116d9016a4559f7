package dev.pdsim.experiment;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Numbers;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.Quote;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.diag.Suggestions;
import dev.pdsim.scenario.FlagValue;
import dev.pdsim.scenario.NamedChoice;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioFields;
import dev.pdsim.scenario.ScenarioLoader;
import dev.pdsim.scenario.ServerFlag;
import dev.pdsim.scenario.ServerFlags;
import dev.pdsim.scenario.Slo;
import dev.pdsim.scenario.Strategy;
import dev.pdsim.scenario.WorkloadType;
import dev.pdsim.scenario.yaml.InputFile;
import dev.pdsim.scenario.yaml.MappingReader;
import dev.pdsim.scenario.yaml.YamlNode;
import dev.pdsim.scenario.yaml.YamlNumbers;
import dev.pdsim.scenario.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads a sweep file. Axis values are checked against the flag catalogue (type and range) here, so
 * a typo fails before any simulation; rules between values (tp divisible by dp, ...) are checked
 * per combination, which becomes an "invalid" row rather than an error.
 */
public final class SweepLoader {
    /** Above this the grid is surely a mistake (and would not fit an afternoon). */
    static final long MAX_COMBINATIONS = 1_000_000;
    /** Values of the {@code serving} axis. */
    static final List<String> SERVING_MODES = List.of("disaggregated", "colocated");
    static final List<String> WORKLOAD_FIELDS = List.of("type", "rate", "concurrency", "input_len", "output_len");

    private SweepLoader() {
    }

    public static SweepSpec load(Path file) {
        String text = InputFile.read(file, "a sweep YAML file");
        return parse(file.toString(), text, (base, where) -> readBase(file, base, where));
    }

    /** Rebuilds a sweep from its texts alone, as a Spark executor does: no file is read. */
    public static SweepSpec parse(SweepSource source) {
        return parse(source.file(), source.text(), (base, where) -> new SweepSource.Base(source.baseFile(),
                source.baseText()));
    }

    /** The base scenario named in a sweep file, relative to that file, shown relative to the working folder. */
    private static SweepSource.Base readBase(Path file, String baseText, SourceLocation where) {
        Path basePath = file.toAbsolutePath().getParent().resolve(InputFile.path(baseText, where, "base")).normalize();
        Path shown = Path.of("").toAbsolutePath().relativize(basePath);
        Path path = shown.toString().isEmpty() ? basePath : shown;
        return new SweepSource.Base(path.toString(), InputFile.read(path, "the base scenario YAML file"));
    }

    private static SweepSpec parse(String name, String text, BiFunction<String, SourceLocation, SweepSource.Base> bases) {
        Problems problems = new Problems();
        MappingReader top = MappingReader.of(YamlReader.read(name, text), problems, "");
        problems.throwIfAny();
        String baseText = top.string("base", null);
        if (baseText == null) {
            problems.add(top.where(), "missing field 'base': the scenario file the sweep varies (relative to this file)");
        }
        Double duration = top.decimal("duration_s", null, 0.001, 30 * 24 * 3600.0);
        List<Long> seeds = new ArrayList<>();
        for (YamlNode n : top.list("seeds")) {
            Long seed = n instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.INTEGER ? whole(s.text()) : null;
            if (seed != null && seed >= 0) {
                seeds.add(seed);
            } else {
                problems.add(n.where(), "seeds must be whole numbers 0.." + Long.MAX_VALUE + ", got " + n.kind());
            }
        }
        MappingReader sloReader = top.mapping("slo");
        Slo slo = sloReader == null ? null : ScenarioFields.readSlo(sloReader);
        int minGpus = 0;
        int maxGpus = Integer.MAX_VALUE;
        MappingReader constraints = top.mapping("constraints");
        if (constraints != null) {
            minGpus = constraints.integer("min_gpus", 0L, 0, 1_000_000).intValue();
            maxGpus = constraints.integer("max_gpus", (long) Integer.MAX_VALUE, 1, Integer.MAX_VALUE).intValue();
            constraints.finish();
        }
        List<SweepAxis> axes = new ArrayList<>();
        MappingReader axesReader = top.mapping("axes");
        if (axesReader == null) {
            problems.add(top.where(), "missing field 'axes' (prefill, decode, serving, strategy, speculative, workload)");
        } else {
            readAxes(axesReader, problems, axes);
        }
        top.finish();
        problems.throwIfAny();

        SweepSource.Base baseSource = bases.apply(baseText, top.where("base"));
        Scenario base = ScenarioLoader.parse(baseSource.file(), baseSource.text());
        if (duration != null) {
            base = base.withDuration(duration);
        }
        checkLengthAxesApply(base, axes, axesReader, baseSource.file());
        if (slo != null) {
            base = base.withSlo(slo); // the sweep's SLO replaces the base scenario's
        }
        if (seeds.isEmpty()) {
            seeds.add(base.seed());
        }
        SweepSpec spec = new SweepSpec(name, base, List.copyOf(axes), List.copyOf(seeds), minGpus, maxGpus,
                new SweepSource(name, text, baseSource.file(), baseSource.text()));
        if (spec.size() > MAX_COMBINATIONS) {
            throw new InputException(top.where(), "the grid has " + (spec.size() == Long.MAX_VALUE ? "more than "
                    + (Long.MAX_VALUE - 1) : spec.size()) + " combinations; at most "
                    + MAX_COMBINATIONS + " are accepted: remove values or split the sweep");
        }
        return spec;
    }

    /** The axes in their grid order: each instance role's, then serving, the strategy, speculative decoding, the workload's. */
    private static void readAxes(MappingReader axes, Problems problems, List<SweepAxis> out) {
        for (String role : List.of("prefill", "decode")) {
            MappingReader r = axes.mapping(role);
            if (r != null) {
                readInstanceAxes(role, r, problems, out);
            }
        }
        YamlNode serving = axes.node("serving");
        if (serving != null) {
            out.add(new SweepAxis("serving", "serving", values(serving, "serving", problems,
                    v -> servingValue(v, problems))));
        }
        YamlNode strategy = axes.node("strategy");
        if (strategy != null) {
            out.add(new SweepAxis("strategy", "strategy", values(strategy, "strategy", problems,
                    v -> strategyValue(v, problems))));
        }
        YamlNode speculative = axes.node(SpeculativeAxis.NAME);
        if (speculative != null) {
            out.add(new SweepAxis(SpeculativeAxis.NAME, SpeculativeAxis.NAME, values(speculative, SpeculativeAxis.NAME,
                    problems, v -> SpeculativeAxis.value(v, problems))));
        }
        MappingReader w = axes.mapping("workload");
        if (w != null) {
            readWorkloadAxes(w, problems, out);
        }
        axes.finish();
    }

    /** One role's axes: its layouts, its instance count, then any server flag, in catalogue order. */
    private static void readInstanceAxes(String role, MappingReader r, Problems problems, List<SweepAxis> out) {
        YamlNode layouts = r.node("layout");
        if (layouts != null) {
            out.add(new SweepAxis(role + ".layout", role, bundles(layouts, role + ".layout", problems)));
        }
        YamlNode count = r.node("count");
        if (count != null) {
            out.add(new SweepAxis(role + ".count", role, values(count, role + ".count", problems,
                    v -> countValue(role, v, problems))));
        }
        for (ServerFlag flag : ServerFlags.all()) {
            YamlNode n = r.node(flag.fieldName());
            if (n != null) {
                String field = role + "." + flag.fieldName();
                out.add(new SweepAxis(field, role, values(n, field, problems, v -> flagAxisValue(flag, field, v, problems))));
            }
        }
        r.finish();
    }

    private static Map<String, String> countValue(String role, YamlNode v, Problems problems) {
        Long count = v instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.INTEGER ? whole(s.text()) : null;
        if (count == null || count < ScenarioFields.COUNT.min() || count > ScenarioFields.COUNT.max()) {
            problems.add(v.where(), role + ".count values must be whole numbers " + ScenarioFields.COUNT.min() + ".."
                    + ScenarioFields.COUNT.max() + ", got " + v.kind());
            return null;
        }
        return Map.of("count", ((YamlNode.Scalar) v).text());
    }

    /** A server flag's value, checked for its type and range now so that a typo fails before any run. */
    private static Map<String, String> flagAxisValue(ServerFlag flag, String field, YamlNode v, Problems problems) {
        FlagValue fv = ScenarioLoader.flagValue(flag, v, field, problems);
        if (fv == null) {
            return null;
        }
        try {
            fv.value();
        } catch (IllegalArgumentException e) {
            problems.add(v.where(), field + ": " + e.getMessage());
            return null;
        }
        return Map.of(flag.fieldName(), fv.text());
    }

    /** {@code disaggregated} (the base as written) or {@code colocated} (see {@link SweepGrid#at}). */
    private static Map<String, String> servingValue(YamlNode v, Problems problems) {
        String s = v instanceof YamlNode.Scalar sc ? sc.text() : "";
        if (!SERVING_MODES.contains(s)) {
            problems.add(v.where(), "serving " + Quote.of(s) + " is not accepted; choose from "
                    + String.join(", ", SERVING_MODES) + Suggestions.didYouMean(s, SERVING_MODES));
            return null;
        }
        return Map.of("serving", s);
    }

    private static Map<String, String> strategyValue(YamlNode v, Problems problems) {
        String s = v instanceof YamlNode.Scalar sc ? sc.text() : "";
        List<String> strategies = NamedChoice.names(Strategy.class);
        if (!strategies.contains(s)) {
            problems.add(v.where(), "strategy " + Quote.of(s) + " is not accepted; choose from "
                    + String.join(", ", strategies) + Suggestions.didYouMean(s, strategies));
            return null;
        }
        return Map.of("strategy", s);
    }

    /**
     * A trace's file gives every length, so length axes over a replayed trace would change nothing;
     * they apply once a type, rate or concurrency axis makes the traffic drawn.
     */
    private static void checkLengthAxesApply(Scenario base, List<SweepAxis> axes, MappingReader axesReader,
                                             String baseFile) {
        List<String> names = axes.stream().map(SweepAxis::name).toList();
        boolean lengths = names.contains("workload.input_len") || names.contains("workload.output_len");
        boolean drawn = names.contains("workload.type") || names.contains("workload.rate")
                || names.contains("workload.concurrency");
        if (base.workload().type() == WorkloadType.TRACE && lengths && !drawn) {
            throw new InputException(axesReader.where("workload"), "workload.input_len and workload.output_len axes "
                    + "do not apply to the trace " + baseFile + " replays, whose file gives every length; add a rate "
                    + "or concurrency axis to vary drawn traffic instead");
        }
    }

    private static void readWorkloadAxes(MappingReader w, Problems problems, List<SweepAxis> out) {
        for (String key : WORKLOAD_FIELDS) {
            YamlNode n = w.node(key);
            if (n != null) {
                out.add(new SweepAxis("workload." + key, "workload", values(n, "workload." + key, problems,
                        v -> workloadValue(key, v, problems))));
            }
        }
        if (w.has("rate") && w.has("concurrency")) {
            problems.add(w.where(), "workload axes: give rate (Poisson) or concurrency (closed loop), not both");
        }
        w.finish();
    }

    private static Map<String, String> workloadValue(String key, YamlNode v, Problems problems) {
        if (!(v instanceof YamlNode.Scalar s) || s.type() == YamlNode.ScalarType.NULL) {
            problems.add(v.where(), "workload." + key + " values must be single values, got " + v.kind());
            return null;
        }
        boolean number = s.type() == YamlNode.ScalarType.INTEGER || s.type() == YamlNode.ScalarType.DECIMAL;
        Double rate = key.equals("rate") && number ? decimal(s.text()) : null;
        Long whole = s.type() == YamlNode.ScalarType.INTEGER ? whole(s.text()) : null;
        long maxWhole = key.equals("concurrency") ? ScenarioFields.CONCURRENCY.max() : ScenarioFields.MAX_TOKENS;
        boolean ok = switch (key) {
            case "type" -> WorkloadType.syntheticNames().contains(s.text());
            case "rate" -> rate != null && rate >= ScenarioFields.RATE.min() && rate <= ScenarioFields.RATE.max();
            default -> whole != null && whole >= 1 && whole <= maxWhole;
        };
        if (!ok) {
            problems.add(v.where(), "workload." + key + " = " + Quote.of(s.text()) + " is not accepted ("
                    + (key.equals("type") ? String.join(" or ", WorkloadType.syntheticNames())
                    : key.equals("rate") ? "a number of requests per second, " + Numbers.plain(ScenarioFields.RATE.min())
                    + ".." + Numbers.plain(ScenarioFields.RATE.max())
                    : "a whole number of " + (key.equals("concurrency") ? "clients" : "tokens") + ", 1.." + maxWhole) + ")");
            return null;
        }
        return Map.of(key, s.text());
    }

    /** A whole number as YAML writes it ({@code 0x10}, {@code 1_000}); null when it is none or does not fit a long. */
    private static Long whole(String text) {
        try {
            return YamlNumbers.integer(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double decimal(String text) {
        try {
            return YamlNumbers.decimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private interface ValueReader {
        Map<String, String> read(YamlNode value);
    }

    private static List<Map<String, String>> values(YamlNode n, String field, Problems problems, ValueReader reader) {
        List<YamlNode> items = n instanceof YamlNode.Sequence seq ? seq.items() : List.of(n);
        if (items.isEmpty()) {
            problems.add(n.where(), field + " lists no values");
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (YamlNode item : items) {
            Map<String, String> v = reader.read(item);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** A layout axis: a list of mappings of flags set together. */
    private static List<Map<String, String>> bundles(YamlNode n, String field, Problems problems) {
        List<Map<String, String>> out = new ArrayList<>();
        List<YamlNode> items = n instanceof YamlNode.Sequence seq ? seq.items() : List.of();
        if (items.isEmpty()) {
            problems.add(n.where(), field + " must be a list of mappings such as {nnodes: 2, tp_size: 16, dp_size: 16}");
        }
        for (YamlNode item : items) {
            MappingReader m = MappingReader.of(item, problems, field);
            if (m == null) {
                continue;
            }
            Map<String, String> bundle = new LinkedHashMap<>();
            if (item instanceof YamlNode.Mapping mapping) {
                for (YamlNode.Entry e : mapping.entries().values()) {
                    var flag = ServerFlags.find(e.key());
                    if (flag.isEmpty() || !flag.get().fieldName().equals(e.key())) {
                        continue; // reported as unknown by finish()
                    }
                    FlagValue fv = ScenarioLoader.flagValue(flag.get(), m.node(e.key()), field + "." + e.key(), problems);
                    if (fv != null) {
                        bundle.put(e.key(), fv.text());
                    }
                }
            }
            ServerFlags.all().forEach(f -> m.node(f.fieldName()));
            m.finish();
            out.add(bundle);
        }
        return out;
    }
}

package dev.pdsim.scenario;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problem;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.ModelSpec;
import dev.pdsim.scenario.yaml.MappingReader;
import dev.pdsim.scenario.yaml.YamlNode;
import dev.pdsim.scenario.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and validates a scenario file. Every problem in the file is reported at once, each with
 * its {@code file:line:column}; nothing is thrown but {@link InputException}.
 */
public final class ScenarioLoader {
    private static final long MAX_SEED = Long.MAX_VALUE;

    private ScenarioLoader() {
    }

    public static Scenario load(Path file) {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new InputException(SourceLocation.ofFile(name), "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new InputException(SourceLocation.ofFile(name), "is a directory; expected a scenario YAML file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new InputException(SourceLocation.ofFile(name), "is not UTF-8 text");
        } catch (IOException e) {
            throw new InputException(SourceLocation.ofFile(name), "cannot be read: " + e.getMessage());
        }
        return parse(name, text);
    }

    /** Parses scenario text; {@code fileName} is used in problem locations only. */
    public static Scenario parse(String fileName, String text) {
        YamlNode root = YamlReader.read(fileName, text);
        Problems problems = new Problems();
        MappingReader top = MappingReader.of(root, problems, "");
        problems.throwIfAny();

        String name = top.string("name", defaultName(fileName));
        String description = top.string("description", "");
        long seed = top.integer("seed", 1L, 0, MAX_SEED);
        String modelName = top.choice("model", "deepseek-v3", ModelSpec.names());
        String hardwareName = top.choice("hardware", "h100", HardwareProfile.names());
        String router = top.choice("router", "round-robin", Scenario.ROUTERS);
        double duration = top.decimal("duration_s", 600.0, 0.001, 30 * 24 * 3600.0);
        String strategy = top.choice("strategy", "buggy", Scenario.STRATEGIES);
        HardwareProfile hardware = HardwareProfile.byName(hardwareName).orElseThrow();
        ModelSpec model = ModelSpec.byName(modelName).orElseThrow();

        List<String> fileLines = text.lines().toList();
        List<InstanceSpec> instances = new ArrayList<>();
        YamlNode instancesNode = top.node("instances");
        if (instancesNode == null) {
            problems.add(top.where(), "missing field 'instances' (a list of prefill and decode instances)");
        }
        List<YamlNode> items = top.list("instances");
        for (int i = 0; i < items.size(); i++) {
            MappingReader r = MappingReader.of(items.get(i), problems, "instances[" + i + "]");
            if (r != null) {
                InstanceSpec spec = readInstance(r, hardware, fileLines);
                if (spec != null) {
                    instances.add(spec);
                }
            }
        }
        if (instancesNode != null && problems.isEmpty()) {
            // A decode-only scenario is fine when its decode servers use the fake transfer backend.
            boolean decodeOnly = !instances.isEmpty() && instances.stream().allMatch(
                    s -> s.role() == Role.DECODE && s.args().fakeTransfer());
            for (Role role : Role.values()) {
                if (!(decodeOnly && role == Role.PREFILL) && instances.stream().noneMatch(s -> s.role() == role)) {
                    problems.add(instancesNode.where(), "disaggregated serving needs at least one " + role.yamlName()
                            + " instance; none is listed" + (role == Role.PREFILL
                            ? " (a decode-only benchmark needs disaggregation_transfer_backend: fake)" : ""));
                }
            }
        }
        WorkloadSpec workload = readWorkload(top.mapping("workload"), problems, top.where());
        top.finish();
        problems.throwIfAny();
        return new Scenario(name, fileName, description, seed, model, hardware, router, List.copyOf(instances),
                workload, duration, strategy);
    }

    private static InstanceSpec readInstance(MappingReader r, HardwareProfile hardware, List<String> fileLines) {
        Problems problems = r.problems();
        int before = problems.list().size();
        String roleText = r.choice("role", null, List.of("prefill", "decode"));
        if (roleText == null && !r.has("role")) {
            problems.add(r.where(), "missing field " + r.field("role") + "; accepted values: prefill, decode");
        }
        Role role = roleText == null ? null : Role.valueOf(roleText.toUpperCase(java.util.Locale.ROOT));
        int roleProblems = problems.list().size() - before;
        int count = r.integer("count", 1L, 1, 1024).intValue();
        int gpusPerNode = r.integer("gpus_per_node", 8L, 1, 16).intValue();

        List<FlagValue> written = new ArrayList<>();
        List<EnvAssignment> env = new ArrayList<>();
        LaunchCommand launch = null;
        YamlNode launchNode = r.node("launch");
        if (launchNode instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.STRING) {
            launch = LaunchLineParser.parse(s.text(), new LaunchTextOrigin(s.where(), fileLines, s.text()), problems);
            written.addAll(launch.flags());
            env.addAll(launch.environment());
        } else if (launchNode != null) {
            problems.add(launchNode.where(), r.field("launch") + " must be the launch command as text "
                    + "(use 'launch: |' for several lines), got " + launchNode.kind());
        }
        List<FlagValue> fromLaunch = List.copyOf(written);
        for (ServerFlag flag : ServerFlags.all()) {
            YamlNode n = r.node(flag.fieldName());
            if (n == null) {
                continue;
            }
            FlagValue v = flagValue(flag, n, r.field(flag.fieldName()), problems);
            if (v == null) {
                continue;
            }
            fromLaunch.stream().filter(l -> l.flag().equals(flag)).findFirst().ifPresent(l -> {
                if (!l.text().equals(v.text())) {
                    problems.add(v.where(), r.field(flag.fieldName()) + " = " + v.text() + " contradicts --"
                            + flag.name() + " " + l.text() + " on the launch line at " + l.where());
                }
            });
            written.add(v);
        }
        if (role != null) {
            FlagValue modeFlag = written.stream().filter(v -> v.flag().name().equals("disaggregation-mode")).reduce((a, b) -> b)
                    .orElse(null);
            if (modeFlag == null) {
                written.add(0, new FlagValue(ServerFlags.find("disaggregation-mode").orElseThrow(), role.yamlName(),
                        r.where("role"), false));
            } else if (!modeFlag.text().equals(role.yamlName())) {
                problems.add(modeFlag.where(), "--disaggregation-mode " + modeFlag.text() + " contradicts "
                        + r.field("role") + " = " + role.yamlName());
            }
        }
        r.finish();
        // A bad role alone still lets the server-argument rules run, so every problem of the
        // instance is reported at once; a bad flag value would only make them report noise.
        if (problems.list().size() > before + roleProblems) {
            return null;
        }
        ResolvedServerArgs resolved = ServerArgsResolver.resolve(written, env, hardware, gpusPerNode, r.where(), problems);
        if (resolved == null || problems.list().size() > before) {
            return null;
        }
        return new InstanceSpec(role, count, gpusPerNode, resolved, launch, r.where(), List.copyOf(written),
                List.copyOf(env));
    }

    /**
     * The scenario with {@code flags} (dashed name to value) set on every instance of {@code role},
     * re-validated by the same rules as a launch line. {@code why} prefixes any problem, so a user
     * sees that a strategy's change, not their file, broke a rule.
     */
    public static Scenario withFlags(Scenario scenario, Role role, java.util.Map<String, String> flags, String why) {
        if (flags.isEmpty()) {
            return scenario;
        }
        Problems problems = new Problems();
        List<InstanceSpec> changed = new ArrayList<>();
        for (InstanceSpec spec : scenario.instances()) {
            if (spec.role() != role) {
                changed.add(spec);
                continue;
            }
            List<FlagValue> written = new ArrayList<>(spec.written());
            flags.entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> written.add(new FlagValue(
                    ServerFlags.find(e.getKey()).orElseThrow(), e.getValue(), spec.where(), false)));
            Problems local = new Problems();
            ResolvedServerArgs resolved = ServerArgsResolver.resolve(written, spec.environment(), scenario.hardware(),
                    spec.gpusPerNode(), spec.where(), local);
            for (Problem p : local.list()) {
                problems.add(p.where(), why + ": " + p.message());
            }
            if (resolved != null) {
                changed.add(new InstanceSpec(spec.role(), spec.count(), spec.gpusPerNode(), resolved, spec.launch(),
                        spec.where(), List.copyOf(written), spec.environment()));
            }
        }
        problems.throwIfAny();
        return new Scenario(scenario.name(), scenario.sourceFile(), scenario.description(), scenario.seed(),
                scenario.model(), scenario.hardware(), scenario.router(), List.copyOf(changed), scenario.workload(),
                scenario.durationS(), scenario.strategy());
    }

    /**
     * A structured field's value as flag text, after checking its YAML type matches the flag's;
     * null (with a problem recorded) when it does not. {@code field} names it in messages.
     */
    public static FlagValue flagValue(ServerFlag flag, YamlNode n, String field, Problems problems) {
        if (!(n instanceof YamlNode.Scalar s) || s.type() == YamlNode.ScalarType.NULL) {
            problems.add(n.where(), field + " must be a single value, got " + n.kind());
            return null;
        }
        boolean typeOk = switch (flag.type()) {
            case BOOLEAN -> s.type() == YamlNode.ScalarType.BOOLEAN;
            case INTEGER -> s.type() == YamlNode.ScalarType.INTEGER;
            case DECIMAL -> s.type() == YamlNode.ScalarType.INTEGER || s.type() == YamlNode.ScalarType.DECIMAL;
            case TEXT, CHOICE -> true;
        };
        if (!typeOk) {
            String expected = switch (flag.type()) {
                case BOOLEAN -> "true or false";
                case INTEGER -> "a whole number";
                default -> "a number";
            };
            problems.add(n.where(), field + " must be " + expected + ", got " + n.kind());
            return null;
        }
        return new FlagValue(flag, s.text(), n.where(), false);
    }

    private static WorkloadSpec readWorkload(MappingReader w, Problems problems, SourceLocation top) {
        if (w == null) {
            return new WorkloadSpec("poisson", 4.0, 0, new LengthSpec.Fixed(1024), new LengthSpec.Fixed(256), 0);
        }
        String type = w.choice("type", "poisson", WorkloadSpec.TYPES);
        double rate = w.decimal("rate", 4.0, 1e-6, 1e7);
        int concurrency = w.integer("concurrency", 64L, 1, 10_000_000).intValue();
        LengthSpec input = readLength(w, "input_len", 1024, problems);
        LengthSpec output = readLength(w, "output_len", 256, problems);
        long maxRequests = w.integer("max_requests", 0L, 0, 1_000_000_000_000L);
        if (type.equals("concurrency") && !w.has("concurrency")) {
            problems.add(w.where(), w.field("concurrency") + " is required when type is concurrency");
        }
        w.finish();
        return new WorkloadSpec(type, rate, concurrency, input, output, maxRequests);
    }

    private static final int MAX_TOKENS = 1 << 22;

    private static LengthSpec readLength(MappingReader w, String key, int fallback, Problems problems) {
        YamlNode n = w.node(key);
        if (n == null) {
            return new LengthSpec.Fixed(fallback);
        }
        if (n instanceof YamlNode.Scalar) {
            return new LengthSpec.Fixed(w.integer(key, (long) fallback, 1, MAX_TOKENS).intValue());
        }
        MappingReader d = w.mapping(key);
        if (d == null) {
            return new LengthSpec.Fixed(fallback);
        }
        String dist = d.choice("distribution", "fixed", List.of("fixed", "uniform", "lognormal"));
        LengthSpec spec;
        switch (dist) {
            case "uniform" -> {
                int min = d.integer("min", 1L, 1, MAX_TOKENS).intValue();
                int max = d.integer("max", (long) fallback, 1, MAX_TOKENS).intValue();
                if (min > max) {
                    problems.add(d.where(), d.field("min") + " = " + min + " is larger than max = " + max);
                }
                spec = new LengthSpec.Uniform(min, Math.max(min, max));
            }
            case "lognormal" -> {
                int median = d.integer("median", (long) fallback, 1, MAX_TOKENS).intValue();
                double sigma = d.decimal("sigma", 0.5, 0.0, 5.0);
                int min = d.integer("min", 1L, 1, MAX_TOKENS).intValue();
                int max = d.integer("max", (long) Math.min(MAX_TOKENS, median * 8L), 1, MAX_TOKENS).intValue();
                if (min > median || median > max) {
                    problems.add(d.where(), d.field("median") + " = " + median + " must lie within min = " + min
                            + " and max = " + max);
                }
                spec = new LengthSpec.LogNormal(median, sigma, min, Math.max(min, max));
            }
            default -> spec = new LengthSpec.Fixed(d.integer("tokens", (long) fallback, 1, MAX_TOKENS).intValue());
        }
        d.finish();
        return spec;
    }

    private static String defaultName(String fileName) {
        String base = Path.of(fileName).getFileName().toString();
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }
}

package dev.pdsim.scenario;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.model.ExpertRouting;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.ModelSpec;
import dev.pdsim.scenario.yaml.InputFile;
import dev.pdsim.scenario.yaml.MappingReader;
import dev.pdsim.scenario.yaml.YamlNode;
import dev.pdsim.scenario.yaml.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * Reads and validates a scenario file. Every problem in the file is reported at once, each with
 * its {@code file:line:column}; nothing is thrown but {@link InputException}.
 */
public final class ScenarioLoader {
    /** The fields a scenario file may have at its top level. */
    private static final List<String> TOP_LEVEL_FIELDS = List.of("name", "description", "seed", "model", "hardware",
            "routing", "router", "duration_s", "strategy", "vars", "instances", "workload");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ScenarioLoader() {
    }

    public static Scenario load(Path file) {
        return parse(file.toString(), InputFile.read(file, "a scenario YAML file"));
    }

    /** Parses scenario text; {@code fileName} is used in problem locations only. */
    public static Scenario parse(String fileName, String text) {
        YamlNode root = YamlReader.read(fileName, text);
        Problems problems = new Problems();
        MappingReader top = MappingReader.of(root, problems, "");
        problems.throwIfAny();
        if (((YamlNode.Mapping) root).entries().keySet().stream().noneMatch(TOP_LEVEL_FIELDS::contains)) {
            // Likely some other file a sweep's base or a typo pointed at: its keys are not echoed.
            throw new InputException(SourceLocation.ofFile(fileName), "is not a scenario file: none of its top-level"
                    + " keys is a scenario field (" + String.join(", ", TOP_LEVEL_FIELDS) + ")");
        }

        String name = top.string("name", defaultName(fileName));
        String description = top.string("description", "");
        long seed = ScenarioFields.SEED.read(top);
        ModelSpec namedOrRead = readModel(top, folderOf(fileName));
        String hardwareName = top.choice("hardware", ScenarioFields.HARDWARE, HardwareProfile.names());
        RouterSpec router = readRouter(top);
        double duration = ScenarioFields.DURATION.read(top);
        Strategy strategy = choice(top, "strategy", ScenarioFields.STRATEGY, Strategy.class);
        HardwareProfile hardware = HardwareProfile.byName(hardwareName).orElseThrow();
        String routingName = top.choice("routing", ScenarioFields.ROUTING.yamlName(), ExpertRouting.names());
        ModelSpec model = namedOrRead.withRouting(ExpertRouting.byName(routingName).orElseThrow());

        Map<String, String> vars = readVars(top);
        List<InstanceSpec> instances = readInstances(top, model, hardware, vars, text.lines().toList());
        WorkloadSpec workload = readWorkload(top.mapping("workload"), problems, folderOf(fileName));
        MappingReader sloReader = top.mapping("slo");
        Slo slo = sloReader == null ? Slo.NONE : ScenarioFields.readSlo(sloReader);
        SpeculativeAcceptance acceptance = ScenarioFields.readAcceptance(top.mapping(ScenarioFields.SPECULATIVE));
        // Faults name servers, so they are checked only once the instances are valid.
        List<Fault> faults = problems.isEmpty() ? FaultsReader.read(top, instances) : FaultsReader.skip(top);
        top.finish();
        problems.throwIfAny();
        Scenario asWritten = new Scenario(name, fileName, description, seed, model, hardware, router,
                List.copyOf(instances), workload, duration, strategy, slo, faults, acceptance);
        return strategy.changesLaunches() ? LaunchOverrides.launchedUnder(asWritten, strategy) : asWritten;
    }

    /**
     * {@code model}: a model pdsim knows by name, or {@code {config: path}}, a HuggingFace
     * config.json read from the scenario's folder. DeepSeek-V3 stands in for a model with problems,
     * so the rest of the file is still checked.
     */
    private static ModelSpec readModel(MappingReader top, Path folder) {
        if (!(top.node("model") instanceof YamlNode.Mapping)) {
            String name = top.choice("model", ScenarioFields.MODEL, ModelSpec.names());
            return ModelSpec.byName(name).orElseThrow();
        }
        MappingReader m = top.mapping("model");
        String path = m.string("config", null);
        m.finish();
        if (path == null) {
            if (!m.has("config")) { // a config that is not text is reported by m.string
                top.problems().add(m.where(), "model must be a model name (" + String.join(", ", ModelSpec.names())
                        + ") or {config: path/to/config.json}, a HuggingFace config.json relative to the scenario file");
            }
            return ModelSpec.DEEPSEEK_V3;
        }
        Path file = folder.resolve(InputFile.path(path, m.where("config"), "model.config"));
        ModelSpec read = HfModelConfig.read(file, m.where("config"), top.problems());
        return read == null ? ModelSpec.DEEPSEEK_V3 : read;
    }

    /**
     * {@code router}: a policy name ({@code router: round-robin}), or {@code {policy: round-robin,
     * retries: 2}} when the router retries failed requests.
     */
    private static RouterSpec readRouter(MappingReader top) {
        if (!(top.node("router") instanceof YamlNode.Mapping)) {
            return new RouterSpec(choice(top, "router", ScenarioFields.ROUTER, RouterPolicy.class), 0);
        }
        MappingReader r = top.mapping("router");
        RouterPolicy policy = choice(r, "policy", ScenarioFields.ROUTER, RouterPolicy.class);
        long retries = ScenarioFields.ROUTER_RETRIES.read(r);
        r.finish();
        return new RouterSpec(policy, (int) retries);
    }

    /** A field naming one value of {@code type}; {@code fallback} when absent or (with a problem) unknown. */
    private static <E extends Enum<E> & NamedChoice> E choice(MappingReader r, String key, E fallback, Class<E> type) {
        String name = r.choice(key, fallback.yamlName(), NamedChoice.names(type));
        return NamedChoice.find(type, name).orElseThrow();
    }

    /**
     * The {@code vars:} map: values for the variables of launch blocks, as the shell would have them
     * ({@code NUM_PREFILL_NODES: 4}); names as the shell allows them.
     */
    private static Map<String, String> readVars(MappingReader top) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (!(top.node("vars") instanceof YamlNode.Mapping m)) {
            if (top.node("vars") != null) {
                top.problems().add(top.node("vars").where(), top.field("vars") + " must be a mapping of variable names "
                        + "to values, such as NUM_PREFILL_NODES: 4, got " + top.node("vars").kind());
            }
            return vars;
        }
        for (YamlNode.Entry e : m.entries().values()) {
            if (!VARIABLE_NAME.matcher(e.key()).matches()) {
                top.problems().add(e.keyWhere(), "vars." + e.key() + " is not a shell variable name "
                        + "(letters, digits and _, not starting with a digit)");
            } else if (e.value() instanceof YamlNode.Scalar v && v.type() != YamlNode.ScalarType.NULL) {
                vars.put(e.key(), v.text());
            } else {
                top.problems().add(e.value().where(), "vars." + e.key() + " must be a single value, got "
                        + e.value().kind());
            }
        }
        return vars;
    }

    /** The {@code instances} list, checked to hold both halves of disaggregated serving. */
    private static List<InstanceSpec> readInstances(MappingReader top, ModelSpec model, HardwareProfile hardware,
                                                    Map<String, String> vars, List<String> fileLines) {
        Problems problems = top.problems();
        List<InstanceSpec> instances = new ArrayList<>();
        YamlNode instancesNode = top.node("instances");
        if (instancesNode == null) {
            problems.add(top.where(), "missing field 'instances' (a list of prefill and decode instances, or colocated ones)");
        }
        List<YamlNode> items = top.list("instances");
        for (int i = 0; i < items.size(); i++) {
            MappingReader r = MappingReader.of(items.get(i), problems, "instances[" + i + "]");
            if (r != null) {
                InstanceSpec spec = readInstance(r, model, hardware, vars, fileLines);
                if (spec != null) {
                    instances.add(spec);
                }
            }
        }
        if (instancesNode != null && problems.isEmpty()) {
            checkBothRoles(instances, instancesNode.where(), problems);
        }
        return instances;
    }

    /**
     * Disaggregated serving needs both halves; colocated servers alone need neither, but a scenario
     * that lists one half beside them still needs the other.
     */
    private static void checkBothRoles(List<InstanceSpec> instances, SourceLocation where, Problems problems) {
        // A decode-only scenario is fine when its decode servers use the fake transfer backend.
        List<InstanceSpec> disaggregated = instances.stream().filter(s -> s.role() != Role.COLOCATED).toList();
        boolean colocated = disaggregated.size() < instances.size();
        if (colocated && disaggregated.isEmpty()) {
            return;
        }
        boolean decodeOnly = !disaggregated.isEmpty() && disaggregated.stream().allMatch(
                s -> s.role() == Role.DECODE && s.args().fakeTransfer());
        for (Role role : List.of(Role.PREFILL, Role.DECODE)) {
            if (!(decodeOnly && role == Role.PREFILL) && disaggregated.stream().noneMatch(s -> s.role() == role)) {
                problems.add(where, "disaggregated serving needs at least one " + role.yamlName()
                        + " instance; none is listed" + (colocated ? " beside the colocated ones" : "")
                        + (role == Role.PREFILL ? " (a decode-only benchmark needs disaggregation_transfer_backend: fake)" : ""));
            }
        }
    }

    private static InstanceSpec readInstance(MappingReader r, ModelSpec model, HardwareProfile hardware,
                                             Map<String, String> vars,
                                             List<String> fileLines) {
        Problems problems = r.problems();
        int before = problems.list().size();
        Role writtenRole = readRole(r, r.has("launch"));
        int roleProblems = problems.list().size() - before;
        int count = (int) ScenarioFields.COUNT.read(r);
        int gpusPerNode = (int) ScenarioFields.GPUS_PER_NODE.read(r);
        LaunchCommand launch = readLaunch(r, vars, fileLines);
        List<FlagValue> written = new ArrayList<>(launch == null ? List.of() : launch.flags());
        List<EnvAssignment> env = launch == null ? List.of() : launch.environment();
        written.addAll(readFlagFields(r, List.copyOf(written)));
        int beforeSettling = problems.list().size();
        Role role = settleRole(r, writtenRole, launch != null, written);
        roleProblems += problems.list().size() - beforeSettling;
        r.finish();
        // Values are checked here, not only by the resolver, so they are reported with an unknown flag.
        written.forEach(v -> v.problem().ifPresent(message -> problems.add(v.where(), message)));
        // A bad role alone still lets the server-argument rules run, so every problem of the
        // instance is reported at once; a bad flag value would only make them report noise.
        if (problems.list().size() > before + roleProblems) {
            return null;
        }
        ResolvedServerArgs resolved = ServerArgsResolver.resolve(written, env, model, hardware, gpusPerNode, r.where(),
                problems);
        if (resolved == null || problems.list().size() > before) {
            return null;
        }
        return new InstanceSpec(role, count, gpusPerNode, resolved, launch, r.where(), List.copyOf(written),
                List.copyOf(env));
    }

    /**
     * The instance's role as written; null when it is unknown (with a problem), or missing: a problem
     * unless a launch line may give it.
     */
    private static Role readRole(MappingReader r, boolean launched) {
        List<String> roles = NamedChoice.names(Role.class);
        String roleText = r.choice("role", null, roles);
        if (roleText == null && !r.has("role") && !launched) {
            r.problems().add(r.where(), "missing field " + r.field("role") + "; accepted values: "
                    + String.join(", ", roles));
        }
        return roleText == null ? null : NamedChoice.find(Role.class, roleText).orElseThrow();
    }

    /** The parsed {@code launch} line; null when there is none (or, with a problem, it is not text). */
    private static LaunchCommand readLaunch(MappingReader r, Map<String, String> vars, List<String> fileLines) {
        YamlNode launchNode = r.node("launch");
        if (launchNode instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.STRING) {
            return LaunchLineParser.parse(s.text(), vars, new LaunchTextOrigin(s.where(), fileLines, s.text()),
                    r.problems());
        }
        if (launchNode != null) {
            r.problems().add(launchNode.where(), r.field("launch") + " must be the launch command as text "
                    + "(use 'launch: |' for several lines), got " + launchNode.kind());
        }
        return null;
    }

    /** Flags written as structured fields; one that contradicts the launch line is a problem. */
    private static List<FlagValue> readFlagFields(MappingReader r, List<FlagValue> fromLaunch) {
        List<FlagValue> fields = new ArrayList<>();
        for (ServerFlag flag : ServerFlags.all()) {
            YamlNode n = r.node(flag.fieldName());
            FlagValue v = n == null ? null : flagValue(flag, n, r.field(flag.fieldName()), r.problems());
            if (v == null) {
                continue;
            }
            fromLaunch.stream().filter(l -> l.flag().equals(flag)).findFirst().ifPresent(l -> {
                if (!l.text().equals(v.text())) {
                    r.problems().add(v.where(), r.field(flag.fieldName()) + " = " + v.text() + " contradicts --"
                            + flag.name() + " " + l.text() + " on the launch line at " + l.where());
                }
            });
            fields.add(v);
        }
        return fields;
    }

    /**
     * The role is the server's {@code --disaggregation-mode}. A launch line without the flag, or
     * with {@code null}, is a colocated server (srt/server_args.py:1547-1553, the flag's default is
     * "null"): with no {@code role} field the launch line says which role the instance has, and a
     * role written beside it must agree. With structured fields only, the flag is set from the role.
     *
     * @return the instance's role; null (with a problem) when neither says it, or they disagree
     */
    private static Role settleRole(MappingReader r, Role role, boolean launched, List<FlagValue> written) {
        FlagValue modeFlag = written.stream().filter(v -> v.flag().name().equals("disaggregation-mode"))
                .reduce((a, b) -> b).orElse(null);
        if (modeFlag == null && !launched) {
            if (role != null) {
                written.add(0, new FlagValue(ServerFlags.find("disaggregation-mode").orElseThrow(),
                        role.disaggregationMode(), r.where("role"), false));
            }
            return role;
        }
        if (modeFlag != null && !modeFlag.resolved()) {
            if (role == null) {
                r.problems().add(modeFlag.where(), "the role cannot be told from --disaggregation-mode "
                        + modeFlag.text() + "; write " + r.field("role") + " (accepted values: "
                        + String.join(", ", NamedChoice.names(Role.class)) + ")");
            }
            return role;
        }
        Role launchedRole = modeFlag == null ? Role.COLOCATED : roleOfMode(modeFlag.text());
        if (role == null || role == launchedRole || launchedRole == null) {
            return role == null ? launchedRole : role;
        }
        if (modeFlag == null) {
            r.problems().add(r.where("launch"), "the launch command has no --disaggregation-mode, so SGLang runs it "
                    + "colocated (prefill and decode in one server), but " + r.field("role") + " = " + role.yamlName()
                    + ": add --disaggregation-mode " + role.yamlName() + " or write role: colocated");
        } else {
            r.problems().add(modeFlag.where(), "--disaggregation-mode " + modeFlag.text() + " contradicts "
                    + r.field("role") + " = " + role.yamlName()
                    + (launchedRole == Role.COLOCATED ? " (null is a colocated server: write role: colocated)" : ""));
        }
        return null;
    }

    /** The role a resolved {@code --disaggregation-mode} value gives; null for a value the flag refuses. */
    private static Role roleOfMode(String mode) {
        for (Role role : Role.values()) {
            if (role.disaggregationMode().equals(mode)) {
                return role;
            }
        }
        return null;
    }

    /**
     * A structured field's value as flag text, after checking its YAML type matches the flag's;
     * null (with a problem recorded) when it does not. {@code field} names it in messages.
     */
    public static FlagValue flagValue(ServerFlag flag, YamlNode n, String field, Problems problems) {
        if (flag.arity().isList() && n instanceof YamlNode.Sequence list) {
            List<String> items = new ArrayList<>();
            for (YamlNode item : list.items()) {
                FlagValue v = flagValue(flag.single(), item, field, problems);
                if (v == null) {
                    return null;
                }
                items.add(v.text());
            }
            return new FlagValue(flag, String.join(" ", items), n.where(), false);
        }
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

    private static WorkloadSpec readWorkload(MappingReader w, Problems problems, Path folder) {
        if (w == null) {
            // The same as an empty workload block; its concurrency only matters to a sweep that
            // switches the type to concurrency without a concurrency axis.
            return new WorkloadSpec(ScenarioFields.WORKLOAD_TYPE, ScenarioFields.RATE.fallback(),
                    (int) ScenarioFields.CONCURRENCY.fallback(), new LengthSpec.Fixed(ScenarioFields.INPUT_LEN),
                    new LengthSpec.Fixed(ScenarioFields.OUTPUT_LEN), ScenarioFields.MAX_REQUESTS.fallback(), null, null);
        }
        WorkloadType type = choice(w, "type", ScenarioFields.WORKLOAD_TYPE, WorkloadType.class);
        if (type == WorkloadType.TRACE) {
            return readTraceWorkload(w, problems, folder);
        }
        double rate = ScenarioFields.RATE.read(w);
        int concurrency = (int) ScenarioFields.CONCURRENCY.read(w);
        LengthSpec input = readLength(w, "input_len", ScenarioFields.INPUT_LEN, problems);
        LengthSpec output = readLength(w, "output_len", ScenarioFields.OUTPUT_LEN, problems);
        long maxRequests = ScenarioFields.MAX_REQUESTS.read(w);
        if (type == WorkloadType.CONCURRENCY && !w.has("concurrency")) {
            problems.add(w.where(), w.field("concurrency") + " is required when type is concurrency");
        }
        PrefixSpec prefix = readPrefix(w, true);
        if (prefix != null && prefix.length() >= input.min()) {
            problems.add(w.where("prefix"), w.field("prefix.length") + " = " + prefix.length() + " must be shorter "
                    + "than every prompt, but input_len can be " + input.min());
        }
        w.finish();
        return new WorkloadSpec(type, rate, concurrency, input, output, maxRequests, prefix, null);
    }

    /**
     * A {@code type: trace} workload: the file is read here, so {@code validate} reports its problems
     * too. A CSV's prefix groups take their length from {@code prefix.length}; Mooncake's
     * {@code hash_ids} name the blocks themselves.
     */
    private static WorkloadSpec readTraceWorkload(MappingReader w, Problems problems, Path folder) {
        int before = problems.list().size();
        String fileText = w.string("file", null);
        TraceFormat format = choice(w, "format", ScenarioFields.TRACE_FORMAT, TraceFormat.class);
        double speedup = ScenarioFields.SPEEDUP.read(w);
        boolean loop = w.bool("loop", ScenarioFields.LOOP);
        long maxRequests = ScenarioFields.MAX_REQUESTS.read(w);
        PrefixSpec prefix = readPrefix(w, false);
        for (String synthetic : List.of("rate", "concurrency", "input_len", "output_len")) {
            if (w.has(synthetic)) {
                problems.add(w.where(synthetic), w.field(synthetic) + " does not apply to a trace, whose file gives "
                        + "every arrival and length");
            }
        }
        if (fileText == null) {
            problems.add(w.where(), w.field("file") + " is required when type is trace (a path relative to the "
                    + "scenario file)");
        }
        if (prefix != null && format == TraceFormat.MOONCAKE) {
            problems.add(w.where("prefix"), w.field("prefix") + " does not apply to a mooncake trace: its hash_ids "
                    + "name the shared blocks");
        }
        w.finish();
        if (fileText == null || problems.list().size() > before) {
            return null;
        }
        List<TraceRequest> requests = TraceReader.read(folder.resolve(fileText), format, problems, w.where("file"));
        if (requests == null) {
            return null;
        }
        checkPrefixGroups(requests, prefix, folder.resolve(fileText), w, problems);
        if (loop && requests.get(requests.size() - 1).offsetNs() == 0) {
            problems.add(w.where("loop"), w.field("loop") + " needs a trace whose requests span some time; every "
                    + "request of " + fileText + " arrives at once");
        }
        TraceSpec trace = new TraceSpec(folder.resolve(fileText).toString(), format, speedup, loop, requests);
        return new WorkloadSpec(WorkloadType.TRACE, ScenarioFields.RATE.fallback(),
                (int) ScenarioFields.CONCURRENCY.fallback(), range(requests, TraceRequest::inputLen),
                range(requests, TraceRequest::outputLen), maxRequests, prefix, trace);
    }

    /** A CSV's groups need {@code prefix.length}, and each grouped prompt must be longer than it. */
    private static void checkPrefixGroups(List<TraceRequest> requests, PrefixSpec prefix, Path file, MappingReader w,
                                          Problems problems) {
        TraceRequest grouped = requests.stream().filter(r -> r.prefixGroup() >= 0).findFirst().orElse(null);
        if (grouped != null && prefix == null) {
            problems.add(w.where(), "trace file " + file + " names prefix groups: give their length as "
                    + w.field("prefix") + ": {length: L}");
        } else if (grouped != null) {
            requests.stream().filter(r -> r.prefixGroup() >= 0 && r.inputLen() <= prefix.length()).findFirst()
                    .ifPresent(r -> problems.add(w.where("prefix"), w.field("prefix.length") + " = " + prefix.length()
                            + " must be shorter than every grouped prompt of " + file + ", but one has "
                            + r.inputLen() + " tokens"));
        }
    }

    private static LengthSpec range(List<TraceRequest> requests, ToIntFunction<TraceRequest> len) {
        int min = requests.stream().mapToInt(len).min().orElseThrow();
        int max = requests.stream().mapToInt(len).max().orElseThrow();
        return min == max ? new LengthSpec.Fixed(min) : new LengthSpec.Uniform(min, max);
    }

    /**
     * The {@code prefix} block, or null when absent. A synthetic workload draws the group, so it
     * needs {@code groups}; a trace names the group on each line, so it takes only {@code length}.
     */
    private static PrefixSpec readPrefix(MappingReader w, boolean synthetic) {
        MappingReader p = w.mapping("prefix");
        if (p == null) {
            return null;
        }
        Long length = required(p, ScenarioFields.PREFIX_LENGTH);
        Long groups = synthetic ? required(p, ScenarioFields.PREFIX_GROUPS) : Long.valueOf(0);
        p.finish();
        return length == null || groups == null ? null : new PrefixSpec(groups.intValue(), length.intValue());
    }

    private static Long required(MappingReader r, ScenarioFields.IntegerField f) {
        if (!r.has(f.key())) {
            r.problems().add(r.where(), "missing field " + r.field(f.key()) + " (" + f.description() + ")");
            return null;
        }
        return r.integer(f.key(), null, f.min(), f.max());
    }

    private static LengthSpec readLength(MappingReader w, String key, int fallback, Problems problems) {
        YamlNode n = w.node(key);
        if (n == null) {
            return new LengthSpec.Fixed(fallback);
        }
        if (n instanceof YamlNode.Scalar) {
            return new LengthSpec.Fixed(tokens(w, key, fallback));
        }
        MappingReader d = w.mapping(key);
        if (d == null) {
            return new LengthSpec.Fixed(fallback);
        }
        LengthSpec spec = switch (choice(d, "distribution", ScenarioFields.DISTRIBUTION, LengthDistribution.class)) {
            case UNIFORM -> {
                int min = tokens(d, "min", 1);
                int max = tokens(d, "max", fallback);
                if (min > max) {
                    problems.add(d.where(), d.field("min") + " = " + min + " is larger than max = " + max);
                }
                yield new LengthSpec.Uniform(min, Math.max(min, max));
            }
            case LOGNORMAL -> {
                int median = tokens(d, "median", fallback);
                double sigma = ScenarioFields.SIGMA.read(d);
                int min = tokens(d, "min", 1);
                int max = tokens(d, "max", (int) Math.min(ScenarioFields.MAX_TOKENS, median * 8L));
                if (min > median || median > max) {
                    problems.add(d.where(), d.field("median") + " = " + median + " must lie within min = " + min
                            + " and max = " + max);
                }
                yield new LengthSpec.LogNormal(median, sigma, min, Math.max(min, max));
            }
            case FIXED -> new LengthSpec.Fixed(tokens(d, "tokens", fallback));
        };
        d.finish();
        return spec;
    }

    private static int tokens(MappingReader r, String key, int fallback) {
        return r.integer(key, (long) fallback, 1, ScenarioFields.MAX_TOKENS).intValue();
    }

    /** Where paths written in the scenario are read from: the scenario file's folder. */
    private static Path folderOf(String fileName) {
        Path parent = Path.of(fileName).getParent();
        return parent == null ? Path.of("") : parent;
    }

    private static String defaultName(String fileName) {
        String base = Path.of(fileName).getFileName().toString();
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }
}

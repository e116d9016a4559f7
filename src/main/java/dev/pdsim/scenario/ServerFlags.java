package dev.pdsim.scenario;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code sglang.launch_server} flag of SGLang 0.4.8.post1, read from the flag table
 * {@code server-flags.tsv} beside this class (one row per {@code add_argument} call of
 * {@code ServerArgs.add_cli_args}, {@code srt/server_args.py:563-1617}). Structured YAML fields use
 * the same names with underscores, so both ways of writing an instance meet in one resolver
 * ({@link ServerArgsResolver}).
 */
public final class ServerFlags {
    private static final String TABLE = "server-flags.tsv";
    private static final Map<String, ServerFlag> BY_NAME = new LinkedHashMap<>();
    /** Every option string ({@code --tp-size}) to its flag. */
    private static final Map<String, ServerFlag> BY_OPTION = new LinkedHashMap<>();

    static {
        for (ServerFlag f : TsvResource.rows(ServerFlags.class, TABLE).stream().map(ServerFlags::row).toList()) {
            BY_NAME.put(f.name(), f);
            f.options().forEach(o -> BY_OPTION.put(o, f));
        }
    }

    private ServerFlags() {
    }

    /** Looks a flag up by its dashed name ({@code tp-size}), an option string without dashes, or its YAML field name. */
    public static Optional<ServerFlag> find(String name) {
        String dashed = name.replace('_', '-');
        ServerFlag f = BY_NAME.get(dashed);
        return Optional.ofNullable(f != null ? f : BY_OPTION.get("--" + dashed));
    }

    /**
     * The flag an option word names the way argparse ({@code allow_abbrev=True}) reads it: an
     * exact option string, else the only option string it is a prefix of; several is ambiguous.
     */
    public static OptionMatch match(String option) {
        ServerFlag exact = BY_OPTION.get(option);
        if (exact != null) {
            return new OptionMatch(option, exact, List.of());
        }
        List<String> candidates = BY_OPTION.keySet().stream().filter(o -> o.startsWith(option)).toList();
        return new OptionMatch(option, candidates.size() == 1 ? BY_OPTION.get(candidates.get(0)) : null, candidates);
    }

    public static Collection<ServerFlag> all() {
        return BY_NAME.values();
    }

    /** Every option string, aliases included. */
    public static List<String> options() {
        return List.copyOf(BY_OPTION.keySet());
    }

    private static ServerFlag row(Map<String, String> c) {
        List<String> choices = list(c.get("choices"));
        FlagType type = switch (c.get("type")) {
            case "switch" -> FlagType.BOOLEAN;
            case "int" -> FlagType.INTEGER;
            case "float" -> FlagType.DECIMAL;
            case "str" -> choices.isEmpty() ? FlagType.TEXT : FlagType.CHOICE;
            default -> throw new IllegalStateException(TABLE + ": unknown type " + c.get("type"));
        };
        FlagArity arity = switch (c.get("nargs")) {
            case "" -> FlagArity.ONE;
            case "+" -> FlagArity.ONE_OR_MORE;
            case "*" -> FlagArity.ANY;
            default -> throw new IllegalStateException(TABLE + ": unknown nargs " + c.get("nargs"));
        };
        FlagKind kind = FlagKind.byTableName(c.get("kind"))
                .orElseThrow(() -> new IllegalStateException(TABLE + ": unknown kind " + c.get("kind")));
        double min = c.get("min").isEmpty() ? Double.NEGATIVE_INFINITY : Double.parseDouble(c.get("min"));
        double max = c.get("max").isEmpty() ? Double.POSITIVE_INFINITY : Double.parseDouble(c.get("max"));
        List<String> options = List.of(c.get("options").split(" "));
        List<String> fieldChoices = list(c.get("pdsim_choices"));
        int line = Integer.parseInt(c.get("line"));
        // The flag without its typed default parses the default's text, so both follow one rule.
        ServerFlag untyped = new ServerFlag(c.get("name"), options, type, arity, kind, null, c.get("default"), min, max,
                choices, fieldChoices, line, c.get("pdsim"));
        String start = c.get("pdsim_default").isEmpty() ? c.get("default") : c.get("pdsim_default");
        Object defaultValue = start.equals("None") || arity.isList() ? null : untyped.parse(start, true);
        return new ServerFlag(c.get("name"), options, type, arity, kind, defaultValue, c.get("default"), min, max,
                choices, fieldChoices, line, c.get("pdsim"));
    }

    private static List<String> list(String cell) {
        return cell.isEmpty() ? List.of() : List.of(cell.split(","));
    }
}

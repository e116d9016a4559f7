package dev.pdsim.scenario;

import dev.pdsim.diag.Numbers;
import dev.pdsim.diag.Quote;
import dev.pdsim.diag.Suggestions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One {@code sglang.launch_server} flag of SGLang 0.4.8.post1, as {@code ServerArgs.add_cli_args}
 * registers it, with what pdsim does with it. Read from the flag table ({@link ServerFlags}).
 *
 * @param name          the ServerArgs field, dashed ({@code tp-size}); its YAML field uses underscores
 * @param options       every option string argparse accepts for it ({@code --tensor-parallel-size}, {@code --tp-size})
 * @param defaultValue  what pdsim starts from when the flag is not written, typed as {@link #parse} returns it;
 *                      null when SGLang leaves it unset
 * @param sglangDefault the argparse default as SGLang writes it ({@code None} when unset)
 * @param min           inclusive lower bound of a simulated number (argparse has none; -infinity when unbounded)
 * @param max           inclusive upper bound; bounds reject absurd values such as 10^12 nodes
 * @param choices       the values argparse accepts, compared after type conversion
 * @param fieldChoices  more values pdsim accepts in a structured YAML field, never on a launch line
 * @param line          the line of its {@code add_argument} call in {@code srt/server_args.py}
 * @param help          what pdsim does with it
 */
public record ServerFlag(String name, List<String> options, FlagType type, FlagArity arity, FlagKind kind,
                         Object defaultValue, String sglangDefault, double min, double max, List<String> choices,
                         List<String> fieldChoices, int line, String help) {

    /** Python's {@code int(str)}: sign, digits with single underscores between them, surrounding blanks. */
    private static final Pattern PYTHON_INT = Pattern.compile("\\s*[+-]?\\d+(_\\d+)*\\s*");
    private static final String DIGITS = "\\d+(_\\d+)*";
    /** Python's {@code float(str)}: decimals, exponents, underscores between digits, inf and nan. */
    private static final Pattern PYTHON_FLOAT = Pattern.compile("\\s*[+-]?((" + DIGITS + "(\\.(" + DIGITS + ")?)?|\\."
            + DIGITS + ")([eE][+-]?" + DIGITS + ")?|(?i:inf|infinity|nan))\\s*");

    /** The YAML field name of this flag: {@code tp-size} becomes {@code tp_size}. */
    public String fieldName() {
        return name.replace('-', '_');
    }

    /** The option string pdsim names it by: {@code --tp-size}. */
    public String option() {
        return "--" + name;
    }

    /** This flag taking one value: checks one item of a list written in YAML. */
    public ServerFlag single() {
        return new ServerFlag(name, options, type, FlagArity.ONE, kind, null, sglangDefault, min, max, choices,
                fieldChoices, line, help);
    }

    public boolean simulated() {
        return kind == FlagKind.SIMULATED;
    }

    /**
     * Converts a value's text to a typed value (a list for {@code nargs} flags, whose values are
     * separated by blanks), or throws with a message naming the flag, the value and what is
     * accepted; {@code asField} also accepts the YAML-only {@link #fieldChoices}.
     */
    public Object parse(String text, boolean asField) {
        if (!arity.isList()) {
            return parseOne(text, asField);
        }
        List<Object> values = new ArrayList<>();
        for (String item : text.isBlank() ? new String[0] : text.trim().split("\\s+")) {
            values.add(parseOne(item, asField));
        }
        if (arity == FlagArity.ONE_OR_MORE && values.isEmpty()) {
            throw new IllegalArgumentException(option() + " expects one or more values");
        }
        return List.copyOf(values);
    }

    /** Whether {@code value} (as {@link #parse} returned it) is SGLang's default, so writing it changes nothing. */
    public boolean isSglangDefault(Object value) {
        if (sglangDefault.equals("None") || arity.isList()) {
            return false;
        }
        // Every default of the table parses: ServerFlags parses them when it loads.
        return parseOne(sglangDefault, true).equals(value);
    }

    private Object parseOne(String text, boolean asField) {
        Object value = switch (type) {
            case BOOLEAN -> parseSwitch(text);
            case INTEGER -> parseInteger(text);
            case DECIMAL -> parseDecimal(text);
            case TEXT, CHOICE -> text;
        };
        if (!choices.isEmpty() && !accepted(value, asField)) {
            List<String> all = asField ? allChoices() : choices;
            throw new IllegalArgumentException(option() + " = " + Quote.of(text) + " is not accepted; choose one of "
                    + String.join(", ", all) + Suggestions.didYouMean(text, all));
        }
        return value;
    }

    private boolean accepted(Object value, boolean asField) {
        for (String c : asField ? allChoices() : choices) {
            if (value.equals(type == FlagType.INTEGER ? parseInteger(c) : c)) {
                return true;
            }
        }
        return false;
    }

    private List<String> allChoices() {
        List<String> all = new ArrayList<>(choices);
        all.addAll(fieldChoices);
        return all;
    }

    private Boolean parseSwitch(String text) {
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException(option() + " is a switch; it takes no value (got " + Quote.of(text) + ")");
    }

    /** An Integer when it fits, as every simulated flag's bounds ensure; a Long or BigInteger otherwise. */
    private Number parseInteger(String text) {
        if (!PYTHON_INT.matcher(text).matches()) {
            throw new IllegalArgumentException(option() + " must be a whole number, got " + Quote.of(text));
        }
        BigInteger v = new BigInteger(text.strip().replace("_", "").replaceFirst("^\\+", ""));
        if (v.compareTo(BigInteger.valueOf((long) Math.ceil(min))) < 0 && Double.isFinite(min)
                || Double.isFinite(max) && v.compareTo(BigInteger.valueOf((long) Math.floor(max))) > 0) {
            throw new IllegalArgumentException(option() + " = " + v + " is out of range; accepted "
                    + (long) min + ".." + (long) max);
        }
        if (v.bitLength() < Integer.SIZE) {
            return v.intValue();
        }
        return v.bitLength() < Long.SIZE ? (Number) v.longValue() : v;
    }

    private double parseDecimal(String text) {
        if (!PYTHON_FLOAT.matcher(text).matches()) {
            throw new IllegalArgumentException(option() + " must be a number, got " + Quote.of(text));
        }
        String plain = text.strip().replace("_", "").toLowerCase(Locale.ROOT);
        double v = plain.endsWith("nan") ? Double.NaN
                : plain.endsWith("inf") || plain.endsWith("infinity")
                ? (plain.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                : Double.parseDouble(plain);
        boolean bounded = Double.isFinite(min) || Double.isFinite(max);
        if (bounded && !(v >= min && v <= max)) {
            throw new IllegalArgumentException(option() + " = " + text.strip() + " is out of range; accepted "
                    + Numbers.plain(min) + ".." + Numbers.plain(max));
        }
        return v;
    }
}

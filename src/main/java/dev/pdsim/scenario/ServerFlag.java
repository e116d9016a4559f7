package dev.pdsim.scenario;

import dev.pdsim.diag.Numbers;
import dev.pdsim.diag.Suggestions;
import java.util.List;

/**
 * One {@code sglang.launch_server} flag as SGLang 0.4.8.post1 spells it. {@code simulated} flags
 * change what pdsim computes; the others are accepted (the reported lines use them) and listed as
 * ignored by {@code explain}.
 *
 * @param name         the dashed flag name without the leading {@code --}
 * @param defaultValue the value SGLang 0.4.8.post1 uses when the flag is not written, typed as {@link #parse}
 *                     returns it; null when it has none (the flag stays unset) or derives it from other values
 * @param min     inclusive lower bound for numbers
 * @param max     inclusive upper bound for numbers; bounds reject absurd values such as 10^12 nodes
 * @param choices accepted values of a CHOICE flag
 */
public record ServerFlag(String name, FlagType type, boolean simulated, Object defaultValue, double min, double max,
                         List<String> choices, String help) {

    /** The YAML field name of this flag: {@code tp-size} becomes {@code tp_size}. */
    public String fieldName() {
        return name.replace('-', '_');
    }

    /**
     * Converts a value's text to a typed value, or returns an error message naming the flag, the
     * value and what is accepted.
     */
    public Object parse(String text) throws IllegalArgumentException {
        switch (type) {
            case BOOLEAN -> {
                if (text.equalsIgnoreCase("true")) {
                    return Boolean.TRUE;
                }
                if (text.equalsIgnoreCase("false")) {
                    return Boolean.FALSE;
                }
                throw new IllegalArgumentException("--" + name + " is a switch; it takes no value (got '" + text + "')");
            }
            case INTEGER -> {
                long v;
                try {
                    v = Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + text + "'");
                }
                if (v < min || v > max) {
                    throw new IllegalArgumentException("--" + name + " = " + v + " is out of range; accepted "
                            + (long) min + ".." + (long) max);
                }
                return (int) v;
            }
            case DECIMAL -> {
                double v;
                try {
                    v = Double.parseDouble(text.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--" + name + " must be a number, got '" + text + "'");
                }
                if (!(v >= min && v <= max)) {
                    throw new IllegalArgumentException("--" + name + " = " + text + " is out of range; accepted "
                            + Numbers.plain(min) + ".." + Numbers.plain(max));
                }
                return v;
            }
            case CHOICE -> {
                for (String c : choices) {
                    if (c.equals(text)) {
                        return c;
                    }
                }
                throw new IllegalArgumentException("--" + name + " = '" + text + "' is not accepted; choose one of "
                        + String.join(", ", choices) + Suggestions.didYouMean(text, choices));
            }
            default -> {
                return text;
            }
        }
    }
}

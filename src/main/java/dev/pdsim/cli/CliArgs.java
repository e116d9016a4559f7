package dev.pdsim.cli;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.diag.Suggestions;
import dev.pdsim.report.TraceWindow;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Checks of option values that picocli's types do not express, with messages in the CLI's style. */
final class CliArgs {
    private CliArgs() {
    }

    static double positive(double value, String option) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InputException(SourceLocation.ofFile(option), "must be a positive number of seconds, got " + value);
        }
        return value;
    }

    /** {@code START:END} in simulated seconds, {@code 0 <= START < END}. */
    static TraceWindow traceWindow(String value, String option) {
        String[] parts = value.split(":", -1);
        if (parts.length == 2) {
            try {
                double start = Double.parseDouble(parts[0]);
                double end = Double.parseDouble(parts[1]);
                if (start >= 0 && end > start && Double.isFinite(end)) {
                    return new TraceWindow(Math.round(start * 1e9), Math.round(end * 1e9));
                }
            } catch (NumberFormatException e) {
                // reported below, with the accepted form
            }
        }
        throw new InputException(SourceLocation.ofFile(option), "'" + value + "' is not accepted; write START:END in "
                + "simulated seconds with 0 <= START < END, e.g. 0:10");
    }

    /** The names of an enum's values on the command line: its constants in lower case. */
    static <E extends Enum<E>> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(CliArgs::name).toList();
    }

    static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E choice(String value, String option, Class<E> type) {
        List<String> names = names(type);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new InputException(SourceLocation.ofFile(option), "'" + value + "' is not accepted; choose one of "
                + String.join(", ", names) + Suggestions.didYouMean(value, names));
    }
}

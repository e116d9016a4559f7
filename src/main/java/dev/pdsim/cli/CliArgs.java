package dev.pdsim.cli;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Numbers;
import dev.pdsim.diag.Quote;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.diag.Suggestions;
import dev.pdsim.report.TraceWindow;
import dev.pdsim.scenario.ScenarioFields;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Checks of option values that picocli's types do not express, with messages in the CLI's style. */
final class CliArgs {
    private CliArgs() {
    }

    /** A --duration: the same bounds as a scenario's duration_s, so the command line cannot ask for more. */
    static double duration(double value, String option) {
        double min = ScenarioFields.DURATION.min();
        double max = ScenarioFields.DURATION.max();
        if (!(value >= min && value <= max)) {
            throw new InputException(SourceLocation.ofFile(option), "must be between " + Numbers.plain(min) + " and "
                    + Numbers.plain(max) + " seconds (30 days, as duration_s), got " + Numbers.plain(value));
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
            if (name(e).equals(value)) { // exact: no case mapping, whose rules differ between locales
                return e;
            }
        }
        throw new InputException(SourceLocation.ofFile(option), Quote.of(value) + " is not accepted; choose one of "
                + String.join(", ", names) + Suggestions.didYouMean(value, names));
    }
}

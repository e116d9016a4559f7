package dev.pdsim.cli;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Numbers;
import dev.pdsim.diag.Quote;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.diag.Suggestions;
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

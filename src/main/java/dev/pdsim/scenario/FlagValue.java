package dev.pdsim.scenario;

import dev.pdsim.diag.SourceLocation;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A flag's value as written, either on a launch line or as a structured YAML field. A list flag's
 * values are separated by blanks.
 *
 * @param unset what the launch line's expansion could not give a value (variables, command
 *              substitutions); the text then keeps them as written and the value is not checked
 */
public record FlagValue(ServerFlag flag, String text, SourceLocation where, boolean fromLaunchLine,
                        List<String> unset) {

    public FlagValue(ServerFlag flag, String text, SourceLocation where, boolean fromLaunchLine) {
        this(flag, text, where, fromLaunchLine, List.of());
    }

    /** Whether every part of the value is known. */
    public boolean resolved() {
        return unset.isEmpty();
    }

    /** The typed value; an IllegalArgumentException when it is not accepted. */
    public Object value() {
        return flag.parse(text, !fromLaunchLine);
    }

    /**
     * Why the value is not accepted, naming it the way the user wrote it (the launch flag
     * {@code --tp-size} or the YAML field {@code tp_size}); empty when it is, or is not fully known.
     */
    public Optional<String> problem() {
        if (!resolved()) {
            return Optional.empty();
        }
        try {
            value();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(fromLaunchLine ? e.getMessage()
                    : e.getMessage().replaceFirst("^" + Pattern.quote(flag.option()), flag.fieldName()));
        }
    }

    /** The flag as a launch line writes it: {@code --host 0.0.0.0}, or {@code --trust-remote-code}. */
    public String asWritten() {
        return flag.option() + (flag.type() == FlagType.BOOLEAN && text.equalsIgnoreCase("true") ? "" : " " + text);
    }
}

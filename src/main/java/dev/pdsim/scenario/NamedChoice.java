package dev.pdsim.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A value chosen by its name in YAML and on the command line. The enum implementing it is the one
 * place its names are written; the loader, the schema and the CLI's help and completion read them.
 */
public interface NamedChoice {

    /** The name used in YAML and on the command line. */
    String yamlName();

    /** Every name of {@code type}, in declaration order. */
    static <E extends Enum<E> & NamedChoice> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(NamedChoice::yamlName).toList();
    }

    /** The value written {@code name} exactly, if any. */
    static <E extends Enum<E> & NamedChoice> Optional<E> find(Class<E> type, String name) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.yamlName().equals(name)).findFirst();
    }
}

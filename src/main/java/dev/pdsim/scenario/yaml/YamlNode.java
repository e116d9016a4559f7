package dev.pdsim.scenario.yaml;

import dev.pdsim.diag.Quote;
import dev.pdsim.diag.SourceLocation;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A YAML value that remembers where it stands in its file, so every validation message can point
 * at {@code file:line:column}. Jackson's tree model drops locations; this one keeps them.
 */
public sealed interface YamlNode {
    SourceLocation where();

    /** A human name for the kind of node, used in "expected a number, got a list" messages. */
    String kind();

    /** What YAML resolved a scalar to; {@code 16} is an INTEGER, {@code "16"} a STRING. */
    enum ScalarType { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    record Scalar(SourceLocation where, String text, ScalarType type) implements YamlNode {
        @Override
        public String kind() {
            return switch (type) {
                case NULL -> "null";
                case STRING -> "the text " + Quote.of(text);
                case INTEGER, DECIMAL -> "the number " + Quote.line(text, Quote.MAX_SHOWN);
                case BOOLEAN -> "the boolean " + text;
            };
        }
    }

    record Sequence(SourceLocation where, List<YamlNode> items) implements YamlNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** Keys keep file order; each key's own location is kept for "unknown field" messages. */
    record Mapping(SourceLocation where, LinkedHashMap<String, Entry> entries) implements YamlNode {
        @Override
        public String kind() {
            return "a mapping";
        }

        public YamlNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }
    }

    record Entry(String key, SourceLocation keyWhere, YamlNode value) {
    }
}

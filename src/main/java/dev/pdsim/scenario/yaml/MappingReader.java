package dev.pdsim.scenario.yaml;

import dev.pdsim.diag.Numbers;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.Quote;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.diag.Suggestions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Typed, located reads of one YAML mapping. Every read records the key as known; {@link #finish()}
 * then reports the keys nobody asked for as unknown fields, with a "did you mean" hint. Bad values
 * are added to {@link Problems} (never thrown) so one pass reports every mistake in a file.
 */
public final class MappingReader {
    private final YamlNode.Mapping mapping;
    private final Problems problems;
    private final String context;
    private final Set<String> known = new LinkedHashSet<>();

    public MappingReader(YamlNode.Mapping mapping, Problems problems, String context) {
        this.mapping = mapping;
        this.problems = problems;
        this.context = context;
    }

    /** Wraps {@code node} if it is a mapping; otherwise records a problem and returns null. */
    public static MappingReader of(YamlNode node, Problems problems, String context) {
        if (node instanceof YamlNode.Mapping m) {
            return new MappingReader(m, problems, context);
        }
        // The whole file is not a mapping: it may be any file a path pointed at, so none of it is echoed.
        problems.add(node.where(), context.isEmpty() ? "the file must be a YAML mapping of 'field: value' lines; it holds "
                + (node instanceof YamlNode.Scalar ? "a single value" : node.kind()) + launchHint(node)
                : context + " must be a mapping of 'field: value', got " + node.kind());
        return null;
    }

    public SourceLocation where() {
        return mapping.where();
    }

    /** A pasted launch command is the likeliest single value: say where it goes. */
    private static String launchHint(YamlNode node) {
        return node instanceof YamlNode.Scalar sc && sc.text().contains("sglang.launch_server")
                ? "; a launch command goes into a scenario as 'instances:' then '- launch: |' with the command indented "
                        + "below it (README, 'Launch blocks')" : "";
    }

    public String context() {
        return context;
    }

    public boolean has(String key) {
        known.add(key);
        YamlNode n = mapping.get(key);
        return n != null && !(n instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.NULL);
    }

    /** Location of a key's value, or of the mapping when the key is absent. */
    public SourceLocation where(String key) {
        YamlNode n = mapping.get(key);
        return n == null ? mapping.where() : n.where();
    }

    public YamlNode node(String key) {
        known.add(key);
        return mapping.get(key);
    }

    public Problems problems() {
        return problems;
    }

    public String string(String key, String fallback) {
        YamlNode n = node(key);
        if (n == null || isNull(n)) {
            return fallback;
        }
        if (n instanceof YamlNode.Scalar s) {
            return s.text();
        }
        problems.add(n.where(), field(key) + " must be text, got " + n.kind());
        return fallback;
    }

    /**
     * A value from a closed set, compared ignoring the case of ASCII letters only (so no locale's
     * case mapping, such as the dotless i, makes another word match); the message lists the accepted values.
     */
    public String choice(String key, String fallback, List<String> accepted) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        for (String a : accepted) {
            if (a.length() == v.length() && a.regionMatches(true, 0, v, 0, a.length()) && isAscii(v)) {
                return a;
            }
        }
        problems.add(where(key), field(key) + " is " + Quote.of(v) + "; accepted values: " + String.join(", ", accepted)
                + Suggestions.didYouMean(v, accepted));
        return fallback;
    }

    public Long integer(String key, Long fallback, long min, long max) {
        YamlNode n = node(key);
        if (n == null || isNull(n)) {
            return fallback;
        }
        if (n instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.INTEGER) {
            long v;
            try {
                v = YamlNumbers.integer(s.text());
            } catch (NumberFormatException e) {
                problems.add(n.where(), field(key) + " = " + Quote.of(s.text()) + " " + e.getMessage()
                        + "; accepted range " + min + ".." + max);
                return fallback;
            }
            if (v < min || v > max) {
                problems.add(n.where(), field(key) + " = " + v + " is out of range; accepted range " + min + ".." + max);
                return fallback;
            }
            return v;
        }
        problems.add(n.where(), field(key) + " must be a whole number, got " + n.kind());
        return fallback;
    }

    public Double decimal(String key, Double fallback, double min, double max) {
        YamlNode n = node(key);
        if (n == null || isNull(n)) {
            return fallback;
        }
        if (n instanceof YamlNode.Scalar s
                && (s.type() == YamlNode.ScalarType.INTEGER || s.type() == YamlNode.ScalarType.DECIMAL)) {
            double v;
            try {
                v = YamlNumbers.decimal(s.text());
            } catch (NumberFormatException e) {
                problems.add(n.where(), field(key) + " = " + Quote.of(s.text()) + " " + e.getMessage() + "; accepted range "
                        + Numbers.plain(min) + ".." + Numbers.plain(max));
                return fallback;
            }
            if (!(v >= min && v <= max)) {
                problems.add(n.where(), field(key) + " = " + Quote.of(s.text()) + " is out of range; accepted range "
                        + Numbers.plain(min) + ".." + Numbers.plain(max));
                return fallback;
            }
            return v;
        }
        problems.add(n.where(), field(key) + " must be a number, got " + n.kind());
        return fallback;
    }

    public Boolean bool(String key, Boolean fallback) {
        YamlNode n = node(key);
        if (n == null || isNull(n)) {
            return fallback;
        }
        if (n instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.BOOLEAN) {
            return Boolean.parseBoolean(s.text().toLowerCase(Locale.ROOT));
        }
        problems.add(n.where(), field(key) + " must be true or false, got " + n.kind());
        return fallback;
    }

    /** A nested mapping, or null when absent or not a mapping (the latter recorded as a problem). */
    public MappingReader mapping(String key) {
        YamlNode n = node(key);
        if (n == null || isNull(n)) {
            return null;
        }
        return of(n, problems, field(key));
    }

    /** A list's items, or an empty list when absent or not a list (the latter recorded as a problem). */
    public List<YamlNode> list(String key) {
        YamlNode n = node(key);
        if (n == null || isNull(n)) {
            return List.of();
        }
        if (n instanceof YamlNode.Sequence seq) {
            return seq.items();
        }
        problems.add(n.where(), field(key) + " must be a list, got " + n.kind());
        return List.of();
    }

    /** Reports every key that no read asked for, with the closest known key as a hint. */
    public void finish() {
        for (YamlNode.Entry e : mapping.entries().values()) {
            if (!known.contains(e.key())) {
                problems.add(e.keyWhere(), "unknown field " + Quote.of(e.key())
                        + (context.isEmpty() ? " at the top level" : " in " + context)
                        + Suggestions.didYouMean(e.key(), known));
            }
        }
    }

    public String field(String key) {
        return context.isEmpty() ? key : context + "." + key;
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    private static boolean isNull(YamlNode n) {
        return n instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.NULL;
    }
}

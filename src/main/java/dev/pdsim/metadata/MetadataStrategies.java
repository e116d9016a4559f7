package dev.pdsim.metadata;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.diag.Suggestions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The strategies by the names used in YAML and on the command line. */
public final class MetadataStrategies {
    private static final Map<String, MetadataStrategy> BY_NAME = new LinkedHashMap<>();

    static {
        for (MetadataStrategy s : List.of(new BuggyInitStrategy(), new PatchedInitStrategy(), new NoneCheckInitStrategy(),
                new TboOffStrategy(), new DeepEpStrategy())) {
            BY_NAME.put(s.name(), s);
        }
    }

    private MetadataStrategies() {
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    public static List<MetadataStrategy> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** Looks a strategy up; an unknown name is bad input naming the accepted ones. */
    public static MetadataStrategy byName(String name, String where) {
        MetadataStrategy s = BY_NAME.get(name);
        if (s == null) {
            throw new InputException(SourceLocation.ofFile(where), "unknown strategy '" + name + "'; accepted: "
                    + String.join(", ", BY_NAME.keySet()) + Suggestions.didYouMean(name, BY_NAME.keySet()));
        }
        return s;
    }
}

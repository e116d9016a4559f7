package dev.pdsim.metadata;

import dev.pdsim.scenario.Strategy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The implementation of each {@link Strategy}. */
public final class MetadataStrategies {
    private static final Map<Strategy, MetadataStrategy> BY_STRATEGY = new EnumMap<>(Strategy.class);

    static {
        for (MetadataStrategy s : List.of(new BuggyInitStrategy(), new PatchedInitStrategy(), new NoneCheckInitStrategy(),
                new TboOffStrategy(), new DeepEpStrategy())) {
            BY_STRATEGY.put(s.strategy(), s);
        }
    }

    private MetadataStrategies() {
    }

    /** Every implementation, in the order of {@link Strategy}. */
    public static List<MetadataStrategy> all() {
        return List.copyOf(BY_STRATEGY.values());
    }

    public static MetadataStrategy of(Strategy strategy) {
        return BY_STRATEGY.get(strategy);
    }
}

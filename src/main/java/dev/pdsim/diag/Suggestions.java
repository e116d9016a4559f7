package dev.pdsim.diag;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean" hints for misspelt names. */
public final class Suggestions {
    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private Suggestions() {
    }

    /** The known name closest to {@code unknown}, if it is close enough to be a plausible typo. */
    public static Optional<String> closest(String unknown, Collection<String> known) {
        String needle = normalise(unknown);
        return known.stream()
                .min(Comparator.comparingInt((String k) -> DISTANCE.apply(needle, normalise(k)))
                        .thenComparing(Comparator.naturalOrder()))
                .filter(k -> DISTANCE.apply(needle, normalise(k)) <= Math.max(2, needle.length() / 3));
    }

    /** " (did you mean X?)" or the empty string. */
    public static String didYouMean(String unknown, Collection<String> known) {
        return closest(unknown, known).map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    private static String normalise(String name) {
        return name.replace('_', '-').toLowerCase(java.util.Locale.ROOT);
    }
}

package dev.pdsim.scenario;

import java.util.List;

/**
 * What an option word of a launch line names: a flag (exactly or as its only prefix), or nothing,
 * with the option strings it is a prefix of when there are several.
 *
 * @param flag       null when the word names no flag or several
 * @param candidates the option strings starting with the word (empty for an exact match)
 */
public record OptionMatch(String option, ServerFlag flag, List<String> candidates) {

    public boolean ambiguous() {
        return flag == null && candidates.size() > 1;
    }
}

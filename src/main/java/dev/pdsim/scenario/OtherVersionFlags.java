package dev.pdsim.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Launch flags of other SGLang releases, read from {@code flags-other-versions.tsv} beside this
 * class (with the commit that added or removed each), so a flag pasted from a newer or older
 * runbook is refused with the release it belongs to and the 0.4.8.post1 way to say it.
 */
final class OtherVersionFlags {
    private static final String TABLE = "flags-other-versions.tsv";
    private static final Map<String, String> HINTS = read();

    private OtherVersionFlags() {
    }

    /** Why {@code option} is not a 0.4.8.post1 flag and what to write instead, if it is one of another release. */
    static Optional<String> hint(String option) {
        return Optional.ofNullable(HINTS.get(option));
    }

    private static Map<String, String> read() {
        Map<String, String> hints = new LinkedHashMap<>();
        for (Map<String, String> r : TsvResource.rows(OtherVersionFlags.class, TABLE)) {
            hints.put(r.get("flag"), hint(r.get("status"), r.get("first"), r.get("last"), r.get("commit"),
                    r.get("equivalent")));
        }
        return hints;
    }

    private static String hint(String status, String first, String last, String commit, String equivalent) {
        String when = status.equals("after")
                ? "it first appears in SGLang " + first + " (commit " + commit + "), after 0.4.8.post1"
                : "it was removed before 0.4.8.post1 (last in " + last + ", commit " + commit + ")";
        String instead = equivalent.equals("-") || equivalent.startsWith("none")
                ? "0.4.8.post1 has no equivalent" + (equivalent.startsWith("none (") ? " " + equivalent.substring(5) : "")
                : "at 0.4.8.post1 write " + equivalent;
        return when + "; " + instead;
    }
}

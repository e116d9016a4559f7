package dev.pdsim.scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
        try (InputStream in = OtherVersionFlags.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException(TABLE + " is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            boolean header = true;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] c = line.split("\t", -1);
                hints.put(c[0], hint(c[1], c[2], c[3], c[4], c[5]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

package dev.pdsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The flag table holds exactly the flags of SGLang 0.4.8.post1's ServerArgs.add_cli_args. */
class ServerFlagTableTest {
    /** An add_argument call with its option strings, as written in srt/server_args.py. */
    private static final Pattern ADD_ARGUMENT = Pattern.compile("parser\\.add_argument\\(\\s*((?:\"--[a-z0-9-]+\",\\s*)+)");
    private static final Pattern OPTION = Pattern.compile("\"(--[a-z0-9-]+)\"");

    /** The reference source, where ../shared/reference/sglang-0.4.8.post1/README.md says it is fetched to. */
    private static Optional<Path> reference() {
        return Stream.of(Path.of(".."), Path.of("..", ".."))
                .map(p -> p.resolve(Path.of("shared", "reference", "sglang-0.4.8.post1", "srt", "server_args.py")))
                .filter(Files::isRegularFile).findFirst();
    }

    @Test
    void everyAddArgumentCallIsOneRow() {
        assertEquals(161, ServerFlags.all().size());
        assertEquals(167, ServerFlags.options().size(), "161 flags and 6 aliases");
        for (ServerFlag f : ServerFlags.all()) {
            assertTrue(f.options().contains(f.option()), f.name() + " is named by one of its option strings");
        }
    }

    @Test
    void theTableMatchesTheReferenceSource() throws IOException {
        Optional<Path> file = reference();
        assumeTrue(file.isPresent(), "SGLang 0.4.8.post1 source not fetched (see ../shared/reference/sglang-0.4.8.post1/README.md)");
        String source = Files.readString(file.get());
        List<String> lines = source.lines().toList();
        Matcher m = ADD_ARGUMENT.matcher(source);
        TreeSet<String> inSource = new TreeSet<>();
        int calls = 0;
        while (m.find()) {
            calls++;
            Matcher o = OPTION.matcher(m.group(1));
            while (o.find()) {
                inSource.add(o.group(1));
            }
        }
        assertEquals(161, calls);
        assertEquals(inSource, new TreeSet<>(ServerFlags.options()));
        for (ServerFlag f : ServerFlags.all()) {
            String next = lines.get(f.line());
            assertTrue(f.options().stream().anyMatch(o -> next.contains("\"" + o + "\"")),
                    f.name() + ": line " + f.line() + " + 1 is '" + next + "'");
        }
    }
}

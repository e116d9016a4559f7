package dev.pdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input corpus under src/test/resources/bad/: scenario files (run with validate),
 * sweep files (run with sweep) and command lines. Each file's header says the exit code it must
 * give and a fragment its message must contain ({@code # exit:}, {@code # message:}, and for a
 * command line {@code # args:}, where {scenarios}, {bad}, {file} and {out} stand for paths).
 * Every refusal is one line per problem ({@code # lines:} when a case has more than one), escaped,
 * without a stack trace, and writes no output folder.
 */
class HostileInputCorpusTest {
    static final Path BAD = Path.of("src", "test", "resources", "bad");

    record Case(Path file, int exit, String message, String args, int lines) {
        @Override
        public String toString() {
            return BAD.relativize(file).toString();
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String kind : List.of("scenario", "sweep", "cli")) {
            try (Stream<Path> files = Files.list(BAD.resolve(kind))) {
                for (Path f : files.sorted().toList()) {
                    cases.add(read(kind, f));
                }
            }
        }
        return cases.stream();
    }

    private static Case read(String kind, Path f) throws IOException {
        int exit = -1;
        int lines = 1;
        String message = null;
        String args = kind.equals("scenario") ? "validate {file}" : "sweep {file} --out {out}";
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (line.startsWith("# exit: ")) {
                exit = Integer.parseInt(line.substring(8).strip());
            } else if (line.startsWith("# message: ")) {
                message = line.substring(11);
            } else if (line.startsWith("# lines: ")) {
                lines = Integer.parseInt(line.substring(9).strip());
            } else if (line.startsWith("# args: ")) {
                args = line.substring(8);
            }
        }
        return new Case(f, exit, message, args, lines);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void givesItsExitCodeAndMessage(Case c, @TempDir Path tmp) {
        Path out = tmp.resolve("out");
        String[] args = c.args().replace("{scenarios}", "scenarios").replace("{bad}", BAD.toString())
                .replace("{file}", c.file().toString()).replace("{out}", out.toString()).split(" ");
        CliTest.Run r = CliTest.run(args);
        assertEquals(c.exit(), r.code(), r.err());
        assertTrue(r.err().contains(c.message()), "expected '" + c.message() + "' in: " + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("Try '") && !l.startsWith("Did you mean")
                && !l.startsWith("Possible solutions") && !l.startsWith("        ")).toList();
        assertEquals(c.lines(), lines.size(), "one line per problem: " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), r.err());
        assertTrue(r.err().chars().allMatch(ch -> ch == '\n' || ch >= 0x20 && ch != 0x7f), "control characters: " + r.err());
        assertTrue(r.err().length() < 3000, "a short message: " + r.err().length() + " chars");
        assertFalse(Files.exists(out), "refused before writing anything");
    }
}

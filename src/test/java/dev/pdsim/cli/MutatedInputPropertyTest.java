package dev.pdsim.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Mutated scenarios, launch lines and command lines: pdsim either runs (exit 0) or refuses with one
 * line per problem (exit 2); never an escaped exception (exit 1), a stack trace, a control character
 * on the terminal or a hang. Few tries and short runs, to keep the suite fast.
 */
class MutatedInputPropertyTest {
    private static final Duration HANG = Duration.ofSeconds(90);
    /** Values a hand, a script or an attacker might put where a value goes. */
    private static final List<String> HOSTILE_VALUES = List.of("0x10", "017", "-1", "0", ".nan", ".inf", "1e309",
            "99999999999999999999", "\"\\n\\e[31m\"", "\"\\0\"", "[1, 2]", "{a: 1}", "*x", "&a 1", "~", "''", "'",
            "\"", "yes", "ıteration", "\t", "${X}", "$((1/0))", "`id`", "a".repeat(300), "- x", "!!binary AAAA",
            "? x", "| ", "> ", "%YAML 1.1", "---", "...", "#", "@", "&&", ";", "1:30", "0b101", "-.inf", "1_000");
    /** Words that may land in a launch line. */
    private static final List<String> LAUNCH_WORDS = List.of("--tp-size", "--dp-size", "--nnodes", "8", "-1", "$X",
            "${Y:-2}", "$((2*8))", "$((1<<70))", "'", "\"", "\\", "`", "$(", "|", ";", "&&", ">", "2>&1", "&", "#",
            "--enable-two-batch-overlap", "--enable-dp-attention", "--disaggregation-mode", "decode", "--tp",
            "--moe-dense-tp-size", "--chunked-prefill-size=0", "python3", "-m", "sglang.launch_server", "\u0000",
            "--model-path", "ı", "--watchdog-timeout", "1e309");
    private static final List<String> CLI_WORDS = List.of("--strategy", "buggy", "patched", "--seed", "0x10", "-1",
            "99999999999999999999", "--fidelity", "layer", "LAYER", "ıteration", "--duration", "0", "1e9", "NaN",
            "--trace", "--check", "--max-events", "0", "--max-output", "1", "--verbose", "--", "-", "--out",
            "--strategies", ",", "--seeds", "--help");

    private static final Path SCENARIO = Path.of("scenarios", "xpyd-2p2d.yaml");
    private static final Path LAUNCH_SCENARIO = Path.of("scenarios", "reported-xpyd.yaml");

    @Property(tries = 20, shrinking = ShrinkingMode.OFF)
    void mutatedScenariosRunOrAreRefused(@ForAll("scenarioMutations") List<Mutation> mutations) throws IOException {
        String text = apply(Files.readString(SCENARIO, StandardCharsets.UTF_8), mutations);
        check(text, "replay", "--duration", "0.05", "--max-events", "2000000");
    }

    @Property(tries = 20, shrinking = ShrinkingMode.OFF)
    void mutatedLaunchLinesAreReadOrRefused(@ForAll("launchMutations") List<Mutation> mutations) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(LAUNCH_SCENARIO, StandardCharsets.UTF_8));
        for (Mutation m : mutations) {
            int at = lines.indexOf("      python3 -m sglang.launch_server \\") + 1 + m.line() % 20;
            String word = LAUNCH_WORDS.get(m.value() % LAUNCH_WORDS.size());
            lines.add(Math.min(at, lines.size()), "      " + word + " \\");
        }
        check(String.join("\n", lines) + "\n", "validate");
    }

    @Property(tries = 20, shrinking = ShrinkingMode.OFF)
    void mutatedCommandLinesRunOrAreRefused(@ForAll("cliWords") List<String> words) throws IOException {
        Path dir = Files.createTempDirectory("pdsim-cli");
        try {
            List<String> args = new ArrayList<>(List.of("replay", SCENARIO.toString(), "--out",
                    dir.resolve("out").toString()));
            args.addAll(words);
            args.addAll(List.of("--duration", "0.05")); // the last --duration wins: every try is short
            run(args.toArray(String[]::new));
        } finally {
            delete(dir);
        }
    }

    /** A change at one line of a file: replace its value, drop it, or duplicate it. */
    record Mutation(int line, int kind, int value) {
    }

    @Provide
    Arbitrary<List<Mutation>> scenarioMutations() {
        return mutation().list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<Mutation>> launchMutations() {
        return mutation().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<String>> cliWords() {
        return Arbitraries.of(CLI_WORDS).list().ofMinSize(1).ofMaxSize(4);
    }

    private static Arbitrary<Mutation> mutation() {
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 10_000)).as(Mutation::new);
    }

    private static String apply(String text, List<Mutation> mutations) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        for (Mutation m : mutations) {
            int i = m.line() % lines.size();
            String line = lines.get(i);
            switch (m.kind()) {
                case 0 -> {
                    int colon = line.indexOf(": ");
                    String value = HOSTILE_VALUES.get(m.value() % HOSTILE_VALUES.size());
                    lines.set(i, colon < 0 ? line + " " + value : line.substring(0, colon + 2) + value);
                }
                case 1 -> lines.remove(i);
                default -> lines.add(i, line);
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static void check(String scenarioText, String command, String... options) throws IOException {
        Path dir = Files.createTempDirectory("pdsim-mutated");
        try {
            Path file = dir.resolve("mutated.yaml");
            Files.writeString(file, scenarioText, StandardCharsets.UTF_8);
            List<String> args = new ArrayList<>(List.of(command, file.toString()));
            args.addAll(List.of(options));
            if (command.equals("replay")) {
                args.addAll(List.of("--out", dir.resolve("out").toString()));
            }
            run(args.toArray(String[]::new));
        } finally {
            delete(dir);
        }
    }

    private static void run(String... args) {
        CliTest.Run r = assertTimeoutPreemptively(HANG, () -> CliTest.run(args), () -> "hangs: " + String.join(" ", args));
        String context = String.join(" ", args) + "\n" + r.err();
        assertTrue(r.code() == 0 || r.code() == 2, "exit " + r.code() + ": " + context);
        assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), context);
        assertTrue(r.err().chars().allMatch(ch -> ch == '\n' || ch >= 0x20 && ch != 0x7f), "control characters: " + context);
        if (r.code() == 2 && !args[args.length - 1].equals("--help")) {
            assertTrue(r.err().lines().findFirst().orElse("").length() > 10, "a message: " + context);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

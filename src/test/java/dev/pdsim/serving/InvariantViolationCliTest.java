package dev.pdsim.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.cli.Main;
import dev.pdsim.report.OutputDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken invariant as a user meets it: {@code pdsim replay --check} on a run whose first finished
 * user request lost a token (as a decode bug would) exits 1 with one line naming the simulated time,
 * instance, rank, request and rule, and leaves its folder marked partial.
 */
class InvariantViolationCliTest {
    private static final Pattern LINE = Pattern.compile("pdsim: internal error: dev\\.pdsim\\.serving\\.InvariantViolation:"
            + " invariant output_tokens violated at t=(\\d+\\.\\d{9}) s, instance (decode-\\d), rank (\\d+), request (\\d+):"
            + " a finished request produced all its output tokens \\(finished with (\\d+) of (\\d+) tokens\\)"
            + " \\(run again with --verbose for the stack trace\\)");

    @Test
    void aViolationStopsTheReplayWithExitOneAndOneLineNamingWhereAndWhichRule(@TempDir Path tmp) {
        long[] broken = {-1, -1, -1};
        ServingSimulation.ON_FINISH.set(r -> {
            if (r.kind == Request.Kind.USER && broken[0] < 0) {
                broken[0] = r.id;
                broken[1] = r.decodeRank;
                broken[2] = r.finishNs();
                r.generated--;
            }
        });
        Path out = tmp.resolve("run");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            code = Main.run("replay", "scenarios/faults/straggler.yaml", "--duration", "3", "--check", "--out", out.toString());
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
            ServingSimulation.ON_FINISH.remove();
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, code, lines.toString());
        assertEquals(1, lines.size(), "one line, no stack trace: " + lines);
        Matcher m = LINE.matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        assertEquals(String.format(java.util.Locale.ROOT, "%.9f", broken[2] / 1e9), m.group(1));
        assertEquals(broken[1], Long.parseLong(m.group(3)));
        assertEquals(broken[0], Long.parseLong(m.group(4)));
        assertEquals(Long.parseLong(m.group(6)) - 1, Long.parseLong(m.group(5)));
        assertTrue(Files.exists(out.resolve(OutputDirectory.PARTIAL)), "a failed run is never a finished result");
    }
}

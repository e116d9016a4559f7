package dev.pdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trace replay on the command line: the prefix-cache line, and a bad trace line as one error with exit 2. */
class TraceCliTest {

    @Test
    void aTraceReplayPrintsEachPrefillInstancesHitRate(@TempDir Path tmp) {
        CliTest.Run r = CliTest.run("replay", "scenarios/trace-replay.yaml", "--out", tmp.resolve("run").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  prefix cache prefill-0: radix, hit rate ")
                && l.contains("input tokens served ")), r.out());
    }

    @Test
    void aMalformedTraceLineIsOneErrorAtItsPlace(@TempDir Path tmp) throws IOException {
        Path traces = Files.createDirectories(tmp.resolve("traces"));
        Files.writeString(traces.resolve("t.csv"), "arrival_s,input_len,output_len\n0,10,1\n0.5,10\n");
        String scenario = Files.readString(Path.of("scenarios", "trace-replay.yaml"))
                .replace("traces/synthetic.jsonl", "traces/t.csv").replace("format: mooncake", "format: csv");
        Files.writeString(tmp.resolve("s.yaml"), scenario);
        CliTest.Run r = CliTest.run("validate", tmp.resolve("s.yaml").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(traces.resolve("t.csv") + ":3:1: has 2 fields; the header names 3 (arrival_s,input_len,output_len)",
                r.err().strip());
    }
}

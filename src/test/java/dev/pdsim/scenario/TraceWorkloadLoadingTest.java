package dev.pdsim.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: trace} workloads: both file formats, the file read beside the scenario, and each kind of bad line. */
class TraceWorkloadLoadingTest {
    @TempDir
    Path dir;

    private Path scenario(String workload, String traceName, String traceText) throws IOException {
        Files.createDirectories(dir.resolve("traces"));
        Files.writeString(dir.resolve("traces").resolve(traceName), traceText);
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, "workload:\n" + workload + ScenarioLoaderTest.withPrefill());
        return file;
    }

    private List<Problem> problems(Path file) {
        return assertThrows(InputException.class, () -> ScenarioLoader.load(file)).problems();
    }

    private static final String MOONCAKE = "  type: trace\n  file: traces/t.jsonl\n  speedup: 2\n";
    private static final String CSV = "  type: trace\n  file: traces/t.csv\n  format: csv\n";

    @Test
    void mooncakeLinesBecomeRequestsWithOffsetsFromTheFirstAndTheirBlocks() throws IOException {
        Path file = scenario(MOONCAKE, "t.jsonl", """
                {"timestamp": 1000, "input_length": 1100, "output_length": 20, "hash_ids": [7, 8, 9]}

                {"timestamp": 1500.5, "input_length": 600, "output_length": 30, "hash_ids": [7], "extra": 1}
                """);
        WorkloadSpec w = ScenarioLoader.load(file).workload();
        assertEquals(WorkloadType.TRACE, w.type());
        assertEquals(2.0, w.trace().speedup());
        List<TraceRequest> rs = w.trace().requests();
        assertEquals(2, rs.size());
        assertEquals(0, rs.get(0).offsetNs());
        assertEquals(500_500_000L, rs.get(1).offsetNs());
        assertArrayEquals(new long[] {7, 8, 9}, rs.get(0).blockIds());
        assertEquals(600, rs.get(1).inputLen());
        assertEquals(new LengthSpec.Uniform(600, 1100), w.inputLen());
        assertTrue(w.sharesPrefixes());
    }

    @Test
    void csvLinesWithAndWithoutAGroup() throws IOException {
        Path file = scenario(CSV + "  prefix: {length: 100}\n", "t.csv", """
                # made up
                arrival_s, input_len, output_len, prefix_group
                0.5,300,10,2
                0.75,200,10,
                """);
        List<TraceRequest> rs = ScenarioLoader.load(file).workload().trace().requests();
        assertEquals(250_000_000L, rs.get(1).offsetNs());
        assertEquals(2, rs.get(0).prefixGroup());
        assertEquals(-1, rs.get(1).prefixGroup());
    }

    @Test
    void aMalformedLineIsReportedAtItsFileLineAndColumn() throws IOException {
        Path file = scenario(MOONCAKE, "t.jsonl", """
                {"timestamp": 0, "input_length": 100, "output_length": 20, "hash_ids": []}
                {"timestamp": 5, "input_length": "many", "output_length": 20, "hash_ids": []}
                """);
        Problem p = problems(file).get(0);
        assertEquals(dir.resolve("traces/t.jsonl").toString() + ":2:18: input_length must be a whole number of "
                + "tokens from 1 to 4194304, got \"many\"", p.toString());
        Path csv = scenario(CSV, "t.csv", "arrival_s,input_len,output_len\n0,100,x\n");
        assertEquals(dir.resolve("traces/t.csv").toString() + ":2:7: output_len must be a whole number from 1 to "
                + "4194304, got 'x'", problems(csv).get(0).toString());
        Path broken = scenario(MOONCAKE, "t.jsonl", "{\"timestamp\": 0,\n");
        assertTrue(problems(broken).get(0).toString().startsWith(dir.resolve("traces/t.jsonl") + ":1:"),
                problems(broken).toString());
    }

    @Test
    void anUnsortedTraceIsRefusedAtTheFirstEarlierLine() throws IOException {
        Path file = scenario(CSV, "t.csv", "arrival_s,input_len,output_len\n1.0,100,10\n2.0,100,10\n1.5,100,10\n");
        Problem p = problems(file).get(0);
        assertEquals(4, p.where().line());
        assertTrue(p.message().contains("sorted by arrival"), p.message());
    }

    @Test
    void moreBlocksThanThePromptFillsAndAMissingHeaderAreRefused() throws IOException {
        Path file = scenario(MOONCAKE, "t.jsonl",
                "{\"timestamp\": 0, \"input_length\": 513, \"output_length\": 2, \"hash_ids\": [1, 2, 3]}\n");
        assertTrue(problems(file).get(0).message().contains("fills only 2 blocks of 512"), problems(file).toString());
        Path csv = scenario(CSV, "t.csv", "0,100,10\n");
        assertTrue(problems(csv).get(0).message().contains("must be the header arrival_s,input_len,output_len"));
    }

    @Test
    void theFileAndThePrefixFieldsAreChecked() throws IOException {
        Path missing = scenario("  type: trace\n  file: traces/none.jsonl\n", "t.jsonl", "");
        assertTrue(problems(missing).get(0).message().contains("no such file"), problems(missing).toString());
        Path groupsWithoutLength = scenario(CSV, "t.csv", "arrival_s,input_len,output_len,prefix_group\n0,100,10,1\n");
        assertTrue(problems(groupsWithoutLength).get(0).message().contains("give their length as workload.prefix"));
        Path tooLong = scenario(CSV + "  prefix: {length: 100}\n", "t.csv",
                "arrival_s,input_len,output_len,prefix_group\n0,100,10,1\n");
        assertTrue(problems(tooLong).get(0).message().contains("must be shorter than every grouped prompt"));
        Path rate = scenario(MOONCAKE + "  rate: 3\n", "t.jsonl",
                "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 2, \"hash_ids\": []}\n");
        assertTrue(problems(rate).get(0).message().contains("workload.rate does not apply to a trace"));
    }

    @Test
    void syntheticPrefixesNeedGroupsAndALengthShorterThanEveryPrompt() {
        String base = ScenarioLoaderTest.withPrefill();
        WorkloadSpec w = ScenarioLoader.parse("t.yaml", "workload:\n  input_len: 3000\n  prefix: {groups: 4, length: 2048}\n"
                + base).workload();
        assertEquals(new PrefixSpec(4, 2048), w.prefix());
        List<Problem> noGroups = assertThrows(InputException.class, () -> ScenarioLoader.parse("t.yaml",
                "workload:\n  prefix: {length: 100}\n" + base)).problems();
        assertEquals("t.yaml:2:11: missing field workload.prefix.groups (Distinct shared prefixes; each request starts "
                + "with one of them, drawn from a seeded stream.)", noGroups.get(0).toString());
        List<Problem> tooLong = assertThrows(InputException.class, () -> ScenarioLoader.parse("t.yaml",
                "workload:\n  input_len: 1000\n  prefix: {groups: 2, length: 2048}\n" + base)).problems();
        assertTrue(tooLong.get(0).message().contains("must be shorter than every prompt, but input_len can be 1000"),
                tooLong.toString());
    }
}

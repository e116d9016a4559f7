package dev.pdsim.scenario;

import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Flags read the way SGLang 0.4.8.post1's argparse reads them (srt/server_args.py:1679-1681). */
class ArgparseReadingTest {
    private static final String LAUNCH = "python3 -m sglang.launch_server --model-path /m --disaggregation-mode prefill ";

    private record Read(LaunchCommand command, Problems problems) {
        String problemText() {
            return problems.list().toString();
        }

        /** The last value written for the flag named {@code name}, type-checked as the resolver checks it. */
        Object value(String name) {
            FlagValue v = command.flags().stream().filter(f -> f.flag().name().equals(name)).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError(name + " not read; problems " + problemText()));
            assertEquals(List.of(), v.problem().stream().toList());
            return v.value();
        }
    }

    private static Read read(String flags) {
        Problems p = new Problems();
        LaunchCommand c = LaunchLineParser.parse(LAUNCH + flags, Map.of(), (l, col) -> new SourceLocation("f", l + 1, col + 1), p);
        return new Read(c, p);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--tp 4                          | tp-size                      | 4",
            "--tp=4                          | tp-size                      | 4",
            "--tensor-parallel-size 4        | tp-size                      | 4",
            "--data-parallel 2               | dp-size                      | 2",
            "--nccl-init 10.0.0.1:5000       | dist-init-addr               | 10.0.0.1:5000",
            "--model /m                      | model-path                   | /m",
            "--mem-frac .8                   | mem-fraction-static          | 0.8",
            "--max-running 64                | max-running-requests         | 64",
            "--enable-flashinfer             | enable-flashinfer-moe        | true",
            "--speculative-draft-model /d    | speculative-draft-model-path | /d",
            "--disable-cuda-graph            | disable-cuda-graph           | true",
            "--random-seed -1                | random-seed                  | -1",
            "--chunked-prefill-size -1       | chunked-prefill-size         | -1",
            "--port +8                       | port                         | 8",
            "--max-total-tokens 1_000        | max-total-tokens             | 1000",
            "--page-size 08                  | page-size                    | 8",
            "--tp 2 --tp 4                   | tp-size                      | 4",
    })
    void optionsPrefixesAndNumbersAsArgparseReadsThem(String flags, String name, String expected) {
        Read r = read(flags);
        assertTrue(r.problems().isEmpty(), r.problemText());
        assertEquals(expected, String.valueOf(r.value(name)).replaceAll("\\.0$", ""));
    }

    @Test
    void listFlagsTakeValuesUntilTheNextOption() {
        Read r = read("--cuda-graph-bs 1 2 4 8 16 --tp 8 --lora-paths --bucket-e2e-request-latency 0.5 1e3");
        assertTrue(r.problems().isEmpty(), r.problemText());
        assertEquals(List.of(1, 2, 4, 8, 16), r.value("cuda-graph-bs"));
        assertEquals(8, r.value("tp-size"));
        assertEquals(List.of(), r.value("lora-paths"));
        assertEquals(List.of(0.5, 1000.0), r.value("bucket-e2e-request-latency"));
    }

    @Test
    void flagsRefusedTodayButRealAtThisVersionAreAccepted() {
        Read r = read("--cuda-graph-bs 256 --init-expert-location /x.json --disable-shared-experts-fusion --stream-output "
                + "--deepep-config /c.json --speculative-algorithm EAGLE --speculative-num-steps 3 "
                + "--speculative-eagle-topk 1 --speculative-num-draft-tokens 4 --collect-tokens-histogram "
                + "--grammar-backend xgrammar --num-reserved-decode-tokens 256 --nccl-init 10.0.0.1:5000");
        assertTrue(r.problems().isEmpty(), r.problemText());
        assertEquals(13, r.command().flags().size() - 2, "beside --disaggregation-mode and --model-path");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--ep 8                            | ambiguous option --ep could match",
            "--enable-ep                       | could match --enable-ep-moe, --enable-eplb",
            "--cuda-graph 8                    | ambiguous option --cuda-graph",
            "--enable-dp-attention=true        | is a switch and takes no value",
            "--enable-dp-attention true        | unrecognized argument 'true'",
            "--cuda-graph-bs                   | --cuda-graph-bs expects one or more values",
            "--cuda-graph-bs 1,2,4             | --cuda-graph-bs must be a whole number, got '1,2,4'",
            "--tp 1e3                          | --tp-size must be a whole number, got '1e3'",
            "--tp 16.0                         | --tp-size must be a whole number",
            "--mem-fraction-static 80%         | --mem-fraction-static must be a number",
            "--speculative-algorithm eagle     | choose one of EAGLE, EAGLE3, NEXTN",
            "--kv-cache-dtype fp8              | choose one of auto, fp8_e5m2, fp8_e4m3",
            "--kv-cache-dtype FP8_E4M3         | choose one of auto, fp8_e5m2, fp8_e4m3",
            "--disaggregation-mode none        | choose one of null, prefill, decode",
            "--log-requests-level 3            | choose one of 0, 1, 2",
            "--schedule-policy lof             | choose one of lpm, random, fcfs, dfs-weight",
            "--load-balance-method minimum_tokens | choose one of round_robin, shortest_queue",
            "--disaggregation-transfer-backend fake | choose one of mooncake, nixl",
            "--tp                              | --tp-size expects a value",
            "--tp-szie 4                       | unknown flag --tp-szie (did you mean --tp-size?)",
            "--moe-a2a-backend deepep          | first appears in SGLang 0.4.10.post2 (commit 6c88f6c8d), after 0.4.8.post1; at 0.4.8.post1 write --enable-deepep-moe",
            "--enable-flashmla                 | removed before 0.4.8.post1 (last in 0.4.7, commit 6406408a7); at 0.4.8.post1 write --attention-backend flashmla",
            "--ep-size 8 --ep 8                | it first appears in SGLang 0.4.10",
    })
    void refusedWithSglangsReason(String flags, String expected) {
        Read r = read(flags);
        List<String> messages = r.command().flags().stream().flatMap(f -> f.problem().stream()).toList();
        String all = r.problemText() + messages;
        assertTrue(all.contains(expected), all);
    }

    /** CPython 3.11 Lib/argparse.py:2280: a word with a blank that names no option is a value. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "'\"--tp 16\"'                 | unrecognized arguments: --tp 16 (",
            "'\"--foo=a b\"'               | unrecognized arguments: --foo=a b (",
            "'--cuda-graph-bs 1 \"--tp 16\"' | --cuda-graph-bs must be a whole number, got '--tp'",
            "'--tp=\"1 6\"'                | --tp-size must be a whole number, got '1 6'",
    })
    void aWordWithABlankInsideIsAValueNotAnOption(String flags, String expected) {
        Read r = read(flags);
        List<String> messages = r.command().flags().stream().flatMap(f -> f.problem().stream()).toList();
        String all = r.problemText() + messages;
        assertTrue(all.contains(expected), all);
        assertTrue(!all.contains("unknown flag") && !all.contains("did you mean"), all);
    }

    @Test
    void aQuotedOptionWithABlankIsTheValueOfTheFlagBeforeIt() {
        Read r = read("--host \"--tp 16\"");
        assertTrue(r.problems().isEmpty(), r.problemText());
        assertEquals("--tp 16", r.value("host"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--host", "--log-level", "--served-model-name", "--api-key"})
    void textFlagsTakeAnyText(String flag) {
        Read r = read(flag + " None");
        assertTrue(r.problems().isEmpty(), r.problemText());
    }

    @Test
    void theModelPathIsRequired() {
        Problems p = new Problems();
        LaunchLineParser.parse("python3 -m sglang.launch_server --tp 8", Map.of(), (l, col) -> new SourceLocation("f", l + 1, col + 1), p);
        assertEquals(1, p.list().size(), p.list().toString());
        assertTrue(p.list().get(0).message().contains("no --model-path (or --model)"), p.list().toString());
        Problems q = new Problems();
        LaunchLineParser.parse("python3 -m sglang.launch_server --model /m", Map.of(), (l, col) -> new SourceLocation("f", l + 1, col + 1), q);
        assertTrue(q.isEmpty(), q.list().toString());
    }

    @Test
    void everyProblemOfALineIsReported() {
        Read r = read("--tp-szie 4 --ep 8 --enable-flashmla --cuda-graph-bs");
        assertEquals(4, r.problems().list().size(), r.problemText());
    }
}

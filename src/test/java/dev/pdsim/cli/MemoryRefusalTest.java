package dev.pdsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} refuses what {@code replay} refuses for memory, with the same one-line message. */
class MemoryRefusalTest {
    /** DeepSeek-R1 on one node of 8 H100s, DP attention: every rank holds the whole attention and embedding. */
    private static final String ONE_NODE = """
            name: r1-one-node
            model: deepseek-r1
            hardware: h100
            instances:
              - role: prefill
                launch: python3 -m sglang.launch_server --model-path /models/DeepSeek-R1 --disaggregation-mode prefill --tp-size 8 --dp-size 8 --enable-dp-attention
              - role: decode
                launch: python3 -m sglang.launch_server --model-path /models/DeepSeek-R1 --disaggregation-mode decode --tp-size 8 --dp-size 8 --enable-dp-attention
            """;

    @Test
    void validateAndReplayRefuseTheSameFileWithTheSameMessage(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("r1.yaml");
        Files.writeString(file, ONE_NODE);
        CliTest.Run validate = CliTest.run("validate", file.toString());
        CliTest.Run replay = CliTest.run("replay", file.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(2, validate.code(), validate.out());
        assertEquals(2, replay.code(), replay.out());
        assertEquals(validate.err(), replay.err());
        // weights over the card's memory fail while loading (srt/model_executor/model_runner.py:227-260, load_model)
        assertTrue(validate.err().contains(":5:5: prefill: weights need") && validate.err().contains("SGLang fails while "
                + "loading them (CUDA out of memory)"), validate.err());
        assertEquals(2, validate.err().lines().count(), "one line per instance: " + validate.err());
    }

    @Test
    void aPoolThatMemFractionStaticLeavesEmptyIsRefusedAsSglangDoes(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("r1.yaml");
        Files.writeString(file, ONE_NODE.replace("--tp-size 8 --dp-size 8 --enable-dp-attention",
                "--tp-size 8"));
        CliTest.Run validate = CliTest.run("validate", file.toString());
        assertEquals(2, validate.code());
        // max_total_num_tokens <= 0 -> RuntimeError (srt/model_executor/model_runner.py:932-935)
        assertTrue(validate.err().contains("leaves no KV-cache token per rank; SGLang refuses to start (RuntimeError: "
                + "Not enough memory"), validate.err());
        assertEquals(validate.err(), CliTest.run("replay", file.toString(), "--out", tmp.resolve("o").toString()).err());
    }
}

package dev.pdsim.scenario;

import dev.pdsim.diag.Problem;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LaunchLineParserTest {
    static final String PREFILL = """
            MC_TE_METRIC=true \\
            GLOO_SOCKET_IFNAME=eth0 \\
            NCCL_SOCKET_IFNAME=eth0 \\
            SGLANG_TBO_DEBUG=1 \\
            python3 -m sglang.launch_server --model-path /m \\
            --model-path /models/DeepSeek-R1-0528 \\
            --disaggregation-ib-device mlx5_1 \\
            --disaggregation-mode prefill \\
            --dist-init-addr PREFILL_MASTER:5000 \\
            --nnodes 2 \\
            --node-rank 1 \\
            --tp-size 16 \\
            --dp-size 16 \\
            --enable-dp-attention \\
            --page-size 1 \\
            --host 0.0.0.0 \\
            --trust-remote-code \\
            --moe-dense-tp-size 1 \\
            --enable-dp-lm-head \\
            --disable-radix-cache \\
            --watchdog-timeout 1000000 \\
            --enable-two-batch-overlap \\
            --mem-fraction-static 0.85 \\
            --chunked-prefill-size 524288 \\
            --max-running-requests 8192 \\
            --max-total-tokens 131072 \\
            --context-length 8192 \\
            --ep-num-redundant-experts 16 \\
            --ep-dispatch-algorithm dynamic \\
            --eplb-algorithm deepseek > /prefill.log 2>&1 &
            """;

    private static LaunchCommand parse(String text, Problems problems) {
        return LaunchLineParser.parse(text, Map.of(), (l, c) -> new SourceLocation("f", l + 1, c + 1), problems);
    }

    private static Map<String, String> flags(LaunchCommand c) {
        return c.flags().stream().collect(Collectors.toMap(f -> f.flag().name(), FlagValue::text, (a, b) -> b));
    }

    @Test
    void reportedPrefillLineParsesExactlyAsWritten() {
        Problems p = new Problems();
        LaunchCommand c = parse(PREFILL, p);
        assertTrue(p.isEmpty(), p.list().toString());
        Map<String, String> f = flags(c);
        assertEquals("16", f.get("tp-size"));
        assertEquals("16", f.get("dp-size"));
        assertEquals("true", f.get("enable-two-batch-overlap"));
        assertEquals("524288", f.get("chunked-prefill-size"));
        assertEquals("1000000", f.get("watchdog-timeout"));
        assertEquals(List.of("MC_TE_METRIC", "GLOO_SOCKET_IFNAME", "NCCL_SOCKET_IFNAME", "SGLANG_TBO_DEBUG"),
                c.environment().stream().map(EnvAssignment::name).toList());
        assertEquals(List.of("> /prefill.log", "2>&1", "&"), c.shellDecorations());
    }

    @Test
    void equalsFormQuotesAndLocations() {
        Problems p = new Problems();
        LaunchCommand c = parse("python3 -m sglang.launch_server --model-path /m --tp-size=8 --host \"0.0.0.0\"\n  --tp-szie 4", p);
        assertEquals("8", flags(c).get("tp-size"));
        assertEquals("0.0.0.0", flags(c).get("host"));
        assertEquals(1, p.list().size());
        Problem unknown = p.list().get(0);
        assertEquals("unknown flag --tp-szie (did you mean --tp-size?)", unknown.message());
        assertEquals(2, unknown.where().line());
        assertEquals(3, unknown.where().column());
    }

    @Test
    void mistakesAreProblemsNotExceptions() {
        Problems p = new Problems();
        parse("python3 -m sglang.launch_server --model-path /m --enable-dp-attention=true --tp-size", p);
        String all = p.list().toString();
        assertTrue(all.contains("is a switch and takes no value"), all);
        assertTrue(all.contains("--tp-size expects a value"), all);
        Problems q = new Problems();
        parse("FOO=1 torchrun --tp-size 8", q);
        assertTrue(q.list().get(0).message().contains("expected 'python3 -m sglang.launch_server'"), q.list().toString());
    }
}

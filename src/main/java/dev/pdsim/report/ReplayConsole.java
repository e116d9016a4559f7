package dev.pdsim.report;

import dev.pdsim.serving.FailureReport;
import dev.pdsim.serving.RunResult;
import java.util.Arrays;
import java.util.Locale;

/** The human summary of a replay printed on the terminal. */
public final class ReplayConsole {
    private ReplayConsole() {
    }

    public static String render(ReplayRun.Outcome o) {
        RunResult r = o.result();
        StringBuilder sb = new StringBuilder();
        line(sb, "%s  strategy %s  seed %d  ->  %s", r.scenario(), r.strategy(), r.seed(), r.outcome().label().toUpperCase(Locale.ROOT));
        FailureReport f = r.failure();
        if (f != null) {
            line(sb, "  %s at t=%.6f s%s on %s, %d rank%s %s", f.hang() ? "hang" : "crash", f.timeS(),
                    when(f), f.instance(), f.ranks().size(),
                    f.ranks().size() == 1 ? "" : "s", rankRange(f));
            line(sb, "  layer %d, %s%s", f.layer(), f.operation(),
                    f.child() == null ? "" : " of TBO child " + f.child() + " (child tokens per DP rank: "
                            + compact(f.childTokens()) + ")");
            line(sb, "  %s", f.error());
            line(sb, "  call path: %s", String.join(" -> ", f.callPath()));
            if (f.hang()) {
                line(sb, "  watchdog (--watchdog-timeout) fires at t=%.1f s%s", f.watchdogS(),
                        f.watchdogS() > r.endS() ? ", after the run ended" : "");
            }
        }
        line(sb, "  instances: %s", r.instanceStatus().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().name().toLowerCase(Locale.ROOT)).reduce((a, b) -> a + ", " + b).orElse(""));
        line(sb, "  requests: %d submitted, %d finished, %d aborted; corrupted tokens %d", r.submitted(), r.finished(),
                r.aborted(), r.corruptedTokens());
        line(sb, "  throughput: %.1f input tok/s per prefill node, %.1f output tok/s per decode node",
                r.inputTokensPerSPerNode(), r.outputTokensPerSPerNode());
        line(sb, "  latency ms (p50/p90/p99): TTFT %.1f/%.1f/%.1f  ITL %.2f/%.2f/%.2f  E2E %.1f/%.1f/%.1f",
                r.ttft().p50(), r.ttft().p90(), r.ttft().p99(), r.itl().p50(), r.itl().p90(), r.itl().p99(),
                r.e2e().p50(), r.e2e().p90(), r.e2e().p99());
        sb.append(PrefixCacheReport.console(r.prefixCache()));
        line(sb, "  simulated %.1f s (traffic from %.3f s) in %.2f s wall, %d events (%.2f M events/s)", r.endS(),
                r.trafficStartS(), o.wallNanos() / 1e9, r.events(), o.eventsPerSecond() / 1e6);
        for (String w : o.warnings()) {
            line(sb, "  warning: %s", w);
        }
        line(sb, "  wrote %s", o.directory());
        return sb.toString();
    }

    private static String when(FailureReport f) {
        return switch (f.phase()) {
            case CUDA_GRAPH_CAPTURE -> " during CUDA-graph capture of batch size " + f.captureBatchSize()
                    + " (start-up, before warmup)";
            case WARMUP -> " (during warmup, before any user request)";
            case SERVING -> "";
        };
    }

    private static String rankRange(FailureReport f) {
        if (f.ranks().isEmpty()) {
            return "";
        }
        int first = f.ranks().get(0);
        int last = f.ranks().get(f.ranks().size() - 1);
        boolean contiguous = last - first + 1 == f.ranks().size();
        return contiguous ? "(TP" + first + "-" + last + ")" : f.ranks().toString();
    }

    private static String compact(long[] tokens) {
        if (tokens == null) {
            return "";
        }
        if (Arrays.stream(tokens).distinct().count() == 1) {
            return "all " + tokens[0];
        }
        return Arrays.toString(tokens);
    }

    private static void line(StringBuilder sb, String format, Object... args) {
        sb.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}

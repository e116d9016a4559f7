package dev.pdsim.report;

import dev.pdsim.diag.Numbers;
import dev.pdsim.metrics.LatencySummary;
import dev.pdsim.scenario.Slo;
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
        sb.append(FaultsReport.console(r));
        line(sb, "  instances: %s", r.instanceStatus().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().name().toLowerCase(Locale.ROOT)).reduce((a, b) -> a + ", " + b).orElse(""));
        line(sb, "  requests: %d submitted, %d finished, %d aborted, %d unfinished%s; corrupted tokens %d", r.submitted(),
                r.finished(), r.aborted(), r.unfinished(),
                o.scenario().router().retries() > 0 ? " (" + r.retries() + " retries by the router)" : "",
                r.corruptedTokens());
        line(sb, "  throughput: %.1f input tok/s per prefill node, %.1f output tok/s per decode node",
                r.inputTokensPerSPerNode(), r.outputTokensPerSPerNode());
        benchServing(sb, r);
        sb.append(PrefixCacheReport.console(r.prefixCache()));
        sb.append(SpeculativeReport.console(r.speculative()));
        line(sb, "  simulated %.1f s (traffic from %.3f s) in %.2f s wall, %d events (%.2f M events/s)", r.endS(),
                r.trafficStartS(), o.wallNanos() / 1e9, r.events(), o.eventsPerSecond() / 1e6);
        for (String w : o.scenario().warnings()) {
            line(sb, "  warning: %s", w);
        }
        if (o.traceCutNs() >= 0) {
            line(sb, "  trace.json stopped at its %d MiB cap with events up to t=%.3f s: choose a narrower --trace-window",
                    ReplayRun.MAX_TRACE_BYTES >> 20, o.traceCutNs() / 1e9);
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

    /** bench_serving's figures (python/sglang/bench_serving.py:1336-1388 at 69183f8), TPOT and p90 added. */
    private static void benchServing(StringBuilder sb, RunResult r) {
        if (r.finished() == 0) {
            line(sb, "  bench_serving: no request finished (%.1f s of traffic on %d GPUs): no latency, no throughput",
                    r.durationS(), r.gpus());
            return;
        }
        line(sb, "  bench_serving: %d requests in %.2f s on %d GPUs: %.2f req/s; tok/s input %s, output %s, total %s (%s per GPU)",
                r.finished(), r.durationS(), r.gpus(), r.requestThroughput(), Numbers.grouped(r.inputThroughput(), 1),
                Numbers.grouped(r.outputThroughput(), 1), Numbers.grouped(r.totalThroughput(), 1),
                Numbers.grouped(r.totalThroughput() / r.gpus(), 1));
        if (r.slo().given()) {
            line(sb, "  goodput: %.3f req/s (%.5f per GPU), %.1f%% of finished requests within %s", r.goodput(),
                    r.goodput() / r.gpus(), 100.0 * r.goodRequests() / r.finished(), sloText(r.slo()));
        }
        line(sb, "  latency ms        mean     median        p90        p99");
        latency(sb, "TTFT", r.latency().ttft());
        latency(sb, "TPOT", r.latency().tpot());
        latency(sb, "ITL", r.latency().itl());
        latency(sb, "E2E", r.latency().e2e());
    }

    private static void latency(StringBuilder sb, String name, LatencySummary s) {
        if (s.empty()) {
            line(sb, "    %-6s  no sample (every finished request had one output token)", name);
            return;
        }
        line(sb, "    %-6s %10.2f %10.2f %10.2f %10.2f", name, s.mean(), s.p50(), s.p90(), s.p99());
    }

    /** The SLO's bounds as a user reads them: {@code TTFT <= 2000 ms, TPOT <= 50 ms}. */
    public static String sloText(Slo slo) {
        StringBuilder sb = new StringBuilder();
        bound(sb, "TTFT", slo.ttftMs());
        bound(sb, "TPOT", slo.tpotMs());
        bound(sb, "ITL", slo.itlMs());
        return sb.toString();
    }

    private static void bound(StringBuilder sb, String name, double ms) {
        if (!Double.isInfinite(ms)) {
            sb.append(sb.length() == 0 ? "" : ", ").append(name).append(" <= ").append(Numbers.plain(ms)).append(" ms");
        }
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

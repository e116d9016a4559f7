package dev.pdsim.report;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cost.CostModel;
import dev.pdsim.cost.InstanceCostModel;
import dev.pdsim.cost.RooflineCostModel;
import dev.pdsim.cost.StageCost;
import dev.pdsim.metadata.MetadataStrategies;
import dev.pdsim.metadata.MetadataStrategy;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.serving.ForwardResult;
import dev.pdsim.serving.IterationProbe;
import dev.pdsim.serving.StageSpan;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time of one iteration goes: per stage, summed over layers (dense layers and MoE layers
 * apart) and over the TBO children, with the resource each uses, for one prefill and one decode
 * iteration of the scenario's first instances at a given batch.
 */
public final class CostReport {
    private CostReport() {
    }

    /**
     * @param prefillTokens tokens per prefill DP rank (0: the instance's chunk, capped by max_prefill_tokens)
     * @param decodeBatch   requests per decode DP rank (0: a concurrency workload's clients spread
     *                      over every decode DP rank, capped by max_running_requests; else 64)
     * @param decodeContext cached tokens per decoding request (0: the workload's input plus half its output)
     */
    public static String render(Scenario scenario, int prefillTokens, int decodeBatch, int decodeContext) {
        CostModel model = new RooflineCostModel(scenario.model(), scenario.hardware());
        MetadataStrategy strategy = MetadataStrategies.of(scenario.strategy());
        int seqLen = scenario.workload().inputLen().max();
        int context = decodeContext > 0 ? decodeContext : IterationProbe.decodeContext(scenario);
        StringBuilder sb = new StringBuilder();
        for (InstanceTopology t : InstanceTopology.deriveAll(scenario)) {
            if (!t.name().endsWith("-0")) {
                continue;
            }
            InstanceCostModel cost = model.forInstance(t);
            ForwardResult r;
            StageCost operations;
            String what;
            double imbalance;
            if (t.role() == Role.PREFILL) {
                int tokens = prefillTokens > 0 ? prefillTokens
                        : Math.min(t.args().chunkedPrefillSize() > 0 ? t.args().chunkedPrefillSize() : Integer.MAX_VALUE,
                        t.args().maxPrefillTokens());
                imbalance = cost.expertImbalanceMean((long) tokens * t.dpSize());
                r = IterationProbe.prefill(t, cost, strategy, tokens, Math.min(seqLen, tokens), imbalance);
                operations = IterationProbe.prefillOperations(t, cost, strategy, tokens, Math.min(seqLen, tokens), imbalance);
                what = String.format(Locale.ROOT, "EXTEND, %d tokens per DP rank in %d-token prompts", tokens, Math.min(seqLen, tokens));
            } else {
                int requests = decodeBatch > 0 ? decodeBatch : IterationProbe.decodeRequestsPerRank(scenario, t);
                imbalance = cost.expertImbalanceMean((long) requests * t.dpSize());
                r = IterationProbe.decode(t, cost, strategy, requests, context, imbalance);
                operations = IterationProbe.decodeOperations(t, cost, strategy, requests, context, imbalance);
                what = String.format(Locale.ROOT, "DECODE, %d requests per DP rank, %d cached tokens each", requests, context);
            }
            sb.append(String.format(Locale.ROOT, "%s: one iteration, %s, expert load factor %.2f%s%n", t.name(), what,
                    imbalance, !r.tbo() ? "" : cost.expertParallel()
                            ? " for the whole batch, two-batch overlap (each child routes fewer tokens, less evenly)"
                            : ", two-batch overlap"));
            sb.append(table(r));
            if (r.failure() == null) {
                sb.append(breakdown(operations));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The operations' own costs (before overlap) by what bounds them, with the work behind them. */
    private static String breakdown(StageCost c) {
        double total = Math.max(c.totalNs(), 1);
        return String.format(Locale.ROOT, "  by bound, operations and outside the layers: compute %.2f ms (%.0f%%), memory %.2f ms "
                        + "(%.0f%%), communication %.2f ms (%.0f%%), fixed %.2f ms (%.0f%%); %.1f TFLOP, %.1f GB of HBM traffic%n",
                c.computeNs() / 1e6, 100 * c.computeNs() / total, c.memoryNs() / 1e6, 100 * c.memoryNs() / total,
                c.commNs() / 1e6, 100 * c.commNs() / total, c.fixedNs() / 1e6, 100 * c.fixedNs() / total,
                c.flops() / 1e12, c.hbmBytes() / 1e9);
    }

    private static String table(ForwardResult r) {
        if (r.failure() != null) {
            return String.format(Locale.ROOT, "  stops at layer %d %s: %s%n", r.failure().layer(),
                    r.failure().stage().sglangName(), r.failure().error());
        }
        Map<String, double[]> byStage = new LinkedHashMap<>();
        Map<String, String> resource = new LinkedHashMap<>();
        for (StageSpan s : r.spans()) {
            String kind = s.layer() < 3 ? "dense" : "moe";
            String key = kind + " " + s.stage().sglangName();
            byStage.computeIfAbsent(key, k -> new double[2])[0] += (s.endNs() - s.startNs()) / 1e6;
            byStage.get(key)[1]++;
            resource.put(key, s.resource().name());
        }
        double busy = byStage.values().stream().mapToDouble(v -> v[0]).sum();
        TextTable t = new TextTable("stage", "resource", "ops", "total ms", "share").numeric(2, 3, 4);
        for (var e : byStage.entrySet()) {
            t.add(e.getKey(), resource.get(e.getKey()), (long) e.getValue()[1], String.format(Locale.ROOT, "%.3f", e.getValue()[0]),
                    String.format(Locale.ROOT, "%.1f%%", 100 * e.getValue()[0] / Math.max(busy, 1e-9)));
        }
        StringBuilder sb = new StringBuilder(t.toString().indent(2));
        sb.append(String.format(Locale.ROOT, "  operations add up to %.1f ms; the forward takes %.1f ms (%splus scheduler, "
                + "embedding and logits)%n", busy, r.durationNs() / 1e6, r.tbo() ? "layers overlapped by TBO, " : ""));
        return sb.toString();
    }
}

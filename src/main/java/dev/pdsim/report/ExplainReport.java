package dev.pdsim.report;

import dev.pdsim.cluster.InstanceTopology;
import dev.pdsim.cluster.LayerScatterModes;
import dev.pdsim.cluster.LayerStage;
import dev.pdsim.cluster.TboStagePlan;
import dev.pdsim.cluster.Transition;
import dev.pdsim.diag.Numbers;
import dev.pdsim.model.HardwareProfile;
import dev.pdsim.model.MemoryModel;
import dev.pdsim.scenario.FlagKind;
import dev.pdsim.scenario.InstanceMemory;
import dev.pdsim.scenario.InstanceSpec;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ServerArgs;
import dev.pdsim.scenario.SpeculativeArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The derived topology of a scenario, as text: per instance its ranks and groups, what SGLang
 * adjusted and pdsim ignored, the per-layer scatter modes and where two-batch overlap runs and
 * gathers across DP ranks.
 */
public final class ExplainReport {
    private final StringBuilder out = new StringBuilder();

    private ExplainReport() {
    }

    public static String render(Scenario scenario) {
        return new ExplainReport().scenario(scenario).toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private ExplainReport scenario(Scenario s) {
        line("scenario %s (%s)", s.name(), s.sourceFile());
        if (!s.description().isBlank()) {
            line("  %s", s.description().strip());
        }
        String retries = s.router().retries() > 0 ? " (" + s.router().retries() + " retries)" : "";
        line("  model %s, hardware %s, router %s%s, strategy %s, seed %d, duration %s s", s.model().name(),
                s.hardware().name(), s.router().policy().yamlName(), retries, s.strategy().yamlName(), s.seed(),
                Numbers.plain(s.durationS()));
        List<InstanceTopology> topologies = InstanceTopology.deriveAll(s);
        int gpus = topologies.stream().mapToInt(InstanceTopology::gpus).sum();
        long prefills = topologies.stream().filter(t -> t.role() == Role.PREFILL).count();
        long colocated = topologies.stream().filter(t -> t.role() == Role.COLOCATED).count();
        line("  %dP%dD%s: %d instances, %d GPUs", prefills, topologies.size() - prefills - colocated,
                colocated == 0 ? "" : " + " + colocated + " colocated", topologies.size(), gpus);
        int t = 0;
        for (InstanceSpec spec : s.instances()) {
            InstanceTopology first = topologies.get(t);
            t += spec.count();
            out.append('\n');
            instance(s, spec, first);
        }
        return this;
    }

    private void instance(Scenario s, InstanceSpec spec, InstanceTopology topo) {
        ServerArgs a = spec.args();
        String copies = spec.count() == 1 ? topo.name()
                : topo.name() + " .. " + spec.role().yamlName() + "-" + (spec.count() - 1) + " (" + spec.count() + " identical instances)";
        line("%s  [%s]  %d nodes x %d GPUs = %d ranks", copies, spec.role().yamlName(), topo.nodes(), a.gpusPerNodeUsed(),
                topo.gpus());
        line("  tp %d, dp %d%s, attention-TP %d per DP rank, %s", a.tpSize(), a.dpSize(),
                a.enableDpAttention() ? " (DP attention)" : "", topo.attnTpSize(), moeLayout(topo));
        line("  DP ranks: %d; two-batch overlap: %s; DeepEP: %s; CUDA graphs: %s; watchdog: %s s", topo.dpSize(),
                a.enableTwoBatchOverlap() ? "on" : "off",
                a.enableDeepepMoe() ? "on (" + a.deepepMode().flagValue() + ")" : "off",
                a.disableCudaGraph() ? "off" : "on", Numbers.plain(a.watchdogTimeoutS()));
        if (a.speculative() != null && spec.role() == Role.PREFILL) {
            line("  speculative decoding: the KV pool, reserve and running limit change; the draft extend over each "
                    + "prompt (one MTP layer) is not simulated");
        } else if (a.speculative() != null) {
            SpeculativeArgs sp = a.speculative();
            line("  speculative decoding (EAGLE, DeepSeek's MTP layer): per iteration %d MTP-layer forward%s, one verify "
                            + "of %d tokens per request, then a draft extend over those accepted; acceptance %s per "
                            + "position, mean accepted length %.3f; CUDA graphs and KV slots per request include the "
                            + "%d draft and verify tokens", sp.numSteps() - 1, sp.numSteps() == 2 ? "" : "s",
                    sp.numDraftTokens(), s.speculative().probabilities(),
                    s.speculative().meanAcceptedLength(sp.numDraftTokens() - 1), sp.transientSlotsPerRequest());
        }
        line("  nodes:");
        for (int node = 0; node < topo.nodes(); node++) {
            final int n = node;
            var onNode = topo.ranks().stream().filter(r -> r.node() == n).toList();
            line("    node %d: TP%d-%d, DP%d-%d", node, onNode.get(0).tpRank(), onNode.get(onNode.size() - 1).tpRank(),
                    onNode.get(0).dpRank(), onNode.get(onNode.size() - 1).dpRank());
        }
        line("  attention-TP groups: %d of %d rank%s (DPi = TP%s)", topo.dpSize(), topo.attnTpSize(),
                topo.attnTpSize() == 1 ? "" : "s",
                topo.attnTpSize() == 1 ? "i" : "[i*" + topo.attnTpSize() + " .. i*" + topo.attnTpSize() + "+"
                        + (topo.attnTpSize() - 1) + "]");
        list("SGLang adjustments", spec.resolved().adjustments());
        list("simulated flags", spec.resolved().flagsOf(FlagKind.SIMULATED));
        list("flags with no effect on serving", spec.resolved().flagsOf(FlagKind.NO_EFFECT));
        list("flags not simulated (the results exclude what they do)", spec.resolved().warnings());
        list("ignored environment", spec.resolved().ignoredEnvironment());
        if (spec.launch() != null && !spec.launch().shellDecorations().isEmpty()) {
            line("  ignored shell decorations: %s", String.join(" ", spec.launch().shellDecorations()));
        }
        memory(s, spec);
        layers(topo);
        tbo(topo, spec.role());
    }

    /** Weights by part, the KV pool, request limits and CUDA-graph sizes of one rank, as SGLang sets them up. */
    private void memory(Scenario s, InstanceSpec spec) {
        ServerArgs a = spec.args();
        InstanceMemory m = spec.resolved().memory();
        HardwareProfile hw = s.hardware();
        line("  memory of one GPU (%s: %d MiB = %.1f GiB):", hw.name(), hw.gpuMemoryMib(), hw.gpuMemoryGiB());
        line("    weights %.2f GiB (%s; embedding and LM head BF16):", MemoryModel.toGiB(m.weightBytes()),
                s.model().weights().description());
        for (MemoryModel.WeightPart p : m.weights()) {
            line("      %-46s %7.2f GiB  %s", p.part(), MemoryModel.toGiB(p.bytes()), p.placement());
        }
        String dtype = m.kvElementBytes() == 2 ? "BF16" : "FP8";
        String cap = (a.speculative() == null ? "" : "; + " + Numbers.grouped(a.speculative()
                .poolHeadroomTokens(m.requestSlots()), 0) + " for speculative draft and verify tokens")
                + (a.maxTotalTokens() == null ? "" : "; --max-total-tokens " + a.maxTotalTokens()
                + (a.maxTotalTokens() < m.kvPool().profiledTokens() ? " caps it" : " is above it (no effect)"));
        line("    KV pool: %s tokens per rank (mem_fraction_static %s leaves room for %s tokens of %s B, "
                        + "kv_cache_dtype %s = %s%s; page size %d)", Numbers.grouped(m.kvPool().tokens(), 0),
                Numbers.plain(a.memFractionStatic()), Numbers.grouped(m.kvPool().profiledTokens(), 0),
                Numbers.grouped(s.model().kvBytesPerRankToken(m.kvElementBytes(), a.attnTpSize()), 0), a.kvCacheDtype(), dtype, cap,
                a.pageSize());
        line("    request slots: %d (%s); max running requests per DP rank: %d (%s)", m.requestSlots(),
                a.maxRunningRequests() != null ? "--max-running-requests"
                        : "512 per context length " + m.contextLength() + " of KV, within 2048..4096",
                m.maxRunningPerRank(), a.maxRunningRequests() == null ? "KV pool // 2, at most the slots"
                        : a.maxRunningRequests() + (a.enableDpAttention() ? " // dp_size " + a.dpSize() : "")
                        + ", at most the slots");
        if (a.disableCudaGraph()) {
            line("    CUDA-graph batch sizes: none (CUDA graphs off)");
        } else {
            line("    CUDA-graph batch sizes (%d, captured largest first): %s", m.captureBatchSizes().size(),
                    m.captureBatchSizes());
        }
    }

    private static String moeLayout(InstanceTopology topo) {
        if (topo.args().enableDeepepMoe()) {
            return "MoE expert-parallel EP " + topo.epSize() + " via DeepEP all-to-all";
        }
        if (topo.epSize() > 1) {
            return "MoE expert-parallel EP " + topo.epSize();
        }
        return "MoE tensor-parallel over TP " + topo.args().tpSize() + " (EP 1)";
    }

    private void layers(InstanceTopology topo) {
        line("  layers (scatter modes; communication of prepare_attn / prepare_mlp / postprocess_layer):");
        line("    %-7s %-5s %-12s %-12s %-12s %-12s %-10s %-10s %-10s %s", "layer", "kind", "input", "attn", "mlp",
                "output", "prep_attn", "prep_mlp", "postproc", "TBO");
        List<LayerScatterModes> layers = topo.layers();
        int start = 0;
        for (int i = 1; i <= layers.size(); i++) {
            if (i == layers.size() || !sameRow(topo, layers.get(start), layers.get(i))) {
                LayerScatterModes l = layers.get(start);
                String range = start == i - 1 ? Integer.toString(start) : start + "-" + (i - 1);
                line("    %-7s %-5s %-12s %-12s %-12s %-12s %-10s %-10s %-10s %s", range, l.sparse() ? "moe" : "dense",
                        l.layerInput(), l.attn(), l.mlp(), l.layerOutput(), shortName(l.prepareAttn()),
                        shortName(l.prepareMlp()), shortName(l.postprocessLayer()),
                        topo.inTboRegion(start) ? "yes" : "no");
                start = i;
            }
        }
    }

    private static boolean sameRow(InstanceTopology topo, LayerScatterModes a, LayerScatterModes b) {
        return a.sparse() == b.sparse() && a.layerInput() == b.layerInput() && a.mlp() == b.mlp()
                && a.layerOutput() == b.layerOutput() && topo.inTboRegion(a.layer()) == topo.inTboRegion(b.layer());
    }

    private static String shortName(Transition t) {
        return switch (t) {
            case NONE -> "-";
            case DP_GATHER -> "DP gather";
            case DP_SCATTER -> "DP scatter";
            case ATTN_TP_ALL_REDUCE -> "attnTP AR";
            case ATTN_TP_ALL_GATHER -> "attnTP AG";
            case ATTN_TP_REDUCE_SCATTER -> "attnTP RS";
        };
    }

    private void tbo(InstanceTopology topo, Role role) {
        if (!topo.args().enableTwoBatchOverlap()) {
            line("  two-batch overlap: off; every layer runs on the whole batch");
            return;
        }
        int first = topo.layers().stream().filter(LayerScatterModes::sparse).findFirst()
                .map(LayerScatterModes::layer).orElse(-1);
        // A colocated server splits its extend batches the way a prefill server does.
        TboStagePlan plan = TboStagePlan.of(topo.architecture(), role != Role.DECODE);
        line("  two-batch overlap region: layers %d-%d (from first_k_dense_replace = %d; layers before run on the parent batch)",
                first, topo.layers().size() - 1, first);
        line("    engages in an iteration only when every DP rank can run TBO and all forward modes agree (IDLE counts as DECODE)");
        LayerScatterModes l = topo.layers().get(first);
        line("    %s stage order of layer %d (child B starts %d yield point%s after child A):", plan.forwardMode(), first,
                plan.childBDelay(), plan.childBDelay() == 1 ? "" : "s");
        for (LayerStage stage : plan.stages()) {
            if (stage == LayerStage.YIELD) {
                line("      |  (yield to the other child)");
                continue;
            }
            Transition c = TboStagePlan.communicationOf(stage, l);
            String note = Objects.equals(c, Transition.NONE) ? "" : "  " + c.description()
                    + (c.readsGlobalTokenCounts() ? "  <- DP GATHER/SCATTER on a TBO child: reads global_num_tokens_gpu" : "");
            if (topo.args().enableDeepepMoe() && (stage == LayerStage.DISPATCH_A || stage == LayerStage.DISPATCH_B
                    || stage == LayerStage.COMBINE_A || stage == LayerStage.COMBINE_B)) {
                note = "  DeepEP all-to-all over EP " + topo.epSize();
            }
            line("      %-24s%s", stage.sglangName(), note);
        }
        int gather = topo.firstGatherInTboRegion();
        if (gather >= 0) {
            LayerScatterModes g = topo.layers().get(gather);
            LayerStage stage = plan.stages().stream()
                    .filter(st -> TboStagePlan.communicationOf(st, g).readsGlobalTokenCounts()).findFirst().orElseThrow();
            line("    first DP gather inside the TBO region: layer %d %s; with the 0.4.8.post1 metadata"
                    + " (strategy buggy) TBO children carry global_num_tokens_gpu = None and get_dp_local_info fails there",
                    gather, stage.sglangName());
        } else {
            line("    no DP gather inside the TBO region: TBO children never read global token counts");
        }
    }

    private void list(String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        line("  %s:", title);
        for (String item : items) {
            line("    %s", item);
        }
    }

    private void line(String format, Object... args) {
        out.append(String.format(java.util.Locale.ROOT, format, args).stripTrailing()).append('\n');
    }

    /** Lines of the report, for tests. */
    public static List<String> lines(Scenario scenario) {
        return new ArrayList<>(render(scenario).lines().toList());
    }
}

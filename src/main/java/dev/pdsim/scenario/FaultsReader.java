package dev.pdsim.scenario;

import dev.pdsim.scenario.yaml.MappingReader;
import dev.pdsim.scenario.yaml.YamlNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The {@code faults:} list of a scenario: each item one fault kind with its fields, checked against
 * the servers the scenario launches (an instance that exists, a node or TP rank it has, a window
 * that ends after it starts).
 */
final class FaultsReader {
    static final String KEY = "faults";
    static final String NODE_LOST = "node_lost";
    static final String KV_TRANSFER_FAILURE = "kv_transfer_failure";
    static final String STRAGGLER = "straggler";
    static final String COLLECTIVE_HANG = "collective_hang";
    static final String DEGRADED_LINK = "degraded_link";
    private static final List<String> KINDS = List.of(NODE_LOST, KV_TRANSFER_FAILURE, STRAGGLER, COLLECTIVE_HANG,
            DEGRADED_LINK);

    private FaultsReader() {
    }

    static List<Fault> read(MappingReader top, List<InstanceSpec> instances) {
        Map<String, Integer> nodesByName = byName(instances, ServerArgs::nnodes);
        List<Fault> faults = new ArrayList<>();
        List<YamlNode> items = top.list(KEY);
        for (int i = 0; i < items.size(); i++) {
            MappingReader item = MappingReader.of(items.get(i), top.problems(), KEY + "[" + i + "]");
            if (item == null) {
                continue;
            }
            if (KINDS.stream().filter(item::has).count() != 1) {
                item.problems().add(item.where(), item.context() + " must name one fault kind; accepted: "
                        + String.join(", ", KINDS));
            }
            MappingReader lost = item.mapping(NODE_LOST);
            MappingReader kv = item.mapping(KV_TRANSFER_FAILURE);
            MappingReader slow = item.mapping(STRAGGLER);
            MappingReader hang = item.mapping(COLLECTIVE_HANG);
            MappingReader link = item.mapping(DEGRADED_LINK);
            item.finish();
            Fault f = lost != null ? readNodeLost(lost, nodesByName) : kv != null ? readKvTransferFailure(kv)
                    : slow != null ? readStraggler(slow, byName(instances, ServerArgs::worldSize))
                    : hang != null ? readCollectiveHang(hang, nodesByName.keySet())
                    : link != null ? readDegradedLink(link, kvEnds(nodesByName.keySet())) : null;
            if (f != null) {
                faults.add(f);
            }
        }
        return List.copyOf(faults);
    }

    /** Marks the list as a known field without checking it. */
    static List<Fault> skip(MappingReader top) {
        top.has(KEY);
        return List.of();
    }

    private static NodeLost readNodeLost(MappingReader n, Map<String, Integer> nodesByName) {
        int before = n.problems().list().size();
        String instance = n.string("instance", null);
        Long node = n.integer(ScenarioFields.FAULT_NODE.key(), ScenarioFields.FAULT_NODE.fallback(),
                ScenarioFields.FAULT_NODE.min(), ScenarioFields.FAULT_NODE.max());
        Double atS = readAt(n);
        n.finish();
        if (instance == null) {
            n.problems().add(n.where(), "missing field " + n.field("instance") + " (accepted: "
                    + String.join(", ", nodesByName.keySet()) + ")");
        } else if (!nodesByName.containsKey(instance)) {
            n.problems().add(n.where("instance"), n.field("instance") + " names no instance of this scenario; accepted: "
                    + String.join(", ", nodesByName.keySet()));
        } else if (node != null && node >= nodesByName.get(instance)) {
            n.problems().add(n.where(ScenarioFields.FAULT_NODE.key()), n.field(ScenarioFields.FAULT_NODE.key()) + " must be 0.."
                    + (nodesByName.get(instance) - 1) + ": " + instance + " runs on " + nodesByName.get(instance)
                    + " node(s), got " + node);
        }
        if (n.problems().list().size() > before) {
            return null;
        }
        return new NodeLost(instance, node.intValue(), atS);
    }

    private static KvTransferFailure readKvTransferFailure(MappingReader n) {
        int before = n.problems().list().size();
        Double atS = readAt(n);
        Long count = null;
        ScenarioFields.IntegerField c = ScenarioFields.FAULT_COUNT;
        if (n.has(c.key())) {
            count = n.integer(c.key(), null, c.min(), c.max());
        } else {
            n.problems().add(n.where(), "missing field " + n.field(c.key()) + " (" + c.description() + ")");
        }
        n.finish();
        return n.problems().list().size() > before ? null : new KvTransferFailure(atS, count.intValue());
    }

    private static Straggler readStraggler(MappingReader n, Map<String, Integer> ranksByName) {
        int before = n.problems().list().size();
        String instance = n.string("instance", null);
        ScenarioFields.IntegerField rank = ScenarioFields.FAULT_RANK;
        Long r = n.integer(rank.key(), rank.fallback(), rank.min(), rank.max());
        Double from = required(n, ScenarioFields.FAULT_FROM);
        Double to = required(n, ScenarioFields.FAULT_TO);
        Double slowdown = required(n, ScenarioFields.FAULT_SLOWDOWN);
        n.finish();
        if (instance == null) {
            n.problems().add(n.where(), "missing field " + n.field("instance") + " (accepted: "
                    + String.join(", ", ranksByName.keySet()) + ")");
        } else if (!ranksByName.containsKey(instance)) {
            n.problems().add(n.where("instance"), n.field("instance") + " names no instance of this scenario; accepted: "
                    + String.join(", ", ranksByName.keySet()));
        } else if (r != null && r >= ranksByName.get(instance)) {
            n.problems().add(n.where(rank.key()), n.field(rank.key()) + " must be 0.." + (ranksByName.get(instance) - 1)
                    + ": " + instance + " has " + ranksByName.get(instance) + " TP ranks, got " + r);
        }
        if (from != null && to != null && to <= from) {
            n.problems().add(n.where(ScenarioFields.FAULT_TO.key()), n.field(ScenarioFields.FAULT_TO.key())
                    + " must be after from_s = " + from + ", got " + to);
        }
        return n.problems().list().size() > before ? null
                : new Straggler(instance, r.intValue(), from, to, slowdown);
    }

    private static CollectiveHang readCollectiveHang(MappingReader n, Collection<String> names) {
        int before = n.problems().list().size();
        String instance = n.string("instance", null);
        Double atS = readAt(n);
        n.finish();
        if (instance == null) {
            n.problems().add(n.where(), "missing field " + n.field("instance") + " (accepted: " + String.join(", ", names) + ")");
        } else if (!names.contains(instance)) {
            n.problems().add(n.where("instance"), n.field("instance") + " names no instance of this scenario; accepted: "
                    + String.join(", ", names));
        }
        return n.problems().list().size() > before ? null : new CollectiveHang(instance, atS);
    }

    private static DegradedLink readDegradedLink(MappingReader n, Collection<String> names) {
        int before = n.problems().list().size();
        String link = n.string("link", null);
        Double from = required(n, ScenarioFields.FAULT_FROM);
        Double to = required(n, ScenarioFields.FAULT_TO);
        Double factor = required(n, ScenarioFields.FAULT_BANDWIDTH_FACTOR);
        n.finish();
        List<String> accepted = new ArrayList<>();
        if (!names.isEmpty()) {
            accepted.add(DegradedLink.KV_FABRIC);
            accepted.addAll(names);
        }
        if (accepted.isEmpty()) {
            n.problems().add(n.where(), "a degraded_link slows KV transfers between prefill and decode servers, and "
                    + "this scenario has none (colocated servers transfer no KV)");
        } else if (link == null) {
            n.problems().add(n.where(), "missing field " + n.field("link") + " (accepted: " + String.join(", ", accepted) + ")");
        } else if (!accepted.contains(link)) {
            n.problems().add(n.where("link"), n.field("link") + " names no link of this scenario; accepted: "
                    + String.join(", ", accepted) + " (kv: every KV transfer; a server: those it sends or receives)");
        }
        if (from != null && to != null && to <= from) {
            n.problems().add(n.where(ScenarioFields.FAULT_TO.key()), n.field(ScenarioFields.FAULT_TO.key())
                    + " must be after from_s = " + from + ", got " + to);
        }
        return n.problems().list().size() > before ? null : new DegradedLink(link, from, to, factor);
    }

    private static Double required(MappingReader n, ScenarioFields.DecimalField f) {
        if (n.has(f.key())) {
            return n.decimal(f.key(), null, f.min(), f.max());
        }
        n.problems().add(n.where(), "missing field " + n.field(f.key()) + " (" + f.description() + ")");
        return null;
    }

    /** The required {@code at_s}; null, with a problem, when missing or out of range. */
    private static Double readAt(MappingReader n) {
        return required(n, ScenarioFields.FAULT_AT);
    }

    /** Servers as the run names them ({@code <role>-<index>} in listed order) with a figure of each. */
    /** The servers at either end of a KV transfer: colocated servers keep their KV to themselves. */
    private static List<String> kvEnds(Collection<String> names) {
        String colocated = Role.COLOCATED.yamlName() + "-";
        return names.stream().filter(n -> !n.startsWith(colocated)).toList();
    }

    private static Map<String, Integer> byName(List<InstanceSpec> instances, ToIntFunction<ServerArgs> figure) {
        Map<String, Integer> out = new LinkedHashMap<>();
        int[] next = new int[Role.values().length];
        for (InstanceSpec spec : instances) {
            for (int c = 0; c < spec.count(); c++) {
                out.put(spec.role().yamlName() + "-" + next[spec.role().ordinal()]++, figure.applyAsInt(spec.args()));
            }
        }
        return out;
    }
}

package dev.pdsim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.serving.InjectedFault;
import java.util.List;
import java.util.Locale;

/** The injected faults of a run that happened, apart from its first failure: what, when, where and what it cost. */
final class FaultsReport {
    private FaultsReport() {
    }

    /** Adds {@code faults} to a summary when any fault happened. */
    static void putJson(ObjectNode root, List<InjectedFault> faults) {
        if (faults.isEmpty()) {
            return;
        }
        ArrayNode list = root.putArray("faults");
        for (InjectedFault f : faults) {
            ObjectNode n = list.addObject();
            n.put("fault", f.description());
            n.put("time_s", SummaryJson.round(f.timeS(), 6));
            n.put("instance", f.instance());
            n.put("took_effect", f.took());
            n.put("aborted_requests", f.aborted());
        }
    }

    /** One console line per fault that happened. */
    static String console(List<InjectedFault> faults) {
        StringBuilder sb = new StringBuilder();
        for (InjectedFault f : faults) {
            sb.append(String.format(Locale.ROOT, "  fault: %s (t=%.6f s) on %s: %d user request%s aborted%s", f.description(),
                    f.timeS(), f.instance(), f.aborted(), f.aborted() == 1 ? "" : "s",
                    f.took() ? "" : "; it had already stopped")).append('\n');
        }
        return sb.toString();
    }
}

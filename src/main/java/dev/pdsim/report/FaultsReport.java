package dev.pdsim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pdsim.serving.InjectedFault;
import dev.pdsim.serving.RunResult;
import java.util.Locale;

/**
 * The injected faults of a run, apart from its first failure: what, when, where and what it cost;
 * and those the run ended before reaching, so that a fault is never silently absent.
 */
final class FaultsReport {
    private FaultsReport() {
    }

    /** Adds {@code faults} to a summary when the scenario injects any. */
    static void putJson(ObjectNode root, RunResult r) {
        if (r.faults().isEmpty()) {
            return;
        }
        ArrayNode list = root.putArray("faults");
        for (InjectedFault f : r.faults()) {
            ObjectNode n = list.addObject();
            n.put("fault", f.description());
            n.put("time_s", SummaryJson.round(f.timeS(), 6));
            n.put("instance", f.instance());
            n.put("took_effect", f.took());
            n.put("aborted_requests", f.aborted());
            n.put("retried_requests", f.retried());
            if (!f.reached()) {
                n.put("not_reached", notReached(r));
            }
        }
    }

    /** One console line per fault. */
    static String console(RunResult r) {
        StringBuilder sb = new StringBuilder();
        for (InjectedFault f : r.faults()) {
            if (!f.reached()) {
                sb.append(String.format(Locale.ROOT, "  fault: %s on %s: %s", f.description(), f.instance(), notReached(r)))
                        .append('\n');
                continue;
            }
            sb.append(String.format(Locale.ROOT, "  fault: %s (t=%.6f s) on %s: %d user request%s aborted%s%s", f.description(),
                    f.timeS(), f.instance(), f.aborted(), f.aborted() == 1 ? "" : "s",
                    f.retried() == 0 ? "" : ", " + f.retried() + " retried by the router",
                    f.took() ? "" : "; it had already stopped")).append('\n');
        }
        return sb.toString();
    }

    private static String notReached(RunResult r) {
        return String.format(Locale.ROOT, "not reached (run ended at %.6f s)", r.endS());
    }
}

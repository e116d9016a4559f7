package dev.pdsim.experiment;

import java.util.List;
import java.util.Map;

/**
 * One dimension of a sweep grid. Each value is a set of settings applied together, so a
 * "layout" axis can move nnodes, tp_size and dp_size in step while a plain axis sets one field.
 *
 * @param name   column name in sweep.csv, e.g. {@code prefill.tp_size}, {@code strategy}
 * @param target what the settings change: "prefill", "decode", "strategy" or "workload"
 * @param values each value: setting name to its text, in the order written
 */
public record SweepAxis(String name, String target, List<Map<String, String>> values) {

    /** How a value prints in tables: the lone setting's text, or "k=v k=v" for a bundle. */
    public String label(int valueIndex) {
        Map<String, String> v = values.get(valueIndex);
        if (v.size() == 1) {
            return v.values().iterator().next();
        }
        StringBuilder sb = new StringBuilder();
        v.forEach((k, x) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(x));
        return sb.toString();
    }
}

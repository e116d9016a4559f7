package dev.pdsim.experiment;

import dev.pdsim.diag.InputException;
import dev.pdsim.diag.Problems;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.scenario.Role;
import dev.pdsim.scenario.Scenario;
import dev.pdsim.scenario.ScenarioFields;
import dev.pdsim.scenario.SpeculativeAcceptance;
import dev.pdsim.scenario.yaml.MappingReader;
import dev.pdsim.scenario.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code speculative} sweep axis: each value turns MTP speculative decoding off on the decode
 * servers, or on as a chain of {@code num_steps} drafts ({@code --speculative-algorithm EAGLE},
 * topk 1, num_steps + 1 draft tokens), with an optional {@code acceptance} that replaces the base
 * scenario's. Only decode servers change: they are where speculation decodes.
 */
public final class SpeculativeAxis {
    static final String NAME = "speculative";
    static final String OFF = "off";
    private static final String STEPS = "num_steps";
    private static final long MAX_STEPS = 16;
    private static final List<String> FLAGS = List.of("speculative-algorithm", "speculative-num-steps",
            "speculative-eagle-topk", "speculative-num-draft-tokens");

    private SpeculativeAxis() {
    }

    /** {@code off}, or {@code {num_steps: N, acceptance: P}} (acceptance optional); null with a problem. */
    static Map<String, String> value(YamlNode v, Problems problems) {
        if (v instanceof YamlNode.Scalar s && s.text().equals(OFF)) {
            return Map.of(NAME, OFF);
        }
        if (!(v instanceof YamlNode.Mapping)) {
            problems.add(v.where(), NAME + " values must be off or {num_steps: 1.." + MAX_STEPS
                    + ", acceptance: 0..1 (optional)}, got " + v.kind());
            return null;
        }
        MappingReader m = MappingReader.of(v, problems, NAME);
        Long steps = m.integer(STEPS, null, 1, MAX_STEPS);
        Double acceptance = m.decimal(ScenarioFields.ACCEPTANCE, null, 0, 1);
        m.finish();
        if (steps == null) {
            if (!m.has(STEPS)) {
                problems.add(v.where(), NAME + " value needs num_steps (1.." + MAX_STEPS + ")");
            }
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put(STEPS, Long.toString(steps));
        if (acceptance != null) {
            out.put(ScenarioFields.ACCEPTANCE, ((YamlNode.Scalar) m.node(ScenarioFields.ACCEPTANCE)).text());
        }
        return out;
    }

    /**
     * A command-line value, {@code off} or {@code STEPS[:ACCEPTANCE]}, as an axis value; an
     * {@link InputException} at {@code option} naming what is accepted.
     */
    public static Map<String, String> parse(String text, String option) {
        if (text.equals(OFF)) {
            return Map.of(NAME, OFF);
        }
        String[] parts = text.split(":", -1);
        try {
            long steps = Long.parseLong(parts[0]);
            double acceptance = parts.length == 2 ? Double.parseDouble(parts[1]) : 0.5;
            if (parts.length <= 2 && steps >= 1 && steps <= MAX_STEPS && acceptance >= 0 && acceptance <= 1) {
                Map<String, String> out = new LinkedHashMap<>();
                out.put(STEPS, parts[0]);
                if (parts.length == 2) {
                    out.put(ScenarioFields.ACCEPTANCE, parts[1]);
                }
                return out;
            }
        } catch (NumberFormatException e) {
            // reported below with what is accepted
        }
        throw new InputException(SourceLocation.ofFile(option), text + " is not accepted; give off, or STEPS "
                + "1.." + MAX_STEPS + " with an optional :ACCEPTANCE 0..1 (e.g. 3 or 3:0.8)");
    }

    /** {@code base} with the decode servers' speculative flags (and acceptance) of {@code value}. */
    public static Scenario apply(Scenario base, Map<String, String> value) {
        Scenario off = base.withoutFlags(Role.DECODE, FLAGS, "sweep");
        if (OFF.equals(value.get(NAME))) {
            return off;
        }
        if (base.instances(Role.DECODE).isEmpty()) {
            // Nothing to speculate on: say so rather than run the same scenario under another label.
            throw new InputException(SourceLocation.ofFile(base.sourceFile()), "speculative decoding runs on decode "
                    + "servers, and this scenario has none (pdsim does not simulate it on colocated servers)");
        }
        int steps = Integer.parseInt(value.get(STEPS));
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put(FLAGS.get(0), "EAGLE");
        flags.put(FLAGS.get(1), Integer.toString(steps));
        flags.put(FLAGS.get(2), "1");
        flags.put(FLAGS.get(3), Integer.toString(steps + 1));
        Scenario on = off.withFlags(Role.DECODE, flags, "sweep");
        String acceptance = value.get(ScenarioFields.ACCEPTANCE);
        return acceptance == null ? on
                : on.withAcceptance(new SpeculativeAcceptance(List.of(Double.parseDouble(acceptance))));
    }
}

package dev.pdsim.scenario;

import java.util.List;

/**
 * How often the target accepts the MTP layer's draft tokens: {@code probabilities.get(i)} is the
 * chance that draft token i + 1 is accepted given that every draft before it was; positions past
 * the list take its last value. A property of the model and the text served, so a scenario field
 * ({@code speculative.acceptance}), not a launch flag.
 *
 * <p>ASSUMPTION (the default, 0.85 at every position): DeepSeek-V3's technical report (arXiv
 * 2412.19437, section 5.4.3) gives 85-90 % acceptance for the second token of its one MTP module;
 * pdsim takes the low end and, lacking any figure for later positions, the same value for drafts
 * chained from that module's own output. The report is not in pdsim's reference set; measured
 * accept lengths of SGLang with (3, 1, 4) on the served text would settle both.
 */
public record SpeculativeAcceptance(List<Double> probabilities) {
    public static final SpeculativeAcceptance DEFAULT = new SpeculativeAcceptance(List.of(0.85));

    public SpeculativeAcceptance {
        probabilities = List.copyOf(probabilities);
        if (probabilities.isEmpty()) {
            throw new IllegalArgumentException("an acceptance needs at least one probability");
        }
    }

    /** The chance that draft {@code position} (1-based) is accepted once every draft before it was. */
    public double at(int position) {
        return probabilities.get(Math.min(position, probabilities.size()) - 1);
    }

    /**
     * Mean tokens a request gains per verify with {@code drafts} chained drafts: the verified token
     * plus each draft accepted with all before it, {@code 1 + sum_k prod_{i<=k} p_i}.
     */
    public double meanAcceptedLength(int drafts) {
        double mean = 1;
        double allSoFar = 1;
        for (int k = 1; k <= drafts; k++) {
            allSoFar *= at(k);
            mean += allSoFar;
        }
        return mean;
    }
}

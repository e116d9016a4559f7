package dev.pdsim.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * How unevenly routed tokens land on the expert-parallel ranks: the expected load of the busiest
 * rank over the mean, per MoE layer. Only the busiest rank counts, because every rank waits for it
 * at the next all-to-all.
 *
 * <p>Three things make the load uneven, each modelled rather than assumed as a factor:
 * <ul>
 *   <li><b>Skewed expert popularity.</b> Each layer's experts have a persistent popularity,
 *       log-normal with {@code popularitySigma}. A rank carries the sum of its experts' shares, so
 *       the fewer experts a rank holds (larger EP) and the more ranks there are to take the maximum
 *       over, the worse the busiest rank gets.</li>
 *   <li><b>Placement.</b> Without EPLB, SGLang's trivial placement puts physical expert {@code p} on
 *       logical expert {@code p % experts}, contiguously by rank (the redundant slots repeat the first
 *       experts). With EPLB, the measured popularity is balanced the way DeepSeek's eplb.py does it:
 *       the redundant slots replicate the hottest experts, then replicas are packed, heaviest first,
 *       onto the least-loaded rank with room, every rank holding the same number of slots.</li>
 *   <li><b>Drift and sampling.</b> What arrives in a batch differs from what EPLB measured (a
 *       log-normal drift with {@code driftSigma} per expert), and a batch routes a finite number of
 *       token copies (Poisson counts), which matters at small decode batches.</li>
 * </ul>
 * Under {@link ExpertRouting#BALANCED} routing tokens spread evenly over the physical expert
 * slots (a benchmark's uniform routing over the deployed experts, replicas included): placement
 * no longer matters and only the Poisson counts remain, so the factor tends to 1.0 as the batch
 * grows.
 *
 * <p>Estimated by Monte Carlo with fixed seeds, so a value depends only on its inputs, and memoised
 * for the whole process at batch sizes that are powers of two (a batch in between interpolates in
 * log2 of its size). The popularity and drift draws come from one stream and the Poisson counts
 * from another, so every batch size sees the same layers (common random numbers): the value moves
 * smoothly with the batch instead of jumping with the sampling noise.
 */
public final class ExpertLoad {
    private static final int TRIALS = 96;
    private static final double NORMAL_ABOVE = 30;
    private static final int LAYER_SEED = 0x5EED_E9B1;
    private static final int COUNT_SEED = 0x0C0_FFEE;
    private static final Map<Key, Double> MEMO = new ConcurrentHashMap<>();

    private static final Map<LayersKey, Layer[]> LAYERS = new ConcurrentHashMap<>();

    /** One trial's MoE layer: the experts each rank holds, each expert's replicas, the share of tokens each expert gets. */
    private record Layer(int[][] ranks, int[] replicas, double[] arriving) {
    }

    private record LayersKey(int experts, double popularitySigma, double driftSigma, int ep, int slots, boolean eplb) {
    }

    private record Key(int experts, int topK, double popularitySigma, double driftSigma, boolean balanced, int ep,
                       int redundant, boolean eplb, int log2Tokens) {
    }

    private final int experts;
    private final int topK;
    private final boolean balanced;
    private final double popularitySigma;
    private final double driftSigma;
    /**
     * The memo's values for the placements this object has been asked about (a cost model's
     * servers use one or two), looked up without building a key: every forward pass asks. Not
     * shared between threads: a cost model, and so its ExpertLoad, belongs to one simulation.
     */
    private final List<PlacementValues> seen = new ArrayList<>(2);

    /** One placement's factors by log2 of the batch tokens, filled from the memo on first use. */
    private static final class PlacementValues {
        final int ep;
        final int redundant;
        final boolean eplb;
        final double[] byLog2Tokens = new double[64];
        final boolean[] known = new boolean[64];

        PlacementValues(int ep, int redundant, boolean eplb) {
            this.ep = ep;
            this.redundant = redundant;
            this.eplb = eplb;
        }
    }

    public ExpertLoad(ModelSpec model, double popularitySigma, double driftSigma) {
        this.balanced = model.routing() == ExpertRouting.BALANCED;
        this.experts = model.routedExperts();
        this.topK = model.topK();
        this.popularitySigma = popularitySigma;
        this.driftSigma = driftSigma;
    }

    /**
     * Expected tokens of the busiest rank over the mean rank in one MoE layer.
     *
     * @param ep          expert-parallel ranks
     * @param redundant   redundant expert slots ({@code --ep-num-redundant-experts})
     * @param eplb        whether EPLB places the experts
     * @param batchTokens tokens routed in the step, over all ranks
     */
    public double busiestOverMean(int ep, int redundant, boolean eplb, long batchTokens) {
        if (ep <= 1) {
            return 1.0;
        }
        long tokens = Math.max(1, batchTokens);
        int below = 63 - Long.numberOfLeadingZeros(tokens);
        double atBelow = memoised(ep, redundant, eplb, below);
        if (tokens == 1L << below) {
            return atBelow;
        }
        double f = Math.log((double) tokens / (1L << below)) / Math.log(2);
        return atBelow + f * (memoised(ep, redundant, eplb, below + 1) - atBelow);
    }

    private double memoised(int ep, int redundant, boolean eplb, int log2Tokens) {
        PlacementValues values = valuesOf(ep, redundant, eplb);
        if (!values.known[log2Tokens]) {
            values.byLog2Tokens[log2Tokens] = shared(ep, redundant, eplb, log2Tokens);
            values.known[log2Tokens] = true;
        }
        return values.byLog2Tokens[log2Tokens];
    }

    private PlacementValues valuesOf(int ep, int redundant, boolean eplb) {
        for (int i = 0; i < seen.size(); i++) {
            PlacementValues v = seen.get(i);
            if (v.ep == ep && v.redundant == redundant && v.eplb == eplb) {
                return v;
            }
        }
        PlacementValues v = new PlacementValues(ep, redundant, eplb);
        seen.add(v);
        return v;
    }

    /** The estimate from the memo every simulation shares (each estimate is costly). */
    private double shared(int ep, int redundant, boolean eplb, int log2Tokens) {
        Key key = new Key(experts, topK, popularitySigma, driftSigma, balanced, ep, redundant, eplb, log2Tokens);
        return MEMO.computeIfAbsent(key, k -> estimate(ep, redundant, eplb, 1L << log2Tokens));
    }

    /** The Monte Carlo estimate itself, without the memo. */
    double estimate(int ep, int redundant, boolean eplb, long batchTokens) {
        int slots = experts + redundant;
        if (slots % ep != 0) {
            // SGLang requires it; a layout that breaks it never gets here, but stay defined.
            slots = (slots / ep + 1) * ep;
        }
        RandomGenerator countRng = new Well19937c(new int[] {COUNT_SEED, ep, slots, eplb ? 1 : 0});
        double copies = (double) batchTokens * topK;
        if (balanced) {
            return evenOverSlots(countRng, ep, slots, copies);
        }
        double sum = 0;
        for (Layer layer : layersOf(ep, slots, eplb)) {
            double[] count = new double[experts];
            for (int e = 0; e < experts; e++) {
                count[e] = poisson(countRng, layer.arriving()[e] * copies);
            }
            double max = 0;
            double total = 0;
            for (int[] rank : layer.ranks()) {
                double load = 0;
                for (int e : rank) {
                    load += count[e] / layer.replicas()[e];
                }
                max = Math.max(max, load);
                total += load;
            }
            sum += total > 0 ? max / (total / layer.ranks().length) : 1.0;
        }
        return sum / TRIALS;
    }

    /**
     * The trials' layers: popularity, placement and drift, which do not depend on the batch size
     * (common random numbers), so they are drawn and placed once per placement rather than once per
     * batch size; the EPLB packing is most of an estimate's cost. Shared by the process like the memo.
     */
    private Layer[] layersOf(int ep, int slots, boolean eplb) {
        return LAYERS.computeIfAbsent(new LayersKey(experts, popularitySigma, driftSigma, ep, slots, eplb),
                k -> drawLayers(ep, slots, eplb));
    }

    private Layer[] drawLayers(int ep, int slots, boolean eplb) {
        RandomGenerator rng = new Well19937c(new int[] {LAYER_SEED, ep, slots, eplb ? 1 : 0});
        Layer[] layers = new Layer[TRIALS];
        for (int t = 0; t < TRIALS; t++) {
            double[] popularity = normalised(logNormals(rng, experts, popularitySigma));
            int[][] ranks = eplb ? balanced(popularity, ep, slots) : trivial(ep, slots);
            int[] replicas = new int[experts];
            for (int[] rank : ranks) {
                for (int e : rank) {
                    replicas[e]++;
                }
            }
            double[] drift = logNormals(rng, experts, driftSigma);
            double[] arriving = new double[experts];
            for (int e = 0; e < experts; e++) {
                arriving[e] = popularity[e] * drift[e];
            }
            layers[t] = new Layer(ranks, replicas, normalised(arriving));
        }
        return layers;
    }

    /** Every slot equally likely: each rank's load is the sum of its slots' Poisson counts. */
    private static double evenOverSlots(RandomGenerator countRng, int ep, int slots, double copies) {
        int perRank = slots / ep;
        double perSlot = copies / slots;
        double sum = 0;
        for (int t = 0; t < TRIALS; t++) {
            double max = 0;
            double total = 0;
            for (int r = 0; r < ep; r++) {
                double load = 0;
                for (int k = 0; k < perRank; k++) {
                    load += poisson(countRng, perSlot);
                }
                max = Math.max(max, load);
                total += load;
            }
            sum += total > 0 ? max / (total / ep) : 1.0;
        }
        return sum / TRIALS;
    }

    /** SGLang's trivial placement: slot {@code p} holds expert {@code p % experts}, rank by rank. */
    private int[][] trivial(int ep, int slots) {
        int perRank = slots / ep;
        int[][] ranks = new int[ep][perRank];
        for (int p = 0; p < slots; p++) {
            ranks[p / perRank][p % perRank] = p % experts;
        }
        return ranks;
    }

    /** DeepSeek eplb.py in one level: replicate the hottest experts, pack heaviest replicas first. */
    private int[][] balanced(double[] popularity, int ep, int slots) {
        int[] replicas = new int[experts];
        Arrays.fill(replicas, 1);
        for (int extra = experts; extra < slots; extra++) {
            int hottest = 0;
            for (int e = 1; e < experts; e++) {
                if (popularity[e] / replicas[e] > popularity[hottest] / replicas[hottest]) {
                    hottest = e;
                }
            }
            replicas[hottest]++;
        }
        List<double[]> items = new ArrayList<>(slots); // {load per replica, expert}
        for (int e = 0; e < experts; e++) {
            for (int k = 0; k < replicas[e]; k++) {
                items.add(new double[] {popularity[e] / replicas[e], e});
            }
        }
        items.sort((a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
        int perRank = slots / ep;
        int[][] ranks = new int[ep][perRank];
        int[] filled = new int[ep];
        double[] load = new double[ep];
        for (double[] item : items) {
            int best = -1;
            for (int r = 0; r < ep; r++) {
                if (filled[r] < perRank && (best < 0 || load[r] < load[best])) {
                    best = r;
                }
            }
            ranks[best][filled[best]++] = (int) item[1];
            load[best] += item[0];
        }
        return ranks;
    }

    /**
     * A Poisson count: Knuth's product of uniforms below {@value #NORMAL_ABOVE}, the normal
     * approximation above it (its error there is far below the spread across trials). Hand-written
     * because commons-math3's PoissonDistribution builds helper distributions per instance and costs
     * about a hundred microseconds a sample, which made a new (EP, batch) key take seconds.
     */
    static double poisson(RandomGenerator rng, double mean) {
        if (mean >= NORMAL_ABOVE) {
            return Math.max(0, Math.rint(mean + Math.sqrt(mean) * rng.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = rng.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= rng.nextDouble();
            k++;
        }
        return k;
    }

    private static double[] logNormals(RandomGenerator rng, int n, double sigma) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.exp(sigma * rng.nextGaussian());
        }
        return out;
    }

    private static double[] normalised(double[] v) {
        double total = 0;
        for (double x : v) {
            total += x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= total;
        }
        return v;
    }
}

package dev.pdsim.model;

/**
 * Where a token's routed experts live: the expected number of distinct places (nodes, or GPUs) its
 * top-k experts span under DeepSeek-V3's group-limited routing. The router first keeps
 * {@code topk_group} of the {@code n_group} contiguous expert groups, then picks the top-k experts
 * inside them; experts are laid out over the expert-parallel ranks in order (EPLB's hierarchical
 * mode keeps groups on nodes too), so the groups decide which nodes and GPUs a token can reach.
 *
 * <p>Assumption: the kept groups are any {@code topk_group} of the {@code n_group} with equal
 * chance, and every kept group supplies at least one of the token's experts (a group is kept for
 * the scores of its best experts). Inside the reachable places the experts fall uniformly.
 */
public final class GroupLimitedRouting {
    private GroupLimitedRouting() {
    }

    /**
     * Expected distinct places out of {@code places} equal ones (nodes of an instance, or its
     * expert-parallel GPUs) that one token's experts land on.
     */
    public static double placesReached(ModelSpec model, int places) {
        if (places <= 1) {
            return 1;
        }
        int groups = model.expertGroups();
        int keptGroups = Math.min(model.topKGroups(), groups);
        if (groups % places == 0) {
            // Each place holds whole groups: it is reached unless every kept group lies elsewhere.
            int perPlace = groups / places;
            return places * (1 - choose(groups - perPlace, keptGroups) / choose(groups, keptGroups));
        }
        // A group spans several places (or straddles them): the kept groups' places, then the
        // experts spread over those.
        double reachable = Math.min(places, keptGroups * Math.ceil((double) places / groups));
        return reachable * (1 - Math.pow(1 - 1.0 / reachable, model.topK()));
    }

    private static double choose(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }
}

package dev.pdsim.serving;

import dev.pdsim.scenario.RouterPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * SGLang's mini load balancer: picks a prefill and a decode server for each request, among the
 * servers that finished warmup and are alive; round-robin or uniformly at random (seeded).
 *
 * <p>When colocated servers stand beside disaggregated ones it first picks where a request is
 * served: a colocated server, or a decode server (with a prefill server picked for it as usual).
 * ASSUMPTION: each ready colocated server and each ready decode server is one equal choice, in
 * that order, round-robin or at random as the policy says. SGLang 0.4.8.post1 has no router for
 * such a mix (its mini_lb knows prefill and decode servers only); a deployment that ran one
 * would say how it splits the traffic.
 */
final class Router {
    private final boolean random;
    private final RandomGenerator draws;
    private int nextPrefill;
    private int nextDecode;
    private int nextServing;

    Router(RouterPolicy policy, RandomGenerator draws) {
        this.random = policy == RouterPolicy.RANDOM;
        this.draws = draws;
    }

    <T extends ServingInstance> T pick(List<T> instances, boolean prefill) {
        List<T> ready = ready(instances);
        if (ready.isEmpty()) {
            return null;
        }
        if (random) {
            return ready.get(draws.nextInt(ready.size()));
        }
        int k = prefill ? nextPrefill++ : nextDecode++;
        return ready.get(Math.floorMod(k, ready.size()));
    }

    /** Where a request is served: a ready colocated server or a ready decode server; null when none is ready. */
    ServingInstance pickServing(List<ColocatedInstance> colocated, List<DecodeInstance> decodes) {
        List<ServingInstance> ready = new ArrayList<>(ready(colocated));
        ready.addAll(ready(decodes));
        if (ready.isEmpty()) {
            return null;
        }
        return ready.get(random ? draws.nextInt(ready.size()) : Math.floorMod(nextServing++, ready.size()));
    }

    private static <T extends ServingInstance> List<T> ready(List<T> instances) {
        List<T> ready = new ArrayList<>();
        for (T i : instances) {
            if (i.status() == InstanceStatus.READY) {
                ready.add(i);
            }
        }
        return ready;
    }
}

package dev.pdsim.serving;

import dev.pdsim.scenario.RouterPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * SGLang's mini load balancer: picks a prefill and a decode server for each request, among the
 * servers that finished warmup and are alive; round-robin or uniformly at random (seeded).
 */
final class Router {
    private final boolean random;
    private final RandomGenerator draws;
    private int nextPrefill;
    private int nextDecode;

    Router(RouterPolicy policy, RandomGenerator draws) {
        this.random = policy == RouterPolicy.RANDOM;
        this.draws = draws;
    }

    <T extends ServingInstance> T pick(List<T> instances, boolean prefill) {
        List<T> ready = new ArrayList<>();
        for (T i : instances) {
            if (i.status() == InstanceStatus.READY) {
                ready.add(i);
            }
        }
        if (ready.isEmpty()) {
            return null;
        }
        if (random) {
            return ready.get(draws.nextInt(ready.size()));
        }
        int k = prefill ? nextPrefill++ : nextDecode++;
        return ready.get(Math.floorMod(k, ready.size()));
    }
}

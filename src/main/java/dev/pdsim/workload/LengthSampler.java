package dev.pdsim.workload;

import dev.pdsim.scenario.LengthSpec;
import org.apache.commons.math3.random.RandomGenerator;

/** Draws token counts from a {@link LengthSpec} with a seeded generator. */
final class LengthSampler {
    private final LengthSpec spec;
    private final RandomGenerator random;

    LengthSampler(LengthSpec spec, RandomGenerator random) {
        this.spec = spec;
        this.random = random;
    }

    int next() {
        if (spec instanceof LengthSpec.Uniform u) {
            return u.min() + random.nextInt(u.max() - u.min() + 1);
        }
        if (spec instanceof LengthSpec.LogNormal l) {
            return (int) Math.max(l.min(), Math.min(l.max(),
                    Math.round(l.median() * Math.exp(l.sigma() * random.nextGaussian()))));
        }
        return spec.min();
    }
}

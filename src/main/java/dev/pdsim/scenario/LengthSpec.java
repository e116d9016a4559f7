package dev.pdsim.scenario;

/** How many tokens a request's input or output has: fixed, or drawn (seeded) from a distribution. */
public sealed interface LengthSpec {

    /** Smallest value the spec can produce. */
    int min();

    /** Largest value the spec can produce. */
    int max();

    record Fixed(int tokens) implements LengthSpec {
        @Override
        public int min() {
            return tokens;
        }

        @Override
        public int max() {
            return tokens;
        }
    }

    record Uniform(int min, int max) implements LengthSpec {
    }

    /** Log-normal around {@code median} with shape {@code sigma}, clamped to [min, max]. */
    record LogNormal(int median, double sigma, int min, int max) implements LengthSpec {
    }
}

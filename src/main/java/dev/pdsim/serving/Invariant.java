package dev.pdsim.serving;

/**
 * The rules a run checks under {@code --check}; the README's catalogue lists where each is checked.
 * A broken one is a bug of the simulator, never a result: the run stops with an {@link InvariantViolation}.
 */
public enum Invariant {
    /** A request is in one state and leaves IN_FLIGHT exactly once (an attempt the router retries leaves it for RETRIED). */
    REQUEST_TRANSITION("a request moves only from in_flight to one terminal state"),
    /** arrival <= retry (of the current attempt, if any) <= bootstrap <= prefill start <= prefill end <= KV start <= KV end <= decode start <= first token <= finish. */
    REQUEST_TIMELINE("a request's timestamps are ordered"),
    /** A request decodes only from the iteration after its KV arrived. */
    DECODE_AFTER_KV("no decode step before the request's KV arrived"),
    /** Every rank: 0 <= free slots, and free + held slots == pool. */
    KV_SLOTS("KV slots are neither over-committed nor leaked"),
    /** The engine never runs an event before the current time. */
    TIME_MONOTONIC("simulated time never goes back"),
    /** The DP ranks of a group agree on the sizes each collective moves. */
    COLLECTIVE_SIZES("every DP rank joins a collective with the sizes its peers expect"),
    /** Every output token of a finished request is produced. */
    OUTPUT_TOKENS("a finished request produced all its output tokens"),
    /** submitted == finished + aborted + unfinished. */
    REQUEST_COUNTS("every submitted request is counted once");

    private final String rule;

    Invariant(String rule) {
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}

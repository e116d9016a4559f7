package dev.pdsim.serving;

import dev.pdsim.workload.Prompt;

/**
 * One request's life through the router, a prefill instance and a decode instance, or a colocated one. Timestamps are
 * simulated nanoseconds, {@link #UNSET} until reached. Mutable: owned by the simulation thread.
 *
 * <p>The request owns its end: it leaves {@link State#IN_FLIGHT} exactly once, by {@link #finish},
 * {@link #abort} or {@link #unfinished}, and any other transition is a bug of the simulator,
 * reported at once.
 */
final class Request {
    static final long UNSET = -1;

    enum Kind { USER, WARMUP }

    enum State {
        IN_FLIGHT, FINISHED, ABORTED,
        /** Still on its way when the run stopped: neither served nor refused. */
        UNFINISHED;

        /** Only a request in flight may end, and it ends once. */
        boolean canBecome(State next) {
            return this == IN_FLIGHT && next != IN_FLIGHT;
        }
    }

    final long id;
    final Kind kind;
    final long arrivalNs;
    final int inputLen;
    /** Its prompt's blocks, which a prefill rank's prefix cache may already hold. */
    final Prompt prompt;
    final int outputLen;
    long bootstrapRoom;
    /** The servers the router chose, null until the request reaches them. */
    PrefillInstance prefill;
    int prefillRank = -1;
    DecodeInstance decode;
    int decodeRank = -1;
    /** The colocated server that prefills and decodes it (then {@link #prefill} and {@link #decode} stay null). */
    ColocatedInstance colocated;
    /** Warmup requests use FAKE_BOOTSTRAP_HOST: no decode side, transfers complete at once. */
    boolean fakeBootstrap;

    long bootstrappedNs = UNSET;
    long prefillStartNs = UNSET;
    long prefillEndNs = UNSET;
    long kvStartNs = UNSET;
    long kvEndNs = UNSET;
    long decodeStartNs = UNSET;
    long firstTokenNs = UNSET;

    /** Prompt tokens already computed (chunked prefill), counting those found in the prefix cache. */
    int prefilled;
    /** Prompt tokens the prefill rank found in its prefix cache, so did not compute. */
    int cachedTokens;
    /** Output tokens produced so far (the first comes from the prefill). */
    int generated;
    /** Decode step of its rank at which the last token is produced. */
    long finishStep;
    boolean decodeSlotsHeld;
    /** Decode steps of its rank slower than the SLO's ITL bound when it joined the running batch. */
    long slowStepsAtJoin;
    /** Whether every gap between two of its tokens was within the SLO's ITL bound (set when it finishes). */
    boolean itlWithinSlo = true;
    boolean prefillSlotsHeld;
    /** On a colocated server: slots its output tokens hold, and output tokens to prefill again after a retraction. */
    int outputSlots;
    int recompute;
    /** On a colocated server: when its latest token came out. */
    long lastTokenNs = UNSET;

    private State state = State.IN_FLIGHT;
    private String reason = "";
    private long finishNs = UNSET;

    Request(long id, Kind kind, long arrivalNs, Prompt prompt, int outputLen) {
        this.id = id;
        this.kind = kind;
        this.arrivalNs = arrivalNs;
        this.inputLen = prompt.tokens();
        this.prompt = prompt;
        this.outputLen = outputLen;
    }

    /** Its last token is out. */
    void finish(long nowNs) {
        end(State.FINISHED, nowNs);
    }

    /** It ends without its output: rejected by the router, or lost with a server or the end of the run. */
    void abort(String why, long nowNs) {
        end(State.ABORTED, nowNs);
        this.reason = why;
    }

    /** The run stopped while it was still on its way. */
    void unfinished(String why, long nowNs) {
        end(State.UNFINISHED, nowNs);
        this.reason = why;
    }

    private void end(State next, long nowNs) {
        if (!state.canBecome(next)) {
            throw InvariantViolation.of(Invariant.REQUEST_TRANSITION, nowNs, this,
                    "illegal transition " + state + " -> " + next);
        }
        state = next;
        finishNs = nowNs;
    }

    State state() {
        return state;
    }

    boolean terminal() {
        return state != State.IN_FLIGHT;
    }

    /** Why it was aborted or left unfinished; empty otherwise. */
    String reason() {
        return reason;
    }

    long finishNs() {
        return finishNs;
    }
}

package dev.pdsim.serving;

import dev.pdsim.workload.Prompt;

/**
 * One request's life through the router, a prefill instance and a decode instance, or a colocated one. Timestamps are
 * simulated nanoseconds, {@link #UNSET} until reached. Mutable: owned by the simulation thread.
 *
 * <p>The request owns its end: it leaves {@link State#IN_FLIGHT} exactly once, by {@link #finish},
 * {@link #abort} or {@link #unfinished}, and any other transition is a bug of the simulator,
 * reported at once. An object is one attempt: when the router retries, {@link #retry} closes this
 * one and hands the request on to a new one, which alone may end it.
 */
final class Request {
    static final long UNSET = -1;

    enum Kind { USER, WARMUP }

    enum State {
        IN_FLIGHT, FINISHED, ABORTED,
        /** Still on its way when the run stopped: neither served nor refused. */
        UNFINISHED,
        /**
         * This attempt failed and the router sent the request again, as a new attempt: not an end of
         * the request, which the new attempt carries on (so events still due for this one are ignored).
         */
        RETRIED;

        /** Only a request in flight may end, and it ends once. */
        boolean canBecome(State next) {
            return this == IN_FLIGHT && next != IN_FLIGHT;
        }
    }

    final long id;
    final Kind kind;
    final long arrivalNs;
    /** How many times the router sent it again after a failure (0: its first attempt). */
    final int attempt;
    /** When the router sent this attempt, {@link #UNSET} for the first (sent at arrival). */
    final long retriedNs;
    /** Why the previous attempt failed; empty for the first. */
    final String retriedBecause;
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
    /** Under speculative decoding: tokens the running iteration's verify accepts for it (drawn when it starts). */
    int speculativeGain;
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
        this(id, kind, arrivalNs, prompt, outputLen, 0, UNSET, "");
    }

    private Request(long id, Kind kind, long arrivalNs, Prompt prompt, int outputLen, int attempt, long retriedNs,
                    String retriedBecause) {
        this.id = id;
        this.kind = kind;
        this.arrivalNs = arrivalNs;
        this.inputLen = prompt.tokens();
        this.prompt = prompt;
        this.outputLen = outputLen;
        this.attempt = attempt;
        this.retriedNs = retriedNs;
        this.retriedBecause = retriedBecause;
    }

    /**
     * This attempt failed because of {@code why} and the router sends the request again: the same
     * request (id, arrival, prompt, output length) from scratch, no KV or token of this attempt kept.
     *
     * @return the new attempt, in flight; this one is {@link State#RETRIED}
     */
    Request retry(String why, long nowNs) {
        end(State.RETRIED, nowNs);
        this.reason = why;
        return new Request(id, kind, arrivalNs, prompt, outputLen, attempt + 1, nowNs, why);
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

    /** Whether this attempt is over: the request ended, or was sent again as a new attempt. */
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

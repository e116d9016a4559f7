package dev.pdsim.serving;

/**
 * One request's life through the router, a prefill instance and a decode instance. Timestamps are
 * simulated nanoseconds, {@link #UNSET} until reached. Mutable: owned by the simulation thread.
 */
final class Request {
    static final long UNSET = -1;

    enum Kind { USER, WARMUP }

    enum State { IN_FLIGHT, FINISHED, ABORTED }

    final long id;
    final Kind kind;
    final long arrivalNs;
    final int inputLen;
    final int outputLen;
    long bootstrapRoom;
    int prefillInstance = -1;
    int prefillRank = -1;
    int decodeInstance = -1;
    int decodeRank = -1;
    /** Warmup requests use FAKE_BOOTSTRAP_HOST: no decode side, transfers complete at once. */
    boolean fakeBootstrap;

    long bootstrappedNs = UNSET;
    long prefillStartNs = UNSET;
    long prefillEndNs = UNSET;
    long kvStartNs = UNSET;
    long kvEndNs = UNSET;
    long decodeStartNs = UNSET;
    long firstTokenNs = UNSET;
    long finishNs = UNSET;

    /** Prompt tokens already computed (chunked prefill). */
    int prefilled;
    /** Output tokens produced so far (the first comes from the prefill). */
    int generated;
    /** Decode step of its rank at which the last token is produced. */
    long finishStep;
    boolean decodeSlotsHeld;
    boolean prefillSlotsHeld;

    State state = State.IN_FLIGHT;
    String reason = "";

    Request(long id, Kind kind, long arrivalNs, int inputLen, int outputLen) {
        this.id = id;
        this.kind = kind;
        this.arrivalNs = arrivalNs;
        this.inputLen = inputLen;
        this.outputLen = outputLen;
    }

    boolean terminal() {
        return state != State.IN_FLIGHT;
    }
}

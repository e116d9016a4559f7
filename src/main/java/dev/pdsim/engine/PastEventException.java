package dev.pdsim.engine;

/**
 * Thrown when an event is scheduled before the simulator's current time. Firing it would make the
 * clock run backwards, which always indicates a bug in the model (typically a negative duration).
 */
public final class PastEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long nowNs;
    private final long requestedNs;

    /**
     * @param nowNs the simulator's current time
     * @param requestedNs the (earlier) time the event was requested for
     */
    public PastEventException(long nowNs, long requestedNs) {
        super("cannot schedule an event at t=" + requestedNs + " ns: it is before now, t=" + nowNs
                + " ns (" + (nowNs - requestedNs) + " ns in the past)");
        this.nowNs = nowNs;
        this.requestedNs = requestedNs;
    }

    /** @return the simulator's time when the scheduling was attempted, in ns */
    public long nowNs() {
        return nowNs;
    }

    /** @return the rejected event time, in ns */
    public long requestedNs() {
        return requestedNs;
    }
}

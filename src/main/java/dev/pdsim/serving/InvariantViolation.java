package dev.pdsim.serving;

import dev.pdsim.engine.PastEventException;
import java.util.Locale;

/**
 * A broken {@link Invariant}: a bug of the simulator, so the run stops at once. Its one-line message
 * names the simulated time, the instance and rank, the request and the rule, whichever apply.
 */
public final class InvariantViolation extends IllegalStateException {
    /** Marks an instance, rank or request that does not apply. */
    static final long NONE = -1;
    private static final long serialVersionUID = 1L;

    private final Invariant invariant;

    InvariantViolation(Invariant invariant, long nowNs, String instance, int rank, long requestId, String detail) {
        super(message(invariant, nowNs, instance, rank, requestId, detail));
        this.invariant = invariant;
    }

    /** A rule not tied to an instance or a request. */
    static InvariantViolation of(Invariant invariant, long nowNs, String detail) {
        return new InvariantViolation(invariant, nowNs, null, (int) NONE, NONE, detail);
    }

    /** A rule broken by one request, where it was when it broke. */
    static InvariantViolation of(Invariant invariant, long nowNs, Request r, String detail) {
        ServingInstance at = r.decode != null ? r.decode : r.prefill;
        int rank = at == null ? (int) NONE : at == r.decode ? r.decodeRank : r.prefillRank;
        return new InvariantViolation(invariant, nowNs, at == null ? null : at.name, rank, r.id, detail);
    }

    /** The engine refused an event before its current time: the clock would have gone back. */
    static InvariantViolation timeWentBack(PastEventException e) {
        return of(Invariant.TIME_MONOTONIC, e.nowNs(), e.getMessage());
    }

    public Invariant invariant() {
        return invariant;
    }

    private static String message(Invariant invariant, long nowNs, String instance, int rank, long requestId,
                                  String detail) {
        StringBuilder sb = new StringBuilder("invariant ").append(invariant.name().toLowerCase(Locale.ROOT))
                .append(" violated at t=").append(String.format(Locale.ROOT, "%.9f", nowNs / 1e9)).append(" s");
        if (instance != null) {
            sb.append(", instance ").append(instance);
        }
        if (rank != NONE) {
            sb.append(", rank ").append(rank);
        }
        if (requestId != NONE) {
            sb.append(", request ").append(requestId);
        }
        return sb.append(": ").append(invariant.rule()).append(" (").append(detail).append(')').toString();
    }
}

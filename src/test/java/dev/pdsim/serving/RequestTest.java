package dev.pdsim.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pdsim.workload.Prompt;
import org.junit.jupiter.api.Test;

class RequestTest {
    private static Request request() {
        return new Request(7, Request.Kind.USER, 0, Prompt.unique(100), 10);
    }

    @Test
    void endsOnceFinishedOrAborted() {
        Request done = request();
        done.finish(5);
        assertEquals(Request.State.FINISHED, done.state());
        assertEquals(5, done.finishNs());
        assertEquals("", done.reason());

        Request lost = request();
        lost.abort("decode-0 crashed", 6);
        assertEquals(Request.State.ABORTED, lost.state());
        assertEquals(6, lost.finishNs());
        assertEquals("decode-0 crashed", lost.reason());
        assertTrue(lost.terminal());
    }

    @Test
    void aSecondEndNamesTheRequestAndBothStates() {
        Request r = request();
        r.finish(5);
        InvariantViolation e = assertThrows(InvariantViolation.class, () -> r.abort("late", 6));
        assertEquals(Invariant.REQUEST_TRANSITION, e.invariant());
        assertEquals("invariant request_transition violated at t=0.000000006 s, request 7: a request moves only from"
                + " in_flight to one terminal state (illegal transition FINISHED -> ABORTED)", e.getMessage());
        assertEquals("", r.reason(), "a refused transition changes nothing");
        assertThrows(IllegalStateException.class, () -> r.finish(7));
        assertEquals(5, r.finishNs());
    }
}

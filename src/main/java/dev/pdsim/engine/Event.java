package dev.pdsim.engine;

/**
 * Something that happens at a point in simulated time.
 *
 * <p>An event is a plain callback: the {@link Simulator} sets its clock to the event's time and
 * then calls {@link #fire}. Everything the event needs besides the simulator is captured by the
 * implementing object, so one object may be scheduled many times (for example a periodic tick that
 * re-schedules itself).
 */
@FunctionalInterface
public interface Event {

    /**
     * Performs the event. {@link Simulator#now()} already equals the time the event was scheduled
     * for; the event may schedule or cancel other events, or call {@link Simulator#stop()}.
     *
     * @param sim the simulator that is firing this event
     */
    void fire(Simulator sim);
}

package dev.pdsim.serving;

import dev.pdsim.engine.Event;
import dev.pdsim.metadata.MetadataStrategy;
import dev.pdsim.metrics.ServingMetrics;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * What a serving instance may ask of the simulation that runs it, and all it may tell it. The
 * instances see nothing else of the simulation: not the other servers, the router or the request
 * bookkeeping, which stay the simulation's own.
 */
interface ServingContext {

    // ---- the clock and the event calendar ----

    long now();

    void schedule(long atNs, int phase, Event event);

    // ---- what the run was launched with ----

    /** How the servers fill the forward-batch metadata (the behaviour under test). */
    MetadataStrategy strategy();

    /** The seeded random stream of one component, independent of every other component's draws. */
    RandomGenerator randomStream(String component);

    /** Whether the run checks its invariants ({@code --check}): then a broken one stops it. */
    boolean checking();

    /** Whether each layer operation is an engine event of its own. */
    boolean layerFidelity();

    // ---- metrics and trace ----

    ServingMetrics metrics();

    /** Tokens a forward pass computed from wrong rows (silently, without failing). */
    void corrupted(long tokens);

    InstanceTrace trace();

    // ---- the KV-transfer fabric between prefill and decode servers ----

    /**
     * Time to move the KV of request {@code r}'s prompt from its prefill rank to its decode rank,
     * stored at {@code kvElementBytes} a value (the transfer sends the stored bytes), for a transfer
     * starting at {@code startNs} (a degraded link slows the transfers that start in its window).
     * Each GPU of the rank's attention-TP group of {@code attnTpSize} sends the KV it holds over its
     * own NIC: with GQA its KV heads, a replicated head once per GPU holding it.
     */
    long kvTransferNs(Request r, int kvElementBytes, int attnTpSize, long startNs);

    /** The decode side has reserved KV for the request: its prefill server may schedule it. */
    void bootstrapReady(Request r);

    /** The prefill side finished sending a request's KV. */
    void kvArrived(Request r);

    /**
     * How many times longer a forward of {@code inst} starting at {@code nowNs} takes because one
     * of its GPUs is an injected straggler; 1 when none is.
     */
    double stragglerSlowdown(ServingInstance inst, long nowNs);

    // ---- the end of requests and servers ----

    /** The request's last token is out; the server has already released what it held for it. */
    void finished(Request r, long nowNs);

    /** Ends the request as aborted, releasing what any server still holds for it; no-op if it has ended. */
    void abort(Request r, String reason);

    /**
     * A forward pass of the server raised or hung, at {@code nowNs}: one of its CUDA-graph captures
     * when {@code captureBatchSize} is not null (the size being captured), else a scheduled batch.
     */
    void failed(ServingInstance inst, ForwardFailure f, long nowNs, Integer captureBatchSize);
}

package io.ringfence.engine.pipeline;

/** How the stages are placed on threads. */
public enum Layout {
    /** Journal and business in parallel on their own threads, then dispatch on a third (DESIGN §2). */
    DEDICATED,
    /** Journal, business and dispatch in sequence on one thread: fewest threads, for small machines. */
    COMBINED,
    /**
     * Journal, business and dispatch in sequence on the publisher's own thread, as each event is
     * published (in a server, the gateway's I/O thread): no stage thread, no hand-off and no
     * wake-up between receiving an event and writing its answer, at the cost of the publisher not
     * reading while it decides. Aeron's {@code SHARED} threading mode, for a machine whose cores
     * are fewer than the threads that would otherwise wake each other per message.
     */
    INLINE,
    /** Chosen from the number of cores: see {@link Topology#resolve}. */
    AUTO
}

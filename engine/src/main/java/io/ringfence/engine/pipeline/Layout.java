package io.ringfence.engine.pipeline;

/** How the stages are placed on threads. */
public enum Layout {
    /** Journal and business in parallel on their own threads, then dispatch on a third (DESIGN §2). */
    DEDICATED,
    /** Journal, business and dispatch in sequence on one thread: fewest threads, for small machines. */
    COMBINED,
    /** Chosen from the number of cores: see {@link Topology#resolve}. */
    AUTO
}

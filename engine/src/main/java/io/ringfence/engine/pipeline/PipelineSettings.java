package io.ringfence.engine.pipeline;

/**
 * Resolved, validated settings a {@link Pipeline} starts with.
 *
 * @param ringSize            input ring slots (power of two)
 * @param topology            thread layout and wait strategy
 * @param firstSequence       engine sequence of the first event to publish (journal's last + 1)
 * @param maxMessageBytes     largest inbound SBE message accepted
 * @param initialMessageBytes per-slot message buffer to preallocate (grows on demand)
 * @param initialOutputBytes  per-slot output buffer to preallocate (grows on demand)
 * @param stageTimes          stamp each event when published, journaled and decided, for the
 *                            sink's {@link OutputSink#onStageTimes} (latency breakdown; metrics only)
 */
public record PipelineSettings(int ringSize, Topology topology, long firstSequence, int maxMessageBytes,
                               int initialMessageBytes, int initialOutputBytes, boolean stageTimes) {
    /** Without stage times. */
    public PipelineSettings(final int ringSize, final Topology topology, final long firstSequence, final int maxMessageBytes,
                            final int initialMessageBytes, final int initialOutputBytes) {
        this(ringSize, topology, firstSequence, maxMessageBytes, initialMessageBytes, initialOutputBytes, false);
    }

    /** Validates. */
    public PipelineSettings {
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of two: " + ringSize);
        }
        if (firstSequence < 1) {
            throw new IllegalArgumentException("firstSequence must be >= 1: " + firstSequence);
        }
    }
}

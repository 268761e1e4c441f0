package io.ringfence.engine.snapshot;

/**
 * When the business stage takes a periodic snapshot: after every event whose sequence is a
 * multiple of {@code everyEvents}, and after the first event whose journaled ingest time falls in
 * a new {@code everyEventTime} period (epoch-aligned). Both keyed to the journal, so the same
 * journal gets snapshots at the same sequences. A snapshot that cannot start at once (the writer
 * still busy with the previous one) stays due and is taken at the next event.
 */
public final class SnapshotPolicy {
    private static final long NONE = Long.MIN_VALUE;

    private final long everyEvents;
    private final long everyMicros;
    private long period = NONE;
    private boolean pending;

    /**
     * @param everyEvents  0 for none by count
     * @param everyMicros  0 for none by time
     */
    public SnapshotPolicy(final long everyEvents, final long everyMicros) {
        this.everyEvents = everyEvents;
        this.everyMicros = everyMicros;
    }

    /** Business thread, after each event: is a snapshot due now? */
    public boolean due(final long sequence, final long ingestTimeMicros) {
        if (everyEvents > 0 && sequence % everyEvents == 0) {
            pending = true;
        }
        if (everyMicros > 0) {
            final long p = Math.floorDiv(ingestTimeMicros, everyMicros);
            if (period != NONE && p != period) {
                pending = true;
            }
            period = p;
        }
        return pending;
    }

    /**
     * A snapshot fell due and has not been taken yet (both buffers were busy). Read it from
     * another thread only once the business stage has drained (its events dispatched).
     */
    public boolean pending() {
        return pending;
    }

    /** The due snapshot was taken. */
    public void taken() {
        pending = false;
    }
}

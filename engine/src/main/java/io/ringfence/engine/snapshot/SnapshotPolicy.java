package io.ringfence.engine.snapshot;

/**
 * When the business stage takes a periodic snapshot: after every event whose sequence is a
 * multiple of {@code everyEvents}, and after the first event whose journaled ingest time falls in
 * a new {@code everyEventTime} period (epoch-aligned). Both keyed to the journal, so the same
 * journal gets snapshots at the same sequences. A snapshot that cannot start at once (the writer
 * still busy with the previous one) stays due and is taken at the next event; a point that falls
 * while one is still due is folded into it and counted ({@link #folded}), so a policy asking for
 * snapshots faster than the disk writes them is visible, not silent (trial).
 */
public final class SnapshotPolicy {
    private static final long NONE = Long.MIN_VALUE;

    private final long everyEvents;
    private final long everyMicros;
    private long period = NONE;
    private boolean pending;
    private long dueAt = -1;
    /** Business thread writes, any thread reads. */
    private volatile long folded;
    /** {@link #dueAt()} for other threads: written only when a snapshot falls due or is taken. */
    private volatile long dueSignal = -1;

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
        boolean point = everyEvents > 0 && sequence % everyEvents == 0;
        if (everyMicros > 0) {
            final long p = Math.floorDiv(ingestTimeMicros, everyMicros);
            if (period != NONE && p != period) {
                point = true;
            }
            period = p;
        }
        if (point) {
            if (pending) {
                folded = folded + 1; // single writer
            } else {
                pending = true;
                dueAt = sequence;
                dueSignal = sequence;
            }
        }
        return pending;
    }

    /** Business thread: the sequence at which the snapshot now due fell due, or -1 when none is. */
    public long dueAt() {
        return pending ? dueAt : -1;
    }

    /** Policy points that fell while a snapshot was still due (both buffers busy) and were folded into it. */
    public long folded() {
        return folded;
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
        if (pending) {
            pending = false;
            dueSignal = -1;
        }
    }

    /**
     * Any thread: the sequence at which the snapshot still pending fell due, or -1 when none is (as
     * {@link #dueAt()}, read without the business thread).
     */
    public long pendingDueAt() {
        return dueSignal;
    }
}

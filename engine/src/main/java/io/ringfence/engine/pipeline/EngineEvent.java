package io.ringfence.engine.pipeline;

import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.output.OutputSpillPool;
import org.agrona.ExpandableArrayBuffer;

/**
 * One preallocated, reusable ring slot. The publisher sets every header field and copies the
 * SBE message in, so nothing stale survives reuse; the business stage fills {@link #outputs()}.
 */
public final class EngineEvent {
    private EventKind kind = EventKind.EVENT;
    private long sequence;
    private long ingestTimeMicros;
    private long sourceId;
    private long clientSeq;
    private int messageLength;
    private final ExpandableArrayBuffer message;
    private final OutputBuffer outputs;
    /**
     * Stage times (System.nanoTime, 0 when {@code pipeline.stageTimes} is off): handed to the ring,
     * taken by the journal stage, journaled, business done. Metrics only: never read by business logic, never journaled (DESIGN §3).
     */
    private long receivedNanos;
    private long journalStartNanos;
    private long journaledNanos;
    private long decidedNanos;
    /** Business state written after this event for a snapshot, on its way to the dispatch stage; usually null. */
    private StateWriter snapshot;

    public EngineEvent(final int initialMessageCapacity, final int initialOutputCapacity, final OutputSpillPool spillPool) {
        this.message = new ExpandableArrayBuffer(initialMessageCapacity);
        this.outputs = new OutputBuffer(initialOutputCapacity, spillPool);
    }

    void set(final EventKind kind, final long sequence, final long ingestTimeMicros, final long sourceId,
             final long clientSeq, final int messageLength) {
        this.kind = kind;
        this.sequence = sequence;
        this.ingestTimeMicros = ingestTimeMicros;
        this.sourceId = sourceId;
        this.clientSeq = clientSeq;
        this.messageLength = messageLength;
        this.snapshot = null;
        this.receivedNanos = 0;
        this.journalStartNanos = 0;
        this.journaledNanos = 0;
        this.decidedNanos = 0;
    }

    void receivedNanos(final long nanos) {
        this.receivedNanos = nanos;
    }

    void journalStartNanos(final long nanos) {
        this.journalStartNanos = nanos;
    }

    void journaledNanos(final long nanos) {
        this.journaledNanos = nanos;
    }

    void decidedNanos(final long nanos) {
        this.decidedNanos = nanos;
    }

    /** When the publisher handed this event to the ring (System.nanoTime), 0 when stage times are off. */
    public long receivedNanos() {
        return receivedNanos;
    }

    /** When the journal stage took it from the ring (before the append), 0 when off or not journaled. */
    public long journalStartNanos() {
        return journalStartNanos;
    }

    /** When the journal stage had appended it, 0 when off or not journaled. */
    public long journaledNanos() {
        return journaledNanos;
    }

    /** When the business stage was done with it, 0 when off. */
    public long decidedNanos() {
        return decidedNanos;
    }

    StateWriter snapshot() {
        return snapshot;
    }

    void snapshot(final StateWriter writer) {
        this.snapshot = writer;
    }

    public EventKind kind() {
        return kind;
    }

    /** Engine sequence of an {@link EventKind#EVENT}; for other kinds the sequence of the last event before it. */
    public long sequence() {
        return sequence;
    }

    public long ingestTimeMicros() {
        return ingestTimeMicros;
    }

    /** Of a {@link EventKind#REJECT}: the tag its publisher gave ({@link Pipeline#tryPublishReject}), held in the ingest time's place. */
    public long rejectTag() {
        return kind == EventKind.REJECT ? ingestTimeMicros : 0;
    }

    public long sourceId() {
        return sourceId;
    }

    public long clientSeq() {
        return clientSeq;
    }

    /** The SBE message (header included) starting at offset 0. */
    public ExpandableArrayBuffer message() {
        return message;
    }

    public int messageLength() {
        return messageLength;
    }

    public OutputBuffer outputs() {
        return outputs;
    }
}

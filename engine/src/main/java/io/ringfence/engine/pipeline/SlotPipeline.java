package io.ringfence.engine.pipeline;

import io.ringfence.engine.snapshot.SnapshotAgent;
import org.agrona.DirectBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * What both wirings of the stages share: the publisher's side (engine sequence assignment,
 * filling a preallocated {@link EngineEvent} slot, the message size limit), the failure state
 * and draining on close. A subclass says how a slot is claimed and handed to the stages (a
 * Disruptor ring, or queues) and how far dispatch has got.
 */
abstract class SlotPipeline implements Pipeline {
    /** How long {@link #offerDueSnapshot} waits before offering a marker for the same due snapshot again. */
    private static final long OFFER_AGAIN_NANOS = 100_000_000L;
    private static final java.lang.invoke.VarHandle LAST_SEQUENCE;
    static {
        try {
            LAST_SEQUENCE = java.lang.invoke.MethodHandles.lookup().findVarHandle(SlotPipeline.class, "lastSequence", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    protected final AtomicReference<Throwable> failure = new AtomicReference<>();
    protected final AtomicLong businessErrors = new AtomicLong();
    private final Topology topology;
    /** The stage threads' factory (it knows how their pinning went); null for the inline layout, which has none. */
    private volatile StageThreads stageThreads;
    private final int maxMessageBytes;
    private final boolean stageTimes;
    /** Null for a pipeline without snapshots. */
    private final SnapshotAgent snapshots;
    /** The due point {@link #offerDueSnapshot} last published a marker for, and when: again only after a pause. */
    private long offeredFor = -1;
    private long offeredAtNanos;
    private long nextSequence;
    /** Written by the publisher only; read by it plainly and by others (metrics, ClientDirectory) through {@link #lastSequence()}. */
    private long lastSequence;
    private boolean closed;

    SlotPipeline(final PipelineSettings settings, final SnapshotAgent snapshots) {
        this.snapshots = snapshots;
        this.topology = settings.topology();
        this.maxMessageBytes = settings.maxMessageBytes();
        this.stageTimes = settings.stageTimes();
        this.nextSequence = settings.firstSequence();
        this.lastSequence = settings.firstSequence() - 1;
    }

    /** A free slot for the publisher, waiting while there is none; throws once the pipeline has failed. */
    protected abstract EngineEvent claimSlot();

    /** A free slot, or null when there is none (nothing claimed). */
    protected abstract EngineEvent tryClaimSlot();

    /** Hands the slot last claimed to the stages. */
    protected abstract void publishSlot(EngineEvent event);

    @Override
    public final long dispatchedSlots() {
        return dispatchedMark();
    }

    /** A mark of everything published so far, comparable with {@link #dispatchedMark()}. */
    protected abstract long publishedMark();

    /** How far dispatch has got, in the units of {@link #publishedMark()}. */
    protected abstract long dispatchedMark();

    /** Stops the stage threads (after draining, or at once after a failure). */
    protected abstract void stopThreads();

    @Override
    public final Topology topology() {
        return topology;
    }

    /** Waits for the stage threads to end (up to {@code timeoutMillis}); null when they did, else the names of those still running. */
    protected final String stageThreadsJoined(final long timeoutMillis) {
        final StageThreads threads = stageThreads;
        return threads == null ? null : threads.join(timeoutMillis);
    }

    /** The factory the subclass made its stage threads with. */
    protected final StageThreads stageThreads(final StageThreads factory) {
        this.stageThreads = factory;
        return factory;
    }

    @Override
    public final String describeThreads() {
        final StageThreads threads = stageThreads;
        return threads == null ? topology.toString() : topology.describe(threads.pinning(1_000));
    }

    @Override
    public final long publish(final long ingestTimeMicros, final long sourceId, final long clientSeq,
                              final DirectBuffer buffer, final int offset, final int length) {
        final long sequence = nextSequence;
        publishAt(sequence, ingestTimeMicros, sourceId, clientSeq, buffer, offset, length);
        return sequence;
    }

    @Override
    public final long tryPublish(final long ingestTimeMicros, final long sourceId, final long clientSeq,
                                 final DirectBuffer buffer, final int offset, final int length) {
        final long sequence = nextSequence;
        if (!tryPublishSlot(EventKind.EVENT, sequence, ingestTimeMicros, sourceId, clientSeq, buffer, offset, length)) {
            return -1;
        }
        LAST_SEQUENCE.setRelease(this, sequence); // read from the admin threads (a release store: plain on x86)
        nextSequence = sequence + 1;
        return sequence;
    }

    @Override
    public final boolean tryPublishControl(final long sourceId, final long clientSeq, final DirectBuffer buffer,
                                           final int offset, final int length) {
        return tryPublishSlot(EventKind.CONTROL, lastSequence, 0, sourceId, clientSeq, buffer, offset, length);
    }

    @Override
    public final void publishAt(final long sequence, final long ingestTimeMicros, final long sourceId, final long clientSeq,
                                final DirectBuffer buffer, final int offset, final int length) {
        if (sequence <= lastSequence) {
            throw new PipelineException("sequence " + sequence + " is not after the last published " + lastSequence);
        }
        if (length > maxMessageBytes) {
            // a journaled event (recovery, replay): taken under a larger setting than this one (review: the server stopped
            // with "message of 4503 bytes is outside 1..4096", naming no setting)
            throw new PipelineException("the journal's event at sequence " + sequence + " is " + length + " bytes, more than"
                + " input.maxEventBytes " + maxMessageBytes + " (the size of the pipeline's slots): it was journaled under a"
                + " larger setting; set input.maxEventBytes to at least " + length + " to read this journal");
        }
        checkLength(length);
        fill(claimSlot(), EventKind.EVENT, sequence, ingestTimeMicros, sourceId, clientSeq, buffer, offset, length);
        LAST_SEQUENCE.setRelease(this, sequence); // read from the admin threads (a release store: plain on x86)
        nextSequence = sequence + 1;
    }

    @Override
    public final boolean tryPublishReject(final long sourceId, final long clientSeq, final long tag, final DirectBuffer buffer,
                                          final int offset, final int length) {
        // a Reject has no ingest time: its slot's field carries the tag to the dispatch stage
        return tryPublishSlot(EventKind.REJECT, lastSequence, tag, sourceId, clientSeq, buffer, offset, length);
    }

    @Override
    public final void publishReject(final long sourceId, final long clientSeq, final DirectBuffer buffer, final int offset,
                                    final int length) {
        checkLength(length);
        fill(claimSlot(), EventKind.REJECT, lastSequence, 0, sourceId, clientSeq, buffer, offset, length);
    }

    @Override
    public final void publishEndOfInput() {
        publishMarker(EventKind.END_OF_INPUT);
    }

    @Override
    public final void publishSnapshot() {
        publishMarker(EventKind.SNAPSHOT);
    }

    @Override
    public final boolean offerDueSnapshot() {
        if (snapshots == null) {
            return false;
        }
        final long due = snapshots.policy().pendingDueAt();
        if (due < 0 || !snapshots.idle() || failure.get() != null) {
            return false;
        }
        // a marker that found no room (a buffer the dispatch stage had not handed on yet, in the dedicated layout: review)
        // leaves the snapshot pending: offered again after a pause, not in every loop of a quiet publisher
        final long now = System.nanoTime();
        if (due == offeredFor && now - offeredAtNanos < OFFER_AGAIN_NANOS) {
            return false;
        }
        final EngineEvent event = tryClaimSlot();
        if (event == null) {
            return false;
        }
        event.set(EventKind.SNAPSHOT_IF_DUE, lastSequence, 0, 0, 0, 0);
        publishSlot(event);
        offeredFor = due;
        offeredAtNanos = now;
        return true;
    }

    @Override
    public final long lastSequence() {
        return (long) LAST_SEQUENCE.getAcquire(this);
    }

    @Override
    public final long businessErrors() {
        return businessErrors.get();
    }

    @Override
    public final Throwable failure() {
        return failure.get();
    }

    @Override
    public final void awaitDispatched(final long timeout, final TimeUnit unit) {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        final long target = publishedMark();
        while (dispatchedMark() < target) {
            throwIfFailed();
            if (System.nanoTime() > deadline) {
                throw new PipelineException("pipeline did not drain within " + timeout + " " + unit
                        + " (dispatched " + dispatchedMark() + " of " + target + ")");
            }
            LockSupport.parkNanos(100_000);
        }
        throwIfFailed();
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failure.get() == null) {
                awaitDispatched(5, TimeUnit.MINUTES);
            }
        } finally {
            stopThreads();
        }
    }

    protected final void throwIfFailed() {
        final Throwable t = failure.get();
        if (t != null) {
            throw new PipelineException("pipeline stopped: " + t, t);
        }
    }

    private void publishMarker(final EventKind kind) {
        final EngineEvent event = claimSlot();
        event.set(kind, lastSequence, 0, 0, 0, 0);
        publishSlot(event);
    }

    private boolean tryPublishSlot(final EventKind kind, final long sequence, final long ingestTimeMicros, final long sourceId,
                                   final long clientSeq, final DirectBuffer buffer, final int offset, final int length) {
        checkLength(length);
        throwIfFailed();
        final EngineEvent event = tryClaimSlot();
        if (event == null) {
            return false;
        }
        fill(event, kind, sequence, ingestTimeMicros, sourceId, clientSeq, buffer, offset, length);
        return true;
    }

    private void fill(final EngineEvent event, final EventKind kind, final long sequence, final long ingestTimeMicros,
                      final long sourceId, final long clientSeq, final DirectBuffer buffer, final int offset, final int length) {
        event.message().putBytes(0, buffer, offset, length);
        event.set(kind, sequence, ingestTimeMicros, sourceId, clientSeq, length);
        if (stageTimes) {
            event.receivedNanos(System.nanoTime()); // metrics only (DESIGN §3): never seen by business logic
        }
        publishSlot(event);
    }

    private void checkLength(final int length) {
        if (length <= 0 || length > maxMessageBytes) {
            throw new PipelineException("message of " + length + " bytes is outside 1.." + maxMessageBytes);
        }
    }
}

package io.ringfence.engine.pipeline;

import io.ringfence.engine.snapshot.SnapshotAgent;
import io.ringfence.journal.Journal;
import org.agrona.DirectBuffer;

import java.util.concurrent.TimeUnit;

/**
 * The engine's stages (journal, business, dispatch; DESIGN.md §2) behind one input: what the
 * gateway, the tools and the benchmarks publish into. The product's wiring is the Disruptor ring
 * ({@link DisruptorPipeline}, what {@link #start} builds); {@link BlockingQueuePipeline} wires the
 * same stages with {@code ArrayBlockingQueue}s as a measured baseline ({@code pipeline.queue}).
 *
 * <p>One producer thread publishes; it assigns the engine sequence. Outputs of an event leave
 * only after it is journaled; a journal or dispatch failure stops the pipeline and the next
 * publish throws; a business failure on one event is counted and logged, and the rest go on.
 */
public interface Pipeline extends AutoCloseable {
    /** Starts the Disruptor pipeline. {@code journal} may be null (replay: events are already journaled). */
    static Pipeline start(final PipelineSettings settings, final Journal journal, final BusinessLogic logic,
                          final OutputSink sink) {
        return DisruptorPipeline.start(settings, journal, logic, sink);
    }

    /**
     * The same, taking snapshots: periodic ones as {@code snapshots}' policy says, and one on
     * {@link #publishSnapshot()}.
     */
    static Pipeline start(final PipelineSettings settings, final Journal journal, final BusinessLogic logic,
                          final OutputSink sink, final SnapshotAgent snapshots) {
        return DisruptorPipeline.start(settings, journal, logic, sink, snapshots);
    }

    /** Which stage runs on which thread and CPU, and how the threads wait: as configured. */
    Topology topology();

    /**
     * The topology in words as it turned out: the pinning each stage thread actually got (a cpu the
     * OS refused, or no affinity library, leaves a thread unpinned with a warning), where
     * {@code topology().toString()} says what was asked. Waits up to a second for threads started but
     * not yet pinned.
     */
    String describeThreads();

    /**
     * Publishes an accepted event under the next engine sequence; waits while the input is full.
     *
     * @return the engine sequence assigned
     * @throws PipelineException if the pipeline has failed or the message is too large
     */
    long publish(long ingestTimeMicros, long sourceId, long clientSeq, DirectBuffer buffer, int offset, int length);

    /**
     * Publishes an accepted event under the next engine sequence if there is room, without waiting:
     * the gateway's I/O thread stops reading its sockets instead of blocking when this returns -1.
     *
     * @return the engine sequence assigned, or -1 if the input is full (nothing published)
     * @throws PipelineException if the pipeline has failed or the message is too large
     */
    long tryPublish(long ingestTimeMicros, long sourceId, long clientSeq, DirectBuffer buffer, int offset, int length);

    /**
     * Publishes a {@link EventKind#CONTROL} message for the sink's {@link OutputSink#onControl} if
     * there is room, without waiting. Not journaled, no sequence of its own.
     *
     * @return false if the input is full (nothing published)
     */
    boolean tryPublishControl(long sourceId, long clientSeq, DirectBuffer buffer, int offset, int length);

    /** Publishes an already-sequenced event (replay from a journal); sequences must increase. */
    void publishAt(long sequence, long ingestTimeMicros, long sourceId, long clientSeq, DirectBuffer buffer, int offset, int length);

    /**
     * Like {@link #publishReject} but without waiting: the gateway's I/O thread refuses an invalid
     * message through the pipeline so its {@code Reject} is dispatched in order with the sender's answers.
     *
     * @param tag     handed back to the output side with {@link OutputSink#onRefused} once the Reject is dispatched
     *                (the gateway's fingerprint of the refused message), 0 for none
     * @return false if the input is full (nothing published)
     */
    boolean tryPublishReject(long sourceId, long clientSeq, long tag, DirectBuffer buffer, int offset, int length);

    /** Dispatches a {@code Reject} (SBE, header included) in order with the outputs, without journaling anything. */
    void publishReject(long sourceId, long clientSeq, DirectBuffer buffer, int offset, int length);

    /** Marks the end of a finite input: open windows are closed and emitted. */
    void publishEndOfInput();

    /**
     * Asks for a snapshot covering every event published so far (clean shutdown); a no-op for a
     * pipeline started without snapshots. Waits while the input is full.
     */
    void publishSnapshot();

    /**
     * Publisher thread, when it has nothing else to publish: if a periodic snapshot fell due and is
     * still pending (both buffers were busy when it fell due, or it was put off for room; the
     * business stage takes one only at an event) and no snapshot is being written now, publishes a
     * marker that takes it at the last event's sequence (for the same due snapshot again only after
     * a pause, should a marker find no buffer it may take). Without it a quiet
     * server kept such a snapshot pending until its next event, and a kill meanwhile recovered from
     * the snapshot before (operator audit). Never blocks; false when nothing was published.
     */
    boolean offerDueSnapshot();

    /** Sequence of the last event published, or {@code firstSequence - 1} when none. */
    long lastSequence();

    /** Slots published but not yet dispatched; any thread (metrics). */
    long ringOccupancy();

    /**
     * A mark of how far dispatch has got, in ring slots (events, controls, refusals, snapshot markers alike): it moves
     * whenever a stage thread finishes a slot. Any thread (health).
     */
    long dispatchedSlots();

    /** Input capacity in slots. */
    int ringSize();

    /** Events whose business processing threw (each logged with its sequence). */
    long businessErrors();

    /** The fatal failure that stopped the pipeline, or null. */
    Throwable failure();

    /**
     * Waits until everything published so far has been dispatched.
     *
     * @throws PipelineException on a fatal stage failure or if the timeout passes
     */
    void awaitDispatched(long timeout, TimeUnit unit);

    /** Drains what was published, then stops the stage threads. */
    @Override
    void close();
}

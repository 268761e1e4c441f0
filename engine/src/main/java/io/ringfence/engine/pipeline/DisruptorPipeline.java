package io.ringfence.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.ringfence.engine.output.OutputSpillPool;
import io.ringfence.engine.snapshot.SnapshotAgent;
import io.ringfence.journal.Journal;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Wires the engine's stages on one Disruptor input ring (DESIGN.md §2):
 *
 * <pre>
 *   publisher ──▶ [ input ring ] ──┬──▶ 1. journal stage  (Chronicle append)  ──┐
 *                                  └──▶ 2. business stage (windows, scoring…)   ──┴──▶ 3. dispatch stage ──▶ OutputSink
 * </pre>
 *
 * Dispatch is gated on both 1 and 2, so no output leaves before its event is journaled. With
 * the {@link Layout#COMBINED} layout the three run in that order on one thread. Without a
 * journal (replay) stage 1 is absent.
 *
 * <p>One producer thread publishes ({@link ProducerType#SINGLE}); it assigns the engine
 * sequence. Failure policy: a journal or dispatch failure is fatal (the pipeline stops, nothing
 * un-journaled is emitted, the next publish throws); a business failure on one event is counted
 * and logged with its sequence by {@link BusinessHandler}, that event gets no outputs, and the
 * ring moves on.
 */
public final class DisruptorPipeline implements Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(DisruptorPipeline.class);

    private final Disruptor<EngineEvent> disruptor;
    private final RingBuffer<EngineEvent> ring;
    private final Topology topology;
    private final EventHandler<EngineEvent> last;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong businessErrors = new AtomicLong();
    private final int maxMessageBytes;
    private final boolean stageTimes;
    private long nextSequence;
    private long lastSequence;
    private boolean closed;

    private DisruptorPipeline(final PipelineSettings settings, final Journal journal, final BusinessLogic logic, final OutputSink sink,
                     final SnapshotAgent snapshots) {
        this.topology = settings.topology();
        this.maxMessageBytes = settings.maxMessageBytes();
        this.stageTimes = settings.stageTimes();
        this.nextSequence = settings.firstSequence();
        this.lastSequence = settings.firstSequence() - 1;
        final boolean journaled = journal != null;
        final ThreadFactory threads = new StageThreads(topology, journaled);
        final OutputSpillPool spillPool = new OutputSpillPool();
        disruptor = new Disruptor<>(() -> new EngineEvent(settings.initialMessageBytes(), settings.initialOutputBytes(), spillPool),
                settings.ringSize(), threads, ProducerType.SINGLE, topology.waitKind().create());

        final EventHandler<EngineEvent> journalStage = journaled ? new JournalHandler(journal.appender(), topology.layout() == Layout.COMBINED, stageTimes) : null;
        final EventHandler<EngineEvent> business = new BusinessHandler(logic, businessErrors, snapshots, stageTimes);
        final EventHandler<EngineEvent> dispatch = new DispatchHandler(sink, snapshots, stageTimes);
        if (topology.layout() == Layout.COMBINED) {
            @SuppressWarnings("unchecked")
            final EventHandler<EngineEvent> one = journaled
                    ? new SequentialHandler(journalStage, business, dispatch)
                    : new SequentialHandler(business, dispatch);
            disruptor.handleEventsWith(one);
            disruptor.handleExceptionsFor(one).with(fatal("engine"));
            last = one;
        } else {
            if (journaled) {
                disruptor.handleEventsWith(journalStage, business).then(dispatch);
                disruptor.handleExceptionsFor(journalStage).with(fatal("journal"));
            } else {
                disruptor.handleEventsWith(business).then(dispatch);
            }
            disruptor.handleExceptionsFor(business).with(fatal("business"));
            disruptor.handleExceptionsFor(dispatch).with(fatal("dispatch"));
            last = dispatch;
        }
        ring = disruptor.start();
        LOG.info("pipeline started: {}", topology);
    }

    /** Starts a pipeline. {@code journal} may be null (replay: events are already journaled). */
    public static DisruptorPipeline start(final PipelineSettings settings, final Journal journal, final BusinessLogic logic,
                                          final OutputSink sink) {
        return new DisruptorPipeline(settings, journal, logic, sink, null);
    }

    /**
     * The same, taking snapshots: periodic ones as {@code snapshots}' policy says, and one on
     * {@link #publishSnapshot()}.
     */
    public static DisruptorPipeline start(final PipelineSettings settings, final Journal journal, final BusinessLogic logic,
                                          final OutputSink sink, final SnapshotAgent snapshots) {
        return new DisruptorPipeline(settings, journal, logic, sink, snapshots);
    }

    @Override
    public Topology topology() {
        return topology;
    }

    @Override
    public long publish(final long ingestTimeMicros, final long sourceId, final long clientSeq,
                        final DirectBuffer buffer, final int offset, final int length) {
        final long sequence = nextSequence;
        publishAt(sequence, ingestTimeMicros, sourceId, clientSeq, buffer, offset, length);
        return sequence;
    }

    @Override
    public long tryPublish(final long ingestTimeMicros, final long sourceId, final long clientSeq,
                           final DirectBuffer buffer, final int offset, final int length) {
        final long sequence = nextSequence;
        if (!tryPublishSlot(EventKind.EVENT, sequence, ingestTimeMicros, sourceId, clientSeq, buffer, offset, length)) {
            return -1;
        }
        lastSequence = sequence;
        nextSequence = sequence + 1;
        return sequence;
    }

    @Override
    public boolean tryPublishControl(final long sourceId, final long clientSeq, final DirectBuffer buffer,
                                     final int offset, final int length) {
        return tryPublishSlot(EventKind.CONTROL, lastSequence, 0, sourceId, clientSeq, buffer, offset, length);
    }

    private boolean tryPublishSlot(final EventKind kind, final long sequence, final long ingestTimeMicros, final long sourceId,
                                   final long clientSeq, final DirectBuffer buffer, final int offset, final int length) {
        checkLength(length);
        throwIfFailed();
        final long slot = tryClaim();
        if (slot < 0) {
            return false;
        }
        fill(slot, kind, sequence, ingestTimeMicros, sourceId, clientSeq, buffer, offset, length);
        return true;
    }

    private void fill(final long slot, final EventKind kind, final long sequence, final long ingestTimeMicros,
                      final long sourceId, final long clientSeq, final DirectBuffer buffer, final int offset, final int length) {
        final EngineEvent event = ring.get(slot);
        event.message().putBytes(0, buffer, offset, length);
        event.set(kind, sequence, ingestTimeMicros, sourceId, clientSeq, length);
        if (stageTimes) {
            event.receivedNanos(System.nanoTime()); // metrics only (DESIGN §3): never seen by business logic
        }
        ring.publish(slot);
    }

    @Override
    public void publishAt(final long sequence, final long ingestTimeMicros, final long sourceId, final long clientSeq,
                          final DirectBuffer buffer, final int offset, final int length) {
        if (sequence <= lastSequence) {
            throw new PipelineException("sequence " + sequence + " is not after the last published " + lastSequence);
        }
        checkLength(length);
        fill(claim(), EventKind.EVENT, sequence, ingestTimeMicros, sourceId, clientSeq, buffer, offset, length);
        lastSequence = sequence;
        nextSequence = sequence + 1;
    }

    @Override
    public boolean tryPublishReject(final long sourceId, final long clientSeq, final DirectBuffer buffer,
                                    final int offset, final int length) {
        return tryPublishSlot(EventKind.REJECT, lastSequence, 0, sourceId, clientSeq, buffer, offset, length);
    }

    @Override
    public void publishReject(final long sourceId, final long clientSeq, final DirectBuffer buffer, final int offset, final int length) {
        checkLength(length);
        fill(claim(), EventKind.REJECT, lastSequence, 0, sourceId, clientSeq, buffer, offset, length);
    }

    @Override
    public void publishEndOfInput() {
        final long slot = claim();
        ring.get(slot).set(EventKind.END_OF_INPUT, lastSequence, 0, 0, 0, 0);
        ring.publish(slot);
    }

    @Override
    public void publishSnapshot() {
        final long slot = claim();
        ring.get(slot).set(EventKind.SNAPSHOT, lastSequence, 0, 0, 0, 0);
        ring.publish(slot);
    }

    @Override
    public long lastSequence() {
        return lastSequence;
    }

    @Override
    public long ringOccupancy() {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    @Override
    public int ringSize() {
        return ring.getBufferSize();
    }

    @Override
    public long businessErrors() {
        return businessErrors.get();
    }

    @Override
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void awaitDispatched(final long timeout, final TimeUnit unit) {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        final long target = ring.getCursor();
        while (disruptor.getSequenceValueFor(last) < target) {
            throwIfFailed();
            if (System.nanoTime() > deadline) {
                throw new PipelineException("pipeline did not drain within " + timeout + " " + unit
                        + " (dispatched " + disruptor.getSequenceValueFor(last) + " of " + target + ")");
            }
            LockSupport.parkNanos(100_000);
        }
        throwIfFailed();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failure.get() == null) {
                awaitDispatched(5, TimeUnit.MINUTES);
            }
        } finally {
            disruptor.halt();
        }
    }

    private long claim() {
        while (true) {
            throwIfFailed();
            try {
                return ring.tryNext();
            } catch (final InsufficientCapacityException full) {
                LockSupport.parkNanos(1_000);
            }
        }
    }

    private long tryClaim() {
        try {
            return ring.tryNext();
        } catch (final InsufficientCapacityException full) {
            return -1;
        }
    }

    private void checkLength(final int length) {
        if (length <= 0 || length > maxMessageBytes) {
            throw new PipelineException("message of " + length + " bytes is outside 1.." + maxMessageBytes);
        }
    }

    private void throwIfFailed() {
        final Throwable t = failure.get();
        if (t != null) {
            throw new PipelineException("pipeline stopped: " + t, t);
        }
    }

    private ExceptionHandler<EngineEvent> fatal(final String stage) {
        return new ExceptionHandler<>() {
            @Override
            public void handleEventException(final Throwable ex, final long ringSequence, final EngineEvent event) {
                LOG.error("{} stage failed at engine sequence {}; stopping the pipeline", stage, event.sequence(), ex);
                failure.compareAndSet(null, new PipelineException(
                        stage + " stage failed at engine sequence " + event.sequence() + ": " + ex.getMessage(), ex));
                throw new PipelineException(stage + " stage failed", ex);
            }

            @Override
            public void handleOnStartException(final Throwable ex) {
                failure.compareAndSet(null, ex);
            }

            @Override
            public void handleOnShutdownException(final Throwable ex) {
                LOG.warn("{} stage failed while shutting down", stage, ex);
            }
        };
    }
}

package io.ringfence.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.ringfence.engine.output.OutputSpillPool;
import io.ringfence.engine.snapshot.SnapshotAgent;
import io.ringfence.journal.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * the {@link Layout#COMBINED} layout the three run in that order on one thread. With
 * {@link Layout#INLINE} they run in that order on the publisher's thread: each publish polls the
 * ring ({@link EventPoller}) before it returns, so an event is journaled, decided and dispatched
 * when its publish returns, and the ring never holds more than that one event. Without a
 * journal (replay) stage 1 is absent.
 *
 * <p>One producer thread publishes ({@link ProducerType#SINGLE}); it assigns the engine
 * sequence. Failure policy: a journal or dispatch failure is fatal (the pipeline stops, nothing
 * un-journaled is emitted, the next publish throws); a business failure on one event is counted
 * and logged with its sequence by {@link BusinessHandler}, that event gets no outputs, and the
 * ring moves on.
 */
public final class DisruptorPipeline extends SlotPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(DisruptorPipeline.class);
    private static final int INLINE_RING_SIZE = 64;

    /** Null with the inline layout (no stage thread to run). */
    private final Disruptor<EngineEvent> disruptor;
    private final RingBuffer<EngineEvent> ring;
    private final EventHandler<EngineEvent> last;
    /** The inline layout's way to run the stages on the publisher's thread; null otherwise. */
    private final EventPoller<EngineEvent> poller;
    private final EventPoller.Handler<EngineEvent> inline;
    /** Ring sequence of the slot last claimed; publisher thread only. */
    private long claimed;
    /** The inline layout's stages are running (on the publisher's thread): a publish from inside them is refused. */
    private boolean inStages;

    private DisruptorPipeline(final PipelineSettings settings, final Journal journal, final BusinessLogic logic, final OutputSink sink,
                     final SnapshotAgent snapshots) {
        super(settings, snapshots);
        final Topology topology = settings.topology();
        final boolean stageTimes = settings.stageTimes();
        final boolean journaled = journal != null;
        final OutputSpillPool spillPool = new OutputSpillPool();
        final EventHandler<EngineEvent> journalStage = journaled
                ? new JournalHandler(journal.appender(), topology.layout() != Layout.DEDICATED, stageTimes) : null;
        final EventHandler<EngineEvent> business = new BusinessHandler(logic, businessErrors, snapshots, stageTimes);
        final EventHandler<EngineEvent> dispatch = new DispatchHandler(sink, snapshots, stageTimes);
        if (topology.layout() == Layout.INLINE) {
            final EventHandler<EngineEvent> one = sequential(journalStage, business, dispatch);
            disruptor = null;
            // it never holds more than the event being published, so 64 slots whatever ringSize says (their buffers stay
            // in cache); never waited on, so a strategy whose publish signals nobody (a blocking one takes a lock)
            ring = RingBuffer.createSingleProducer(() -> new EngineEvent(settings.initialMessageBytes(),
                    settings.initialOutputBytes(), spillPool), Math.min(INLINE_RING_SIZE, settings.ringSize()),
                    new YieldingWaitStrategy());
            poller = ring.newPoller();
            ring.addGatingSequences(poller.getSequence());
            inline = (event, sequence, endOfBatch) -> {
                one.onEvent(event, sequence, endOfBatch);
                return true;
            };
            last = one;
            LOG.info("pipeline started: {}", topology);
            return;
        }
        poller = null;
        inline = null;
        disruptor = new Disruptor<>(() -> new EngineEvent(settings.initialMessageBytes(), settings.initialOutputBytes(), spillPool),
                settings.ringSize(), stageThreads(new StageThreads(topology, journaled)), ProducerType.SINGLE, topology.waitKind().create());
        if (topology.layout() == Layout.COMBINED) {
            final EventHandler<EngineEvent> one = sequential(journalStage, business, dispatch);
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

    /** Journal (when there is one), business and dispatch for one event, in that order, on one thread. */
    @SuppressWarnings("unchecked")
    private static EventHandler<EngineEvent> sequential(final EventHandler<EngineEvent> journalStage,
                                                        final EventHandler<EngineEvent> business,
                                                        final EventHandler<EngineEvent> dispatch) {
        return journalStage != null ? new SequentialHandler(journalStage, business, dispatch) : new SequentialHandler(business, dispatch);
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
    protected EngineEvent claimSlot() {
        refuseNestedPublish();
        claimed = claim();
        return ring.get(claimed);
    }

    @Override
    protected EngineEvent tryClaimSlot() {
        refuseNestedPublish();
        final long slot = tryClaim();
        if (slot < 0) {
            return null;
        }
        claimed = slot;
        return ring.get(slot);
    }

    @Override
    protected void publishSlot(final EngineEvent event) {
        ring.publish(claimed);
        if (poller != null) {
            runInline(event);
        }
    }

    /** The inline layout's poller moves its sequence on only when a poll returns: an event published from a stage would be processed twice. */
    private void refuseNestedPublish() {
        if (inStages) {
            throw new IllegalStateException("publish from inside a stage of the inline layout: refused before it was claimed");
        }
    }

    /**
     * The inline layout: journal, business and dispatch for the event just published, on this thread. A failure
     * stops the pipeline as a stage thread's would, and is thrown to the publisher of the event it stopped at.
     */
    private void runInline(final EngineEvent event) {
        inStages = true;
        try {
            poller.poll(inline);
        } catch (final Throwable ex) {
            StageFailures.log(LOG, "engine", event.sequence(), ex);
            failure.compareAndSet(null, new PipelineException(
                    "engine stage failed at engine sequence " + event.sequence() + ": " + ex.getMessage(), ex));
            throw new PipelineException("engine stage failed at engine sequence " + event.sequence() + ": " + ex, ex);
        } finally {
            inStages = false;
        }
    }

    @Override
    protected long publishedMark() {
        return ring.getCursor();
    }

    @Override
    protected long dispatchedMark() {
        return poller != null ? poller.getSequence().get() : disruptor.getSequenceValueFor(last);
    }

    @Override
    protected void stopThreads() {
        if (disruptor != null) {
            disruptor.halt(); // asks the processors to stop; it waits for none
            final String alive = stageThreadsJoined(10_000);
            if (alive != null) {
                LOG.warn("stage threads still running 10 s after the pipeline was stopped: {}", alive);
            }
        }
    }

    @Override
    public long ringOccupancy() {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    @Override
    public int ringSize() {
        return ring.getBufferSize();
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

    private ExceptionHandler<EngineEvent> fatal(final String stage) {
        return new ExceptionHandler<>() {
            @Override
            public void handleEventException(final Throwable ex, final long ringSequence, final EngineEvent event) {
                StageFailures.log(LOG, stage, event.sequence(), ex);
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

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadFactory;
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
public final class DisruptorPipeline extends SlotPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(DisruptorPipeline.class);

    private final Disruptor<EngineEvent> disruptor;
    private final RingBuffer<EngineEvent> ring;
    private final EventHandler<EngineEvent> last;
    /** Ring sequence of the slot last claimed; publisher thread only. */
    private long claimed;

    private DisruptorPipeline(final PipelineSettings settings, final Journal journal, final BusinessLogic logic, final OutputSink sink,
                     final SnapshotAgent snapshots) {
        super(settings);
        final Topology topology = settings.topology();
        final boolean stageTimes = settings.stageTimes();
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
    protected EngineEvent claimSlot() {
        claimed = claim();
        return ring.get(claimed);
    }

    @Override
    protected EngineEvent tryClaimSlot() {
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
    }

    @Override
    protected long publishedMark() {
        return ring.getCursor();
    }

    @Override
    protected long dispatchedMark() {
        return disruptor.getSequenceValueFor(last);
    }

    @Override
    protected void stopThreads() {
        disruptor.halt();
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

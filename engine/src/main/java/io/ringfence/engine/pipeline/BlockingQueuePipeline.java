package io.ringfence.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ringfence.engine.output.OutputSpillPool;
import io.ringfence.engine.snapshot.SnapshotAgent;
import io.ringfence.journal.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Baseline for measurement, not for production: the same stages as {@link Pipeline} (the same
 * {@link JournalHandler}, {@link BusinessHandler} and {@link DispatchHandler} on the same
 * {@link EngineEvent} slots, the same thread names, layouts and pinning) wired with
 * {@link ArrayBlockingQueue}s instead of the Disruptor, so a benchmark can show what the ring buys.
 *
 * <pre>
 *   combined:   publisher ──▶ [toEngine] ──▶ rf-engine (journal, business, dispatch) ──┐
 *   dedicated:  publisher ──┬▶ [toJournal]  ──▶ rf-journal  ──▶ [journaled] ──┐      │
 *                           └▶ [toBusiness] ──▶ rf-business ──▶ [decided]   ──┴▶ rf-dispatch
 *   every layout: the last stage ──▶ [free] ──▶ publisher
 * </pre>
 *
 * The queues carry references to {@code ringSize} preallocated slots, which travel back to the
 * publisher through the {@code free} queue, so nothing is allocated per event by this class; what
 * the queues' locks allocate when a thread parks (AQS wait nodes) is theirs. Each consumer takes
 * one slot (blocking) and then drains whatever else is queued, so it works in batches like the
 * Disruptor's processors and its {@code endOfBatch} is the last slot of a drained batch. The
 * failure policy is the same: a business failure is counted and logged by {@link BusinessHandler};
 * any other stage failure stops the pipeline and the next publish throws.
 */
public final class BlockingQueuePipeline extends SlotPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(BlockingQueuePipeline.class);

    private final ArrayBlockingQueue<EngineEvent> free;
    private final List<ArrayBlockingQueue<EngineEvent>> inputs = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong dispatched = new AtomicLong();
    private final int size;
    /** Slots sent (events and markers); publisher thread only. */
    private long published;

    private BlockingQueuePipeline(final PipelineSettings settings, final Journal journal, final BusinessLogic logic,
                                  final OutputSink sink, final SnapshotAgent snapshots) {
        super(settings, snapshots);
        final Topology topology = settings.topology();
        if (topology.layout() == Layout.INLINE) {
            throw new IllegalArgumentException("the ArrayBlockingQueue wiring has no inline layout: inline hands nothing over"
                    + " to a stage thread, so there is no queue to wire (use combined or dedicated)");
        }
        size = settings.ringSize();
        final OutputSpillPool spillPool = new OutputSpillPool();
        free = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            free.add(new EngineEvent(settings.initialMessageBytes(), settings.initialOutputBytes(), spillPool));
        }
        final boolean journaled = journal != null;
        final StageThreads factory = stageThreads(new StageThreads(topology, journaled));
        final EventHandler<EngineEvent> journalStage = journaled
                ? new JournalHandler(journal.appender(), topology.layout() == Layout.COMBINED, settings.stageTimes()) : null;
        final EventHandler<EngineEvent> business = new BusinessHandler(logic, businessErrors, snapshots, settings.stageTimes());
        final EventHandler<EngineEvent> dispatch = new DispatchHandler(sink, snapshots, settings.stageTimes());
        if (topology.layout() == Layout.COMBINED) {
            @SuppressWarnings("unchecked")
            final EventHandler<EngineEvent> one = journaled
                    ? new SequentialHandler(journalStage, business, dispatch)
                    : new SequentialHandler(business, dispatch);
            final ArrayBlockingQueue<EngineEvent> toEngine = new ArrayBlockingQueue<>(size);
            inputs.add(toEngine);
            threads.add(factory.newThread(new Stage("engine", one, size, toEngine, null, free, true)));
        } else {
            final ArrayBlockingQueue<EngineEvent> decided = new ArrayBlockingQueue<>(size);
            final ArrayBlockingQueue<EngineEvent> toBusiness = new ArrayBlockingQueue<>(size);
            ArrayBlockingQueue<EngineEvent> journaledQueue = null;
            if (journaled) {
                final ArrayBlockingQueue<EngineEvent> toJournal = new ArrayBlockingQueue<>(size);
                journaledQueue = new ArrayBlockingQueue<>(size);
                inputs.add(toJournal);
                threads.add(factory.newThread(new Stage("journal", journalStage, size, toJournal, null, journaledQueue, false)));
            }
            inputs.add(toBusiness);
            threads.add(factory.newThread(new Stage("business", business, size, toBusiness, null, decided, false)));
            threads.add(factory.newThread(new Stage("dispatch", dispatch, size, decided, journaledQueue, free, true)));
        }
        for (final Thread t : threads) {
            t.start();
        }
        LOG.info("ArrayBlockingQueue pipeline started: {}", topology);
    }

    /** Starts a pipeline. {@code journal} may be null (events already journaled). */
    public static BlockingQueuePipeline start(final PipelineSettings settings, final Journal journal, final BusinessLogic logic,
                                              final OutputSink sink) {
        return new BlockingQueuePipeline(settings, journal, logic, sink, null);
    }

    /** The same, taking snapshots as {@link Pipeline#start(PipelineSettings, Journal, BusinessLogic, OutputSink, SnapshotAgent)} does. */
    public static BlockingQueuePipeline start(final PipelineSettings settings, final Journal journal, final BusinessLogic logic,
                                              final OutputSink sink, final SnapshotAgent snapshots) {
        return new BlockingQueuePipeline(settings, journal, logic, sink, snapshots);
    }

    @Override
    protected EngineEvent claimSlot() {
        return claim();
    }

    @Override
    protected EngineEvent tryClaimSlot() {
        return free.poll();
    }

    @Override
    protected void publishSlot(final EngineEvent event) {
        send(event);
    }

    @Override
    protected long publishedMark() {
        return published;
    }

    @Override
    protected long dispatchedMark() {
        return dispatched.get();
    }

    @Override
    protected void stopThreads() {
        for (final Thread t : threads) {
            t.interrupt();
        }
        for (final Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    @Override
    public long ringOccupancy() {
        return size - free.size();
    }

    @Override
    public int ringSize() {
        return size;
    }

    private EngineEvent claim() {
        try {
            while (true) {
                throwIfFailed();
                final EngineEvent e = free.poll(10, TimeUnit.MILLISECONDS);
                if (e != null) {
                    return e;
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineException("interrupted while waiting for a free slot", e);
        }
    }

    private void send(final EngineEvent event) {
        for (int i = 0; i < inputs.size(); i++) {
            inputs.get(i).add(event); // never full: there are only as many slots as each queue holds
        }
        published++;
    }

    /** One stage thread: take a batch from {@code in}, run the handler on each slot, pass it on to {@code out}. */
    private final class Stage implements Runnable {
        private final String name;
        private final EventHandler<EngineEvent> handler;
        private final ArrayBlockingQueue<EngineEvent> in;
        /** The other branch to join with (dispatch waits for the journal too), or null. */
        private final ArrayBlockingQueue<EngineEvent> join;
        private final ArrayBlockingQueue<EngineEvent> out;
        private final boolean last;
        private final ArrayList<EngineEvent> batch;
        private long ringSequence;

        Stage(final String name, final EventHandler<EngineEvent> handler, final int size, final ArrayBlockingQueue<EngineEvent> in,
              final ArrayBlockingQueue<EngineEvent> join, final ArrayBlockingQueue<EngineEvent> out, final boolean last) {
            this.name = name;
            this.handler = handler;
            this.in = in;
            this.join = join;
            this.out = out;
            this.last = last;
            this.batch = new ArrayList<>(size);
        }

        @Override
        public void run() {
            EngineEvent event = null;
            try {
                while (true) {
                    batch.add(in.take());
                    in.drainTo(batch);
                    final int n = batch.size();
                    for (int i = 0; i < n; i++) {
                        event = batch.get(i);
                        if (join != null && join.take() != event) {
                            throw new IllegalStateException("journal and business stages are out of step");
                        }
                        handler.onEvent(event, ringSequence++, i == n - 1);
                        out.add(event);
                        if (last) {
                            dispatched.lazySet(dispatched.get() + 1); // only this thread writes it
                        }
                    }
                    batch.clear();
                }
            } catch (final InterruptedException stop) {
                // close(): everything published has been dispatched
            } catch (final Throwable e) {
                final long sequence = event == null ? -1 : event.sequence();
                StageFailures.log(LOG, name, sequence, e);
                failure.compareAndSet(null, new PipelineException(
                        name + " stage failed at engine sequence " + sequence + ": " + e.getMessage(), e));
            }
        }
    }
}

package io.ringfence.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.SnapshotAgent;
import io.ringfence.engine.snapshot.StateWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Business stage: runs the {@link BusinessLogic} for each accepted event and leaves the outputs in
 * the slot. A refused input's {@code Reject} is copied into the outputs so it is dispatched in order.
 *
 * <p>Failure policy: an exception from the business logic on one event is counted and logged
 * with the engine sequence, that event gets no outputs, and processing moves on, so one bad
 * event cannot stall the ring (the same in every layout).
 */
final class BusinessHandler implements EventHandler<EngineEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(BusinessHandler.class);
    /** Events between two publications of the state's size bound (a power of two). */
    static final int BOUND_EVERY = 1024;

    private final BusinessLogic logic;
    private final AtomicLong errors;
    private final SnapshotAgent snapshots;
    private final boolean stageTimes;
    /** Events since the state's size bound was last published to the snapshot agent. */
    private int sinceBound;

    /**
     * @param snapshots  takes periodic and requested snapshots, or null for none
     * @param stageTimes stamp when each event's business processing is done (metrics only)
     */
    BusinessHandler(final BusinessLogic logic, final AtomicLong errors, final SnapshotAgent snapshots, final boolean stageTimes) {
        this.logic = logic;
        this.errors = errors;
        this.snapshots = snapshots;
        this.stageTimes = stageTimes;
    }

    @Override
    public void onEvent(final EngineEvent event, final long ringSequence, final boolean endOfBatch) {
        final OutputBuffer out = event.outputs();
        out.reset();
        try {
            apply(event, out);
        } catch (final RuntimeException | AssertionError e) {
            errors.incrementAndGet();
            out.reset();
            LOG.error("business stage failed on engine sequence {} ({}); the event has no outputs",
                    event.sequence(), event.kind(), e);
        }
        if (stageTimes) {
            event.decidedNanos(System.nanoTime());
        }
        if (snapshots != null) {
            if ((sinceBound++ & (BOUND_EVERY - 1)) == 0) {
                snapshots.expectBusinessBytes(logic.stateBytesBound());
            }
            final EventKind kind = event.kind();
            if ((kind == EventKind.EVENT && snapshots.policy().due(event.sequence(), event.ingestTimeMicros()))
                    || kind == EventKind.SNAPSHOT
                    || (kind == EventKind.SNAPSHOT_IF_DUE && snapshots.policy().pending())) {
                snapshot(event);
            }
        }
    }

    /**
     * Writes the business state as of this event into a snapshot buffer that travels with the
     * slot to the dispatch stage ({@link DispatchHandler}); when no buffer is free the snapshot
     * stays due for the next event. A requested one (shutdown) waits for a buffer, up to a minute.
     */
    private void snapshot(final EngineEvent event) {
        if (!snapshots.fits(logic.stateBytesBound(), event.sequence())) {
            return; // beyond the format's 2 GiB: said once, counted; the engine goes on
        }
        final StateWriter w = event.kind() == EventKind.SNAPSHOT ? snapshots.acquire() : snapshots.tryAcquire();
        if (w == null) {
            if (event.kind() == EventKind.SNAPSHOT) {
                LOG.warn("snapshot at sequence {} not taken: both snapshot buffers are still being written", event.sequence());
            }
            return;
        }
        try {
            logic.writeState(w);
        } catch (final RuntimeException | OutOfMemoryError e) {
            // a buffer that cannot grow (no direct memory, or past its limit): only reads of the state were made, so the
            // state is intact; a failed snapshot must not stop the engine
            snapshots.policy().taken(); // due again at the next interval, not at the next event
            snapshots.abandon(w, event.sequence(), e);
            return;
        }
        snapshots.businessWritten(w);
        event.snapshot(w);
    }

    private void apply(final EngineEvent event, final OutputBuffer out) {
        switch (event.kind()) {
            case EVENT:
                logic.onEvent(event.sequence(), event.ingestTimeMicros(), event.message(), 0, event.messageLength(), out);
                break;
            case REJECT:
                final int at = out.begin();
                out.buffer().putBytes(at, event.message(), 0, event.messageLength());
                out.commit(at, event.messageLength());
                break;
            case END_OF_INPUT:
                logic.onEndOfInput(event.sequence(), out);
                break;
            case CONTROL:
            case SNAPSHOT:
            case SNAPSHOT_IF_DUE:
                break;
            default:
                throw new IllegalStateException("unknown slot kind " + event.kind());
        }
    }
}

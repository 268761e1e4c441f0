package io.ringfence.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ringfence.engine.output.OutputBuffer;
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

    private final BusinessLogic logic;
    private final AtomicLong errors;

    BusinessHandler(final BusinessLogic logic, final AtomicLong errors) {
        this.logic = logic;
        this.errors = errors;
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
                break;
            default:
                throw new IllegalStateException("unknown slot kind " + event.kind());
        }
    }
}

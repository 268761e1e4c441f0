package io.ringfence.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ringfence.engine.output.OutputBuffer;

/**
 * Business stage: runs the {@link BusinessLogic} for each accepted event and leaves the outputs in
 * the slot. A refused input's {@code Reject} is copied into the outputs so it is dispatched in order.
 */
final class BusinessHandler implements EventHandler<EngineEvent> {
    private final BusinessLogic logic;

    BusinessHandler(final BusinessLogic logic) {
        this.logic = logic;
    }

    @Override
    public void onEvent(final EngineEvent event, final long ringSequence, final boolean endOfBatch) {
        final OutputBuffer out = event.outputs();
        out.reset();
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
            default:
                throw new IllegalStateException("unknown slot kind " + event.kind());
        }
    }
}

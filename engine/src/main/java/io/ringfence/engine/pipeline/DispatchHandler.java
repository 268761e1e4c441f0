package io.ringfence.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.ringfence.engine.snapshot.SnapshotAgent;
import org.agrona.DirectBuffer;

/**
 * Dispatch stage, gated on both the journal and the business stage: hands each output of an
 * event to the {@link OutputSink}, so nothing leaves before its event is journaled.
 */
final class DispatchHandler implements EventHandler<EngineEvent> {
    private final OutputSink sink;
    private final SnapshotAgent snapshots;
    private final boolean stageTimes;
    private EngineEvent current;
    private final io.ringfence.engine.output.OutputBuffer.OutputHandler forward = this::forward;

    /** @param snapshots completes the snapshots the business stage started, or null */
    DispatchHandler(final OutputSink sink, final SnapshotAgent snapshots, final boolean stageTimes) {
        this.sink = sink;
        this.snapshots = snapshots;
        this.stageTimes = stageTimes;
    }

    @Override
    public void onEvent(final EngineEvent event, final long ringSequence, final boolean endOfBatch) {
        current = event;
        if (stageTimes) {
            sink.onStageTimes(event.receivedNanos(), event.journalStartNanos(), event.journaledNanos(), event.decidedNanos());
        }
        event.outputs().forEach(forward);
        event.outputs().release();
        if (event.kind() == EventKind.EVENT) {
            sink.onEventDispatched(event.sequence(), event.sourceId(), event.clientSeq(), event.message(), event.messageLength());
        } else if (event.kind() == EventKind.END_OF_INPUT) {
            sink.onEndOfInput(event.sequence());
        } else if (event.kind() == EventKind.REJECT) {
            sink.onRefused(event.sourceId(), event.clientSeq(), event.rejectTag());
        } else if (event.kind() == EventKind.CONTROL) {
            sink.onControl(event.sourceId(), event.clientSeq(), event.message(), 0, event.messageLength());
        }
        if (event.snapshot() != null) {
            // everything up to this event is dispatched: the output side's state matches the business state
            snapshots.complete(event.snapshot(), event.sequence());
            event.snapshot(null);
        }
        if (endOfBatch) {
            sink.onEndOfBatch();
        }
    }

    private void forward(final DirectBuffer buffer, final int offset, final int length) {
        sink.onOutput(current.sequence(), current.sourceId(), current.clientSeq(), buffer, offset, length);
    }
}

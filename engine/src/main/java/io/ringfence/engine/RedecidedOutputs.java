package io.ringfence.engine;

import io.ringfence.engine.pipeline.OutputSink;
import org.agrona.DirectBuffer;

/**
 * The recovery sink of a start under a new configuration: the journal is re-decided under the new rules to
 * rebuild the business state, but nothing of the events up to {@code sentThrough} reaches the output side (neither
 * their outputs nor their dispatch, which would store Acks over the answers held), since it restored its state as
 * of that sequence, what was actually sent, from a snapshot taken under the old configuration. Later events and
 * control messages pass.
 */
final class RedecidedOutputs implements OutputSink {
    private final OutputSink sink;
    private long sentThrough;

    RedecidedOutputs(final OutputSink sink, final long sentThrough) {
        this.sink = sink;
        this.sentThrough = sentThrough;
    }

    /** Before the pipeline that uses it starts (a replica's, once its snapshot is loaded): covers up to {@code seq} too. */
    void raiseTo(final long seq) {
        sentThrough = Math.max(sentThrough, seq);
    }

    @Override
    public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                         final int offset, final int length) {
        if (sequence > sentThrough) {
            sink.onOutput(sequence, sourceId, clientSeq, buffer, offset, length);
        }
    }

    @Override
    public void onStageTimes(final long receivedNanos, final long journalStartNanos, final long journaledNanos,
                             final long decidedNanos) {
        sink.onStageTimes(receivedNanos, journalStartNanos, journaledNanos, decidedNanos); // metrics only
    }

    @Override
    public void onEventDispatched(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer message,
                                  final int messageLength) {
        if (sequence > sentThrough) {
            sink.onEventDispatched(sequence, sourceId, clientSeq, message, messageLength);
        }
    }

    @Override
    public void onRefused(final long sourceId, final long clientSeq, final long tag) {
        sink.onRefused(sourceId, clientSeq, tag); // live only: refusals are not journaled, never re-decided
    }

    @Override
    public void onControl(final long sourceId, final long clientSeq, final DirectBuffer buffer, final int offset,
                          final int length) {
        sink.onControl(sourceId, clientSeq, buffer, offset, length);
    }

    @Override
    public void onEndOfBatch() {
        sink.onEndOfBatch();
    }

    @Override
    public void onEndOfInput(final long lastSequence) {
        sink.onEndOfInput(lastSequence);
    }
}

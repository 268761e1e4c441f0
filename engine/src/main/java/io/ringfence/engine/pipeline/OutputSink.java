package io.ringfence.engine.pipeline;

import org.agrona.DirectBuffer;

/**
 * Where the dispatch stage sends outputs, in engine order, only after the causing event is
 * journaled: a JSON Lines file for batch runs, sessions for the gateway, a counter in benchmarks.
 * Called on the dispatch thread only.
 */
public interface OutputSink {
    /**
     * @param sequence engine sequence of the event that caused this output
     * @param sourceId who sent that event (session id; 0 for files)
     * @param clientSeq the sender's sequence number (line number for files)
     * @param buffer   holds the SBE output message, header first
     * @param offset   start of the message header
     * @param length   message length including the header
     */
    void onOutput(long sequence, long sourceId, long clientSeq, DirectBuffer buffer, int offset, int length);

    /**
     * With {@code pipeline.stageTimes}: the stage times (System.nanoTime) of the event whose outputs
     * follow, called before them. Metrics only; 0 for a stage the event did not pass.
     */
    default void onStageTimes(long receivedNanos, long journalStartNanos, long journaledNanos, long decidedNanos) {
    }

    /**
     * An accepted event's outputs have all been handed over; the event is in the journal (dispatch
     * runs after the journal stage), so this is where "journaled for this client" becomes known
     * to the output side.
     *
     * @param message       the event's SBE message (header first) from offset 0, as journaled
     * @param messageLength its length
     */
    default void onEventDispatched(long sequence, long sourceId, long clientSeq, DirectBuffer message, int messageLength) {
    }

    /**
     * A message refused before the journal ({@link Pipeline#tryPublishReject}) has had its Reject handed over (as an
     * output, just before); {@code tag} is what its publisher gave (the gateway's fingerprint of the refused message).
     */
    default void onRefused(long sourceId, long clientSeq, long tag) {
    }

    /**
     * A {@link EventKind#CONTROL} message published with {@link Pipeline#tryPublishControl}, delivered
     * after the outputs of every event published before it.
     */
    default void onControl(long sourceId, long clientSeq, DirectBuffer buffer, int offset, int length) {
    }

    /** The end of a batch of ring events: a good moment to flush. */
    default void onEndOfBatch() {
    }

    /** A finite input has been fully dispatched. */
    default void onEndOfInput(long lastSequence) {
    }
}

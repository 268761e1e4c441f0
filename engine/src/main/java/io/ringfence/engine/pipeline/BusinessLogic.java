package io.ringfence.engine.pipeline;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.agrona.DirectBuffer;

/**
 * Everything the business stage does with an accepted event. Runs on one thread, owns all
 * business state, reads time only from the event (DESIGN.md §3), and reports its results by
 * appending SBE messages to the event's {@link OutputBuffer}.
 */
public interface BusinessLogic {
    /**
     * @param sequence          engine sequence of the event
     * @param ingestTimeMicros  journaled ingest time
     * @param buffer            holds the SBE message, header first
     * @param offset            where the message header starts
     * @param length            message length including the header
     * @param out               where outputs for this event go
     */
    void onEvent(long sequence, long ingestTimeMicros, DirectBuffer buffer, int offset, int length, OutputBuffer out);

    /** A finite input ended after {@code lastSequence}: emit what is still open (e.g. tumbling windows). */
    void onEndOfInput(long lastSequence, OutputBuffer out);

    /** A deterministic hash of all business state, equal for equal histories. */
    long stateHash();

    /**
     * Writes all business state for a snapshot, deterministically (the same history gives the same
     * bytes). Called on the business thread between two events.
     */
    default void writeState(StateWriter w) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be snapshotted");
    }

    /**
     * An upper bound of the bytes {@link #writeState} would write now, computed cheaply from table
     * sizes (no walk over the state), so the snapshot thread can size the next snapshot's buffer
     * ahead of time. Business thread. 0 when unknown (the buffer then grows while the state is written).
     */
    default long stateBytesBound() {
        return 0;
    }

    /** Restores {@link #writeState}'s state; only before the first event. */
    default void readState(StateReader r) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be restored from a snapshot");
    }
}

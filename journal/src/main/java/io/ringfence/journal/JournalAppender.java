package io.ringfence.journal;

import org.agrona.DirectBuffer;

/**
 * Writes records to the journal. One appender per journal, used by a single thread (the journal stage).
 */
public interface JournalAppender {
    /**
     * Appends one record. {@code sequence} must be {@code lastSequence() + 1} (1 for an empty journal),
     * else {@link JournalException}: the journal never takes a silent gap or duplicate. A refused append
     * writes nothing and leaves the journal readable. Allocation-free in steady state.
     *
     * @throws JournalException if the sequence is not the next one, the payload is longer than
     *                          {@link JournalConfig#maxPayloadBytes()}, or the journal is closed
     */
    void append(long sequence, long ingestTimeMicros, long sourceId, long clientSeq,
                DirectBuffer payload, int offset, int length);

    /**
     * Forces what was appended so far to the disk when the journal's sync is
     * {@link JournalSync#BATCH} (an msync of the mapped pages written since the last one); a no-op
     * otherwise. Same thread as {@link #append}.
     */
    default void sync() {
    }
}

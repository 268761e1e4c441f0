package io.ringfence.journal;

import org.agrona.DirectBuffer;

/**
 * Receives journal records from {@link JournalReader#next(JournalRecordHandler)}. The payload buffer is
 * owned by the reader and valid only until the next call on that reader: copy what you keep.
 */
@FunctionalInterface
public interface JournalRecordHandler {
    void onRecord(long sequence, long ingestTimeMicros, long sourceId, long clientSeq,
                  DirectBuffer payload, int offset, int length);
}

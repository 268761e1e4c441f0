package io.ringfence.journal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steady-state append and next must not allocate (measured per thread with the JVM's allocation counter). */
class JournalAllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    /** Slack for JIT/JVM housekeeping on the thread; far below one allocation per operation. */
    private static final long MAX_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    private long checksum;

    @Test
    void shouldAppendAndReadWithoutAllocatingInSteadyState() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        UnsafeBuffer payload = new UnsafeBuffer(new byte[128]);
        JournalRecordHandler handler = this::onRecord;

        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            JournalAppender appender = journal.appender();
            long sequence = 1;
            for (int i = 0; i < WARM_UP; i++, sequence++) {
                appender.append(sequence, i, i, i, payload, 0, payload.capacity());
                reader.next(handler);
            }

            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < MEASURED; i++, sequence++) {
                appender.append(sequence, i, i, i, payload, 0, payload.capacity());
            }
            long afterAppend = threads.getThreadAllocatedBytes(thread);
            int read = 0;
            while (reader.next(handler)) {
                read++;
            }
            long afterRead = threads.getThreadAllocatedBytes(thread);

            assertEquals(MEASURED, read);
            long appendBytes = afterAppend - before;
            long readBytes = afterRead - afterAppend;
            assertTrue(appendBytes < MAX_BYTES, MEASURED + " appends allocated " + appendBytes + " bytes");
            assertTrue(readBytes < MAX_BYTES, MEASURED + " reads allocated " + readBytes + " bytes");
        }
    }

    private void onRecord(long sequence, long ingestTimeMicros, long sourceId, long clientSeq,
                          DirectBuffer payload, int offset, int length) {
        checksum += sequence + payload.getByte(offset + length - 1);
    }
}

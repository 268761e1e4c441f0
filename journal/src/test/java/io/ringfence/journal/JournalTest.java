package io.ringfence.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest {
    @TempDir
    Path dir;

    @Test
    void shouldReportZeroSequencesAndNoRecordsWhenEmpty() {
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            assertEquals(0, journal.lastSequence());
            assertEquals(0, journal.firstSequence());
            try (JournalReader reader = journal.reader()) {
                assertFalse(reader.next(new Records.Capture()));
                assertFalse(reader.seek(1));
            }
        }
    }

    @Test
    void shouldReadBackEveryRecordByteIdenticalAfterReopen() {
        int count = 1_000;
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            Records.appendRange(journal.appender(), 1, count);
            assertEquals(count, journal.lastSequence());
        }
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            assertEquals(count, journal.lastSequence());
            assertEquals(1, journal.firstSequence());
            Records.Capture capture;
            try (JournalReader reader = journal.reader()) {
                capture = Records.readAll(reader);
            }
            assertEquals(count, capture.records.size());
            for (int i = 0; i < count; i++) {
                Records.Delivered record = capture.records.get(i);
                assertEquals(i + 1, record.sequence());
                record.assertMatchesGenerated();
            }
        }
    }

    @Test
    void shouldContinueSequenceAfterReopen() {
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            Records.appendRange(journal.appender(), 1, 10);
        }
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            JournalAppender appender = journal.appender();
            assertThrows(JournalException.class, () -> Records.append(appender, 1));
            Records.appendRange(appender, 11, 20);
            assertEquals(20, journal.lastSequence());
            try (JournalReader reader = journal.reader()) {
                assertEquals(20, Records.readAll(reader).records.size());
            }
        }
    }

    @Test
    void shouldSeekToFirstMiddleAndLastAndRefuseBeyondEnd() {
        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            Records.appendRange(journal.appender(), 1, 500);
            for (long target : new long[]{1, 2, 250, 499, 500}) {
                assertTrue(reader.seek(target), "seek " + target);
                Records.Capture capture = new Records.Capture();
                assertTrue(reader.next(capture));
                assertEquals(target, capture.last().sequence());
                capture.last().assertMatchesGenerated();
            }
            assertTrue(reader.seek(0), "before the first record positions at the first");
            Records.Capture fromStart = Records.readAll(reader);
            assertEquals(500, fromStart.records.size());
            assertEquals(1, fromStart.records.get(0).sequence());

            assertTrue(reader.seek(400));
            assertFalse(reader.seek(501));
            Records.Capture afterRefusedSeek = new Records.Capture();
            assertTrue(reader.next(afterRefusedSeek));
            assertEquals(400, afterRefusedSeek.last().sequence(), "a refused seek leaves the position unchanged");
        }
    }

    @Test
    void shouldRefuseDuplicateOutOfOrderAndGapSequencesAndStayReadable() {
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            JournalAppender appender = journal.appender();
            JournalException first = assertThrows(JournalException.class, () -> Records.append(appender, 2));
            assertTrue(first.getMessage().contains("must be 1"), first.getMessage());
            Records.appendRange(appender, 1, 3);

            JournalException duplicate = assertThrows(JournalException.class, () -> Records.append(appender, 3));
            assertTrue(duplicate.getMessage().contains("duplicate"), duplicate.getMessage());
            assertTrue(duplicate.getMessage().contains("must be 4"), duplicate.getMessage());
            assertThrows(JournalException.class, () -> Records.append(appender, 1));
            JournalException gap = assertThrows(JournalException.class, () -> Records.append(appender, 5));
            assertTrue(gap.getMessage().contains("gap"), gap.getMessage());

            assertEquals(3, journal.lastSequence());
            try (JournalReader reader = journal.reader()) {
                assertArrayEquals(new long[]{1, 2, 3}, Records.readAll(reader).sequences());
                Records.append(appender, 4);
                assertArrayEquals(new long[]{4}, Records.readAll(reader).sequences());
            }
        }
    }

    @Test
    void shouldRefusePayloadOverMaxPayloadBytesWithClearMessage() {
        JournalConfig config = JournalConfig.builder(dir).maxPayloadBytes(64).build();
        try (Journal journal = Journal.open(config)) {
            JournalAppender appender = journal.appender();
            UnsafeBuffer payload = new UnsafeBuffer(new byte[65]);
            JournalException e = assertThrows(JournalException.class,
                    () -> appender.append(1, 0, 0, 0, payload, 0, 65));
            assertTrue(e.getMessage().contains("65 bytes"), e.getMessage());
            assertTrue(e.getMessage().contains("maxPayloadBytes 64"), e.getMessage());
            assertEquals(0, journal.lastSequence());

            appender.append(1, 0, 0, 0, payload, 0, 64);
            assertEquals(1, journal.lastSequence());
        }
    }

    @Test
    void shouldRefusePayloadRangeOutsideTheBuffer() {
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            UnsafeBuffer payload = new UnsafeBuffer(new byte[10]);
            JournalException e = assertThrows(JournalException.class,
                    () -> journal.appender().append(1, 0, 0, 0, payload, 5, 6));
            assertTrue(e.getMessage().contains("outside the buffer"), e.getMessage());
        }
    }

    @Test
    void shouldReturnTheSameAppenderEveryTime() {
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            assertSame(journal.appender(), journal.appender());
        }
    }

    @Test
    void shouldDeliverEveryRecordInOrderToReaderWhileAnotherThreadAppends() throws Exception {
        int count = 20_000;
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            JournalAppender appender = journal.appender(); // created here, used on the writer thread
            Future<?> writing = writerThread.submit(() -> Records.appendRange(appender, 1, count));

            Records.Capture capture = new Records.Capture();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (capture.records.size() < count && System.nanoTime() < deadline) {
                if (!reader.next(capture)) {
                    Thread.onSpinWait();
                }
            }
            writing.get(5, TimeUnit.SECONDS);
            assertEquals(count, capture.records.size(), "records seen before the deadline");
            for (int i = 0; i < count; i++) {
                assertEquals(i + 1, capture.records.get(i).sequence());
            }
            capture.records.get(count - 1).assertMatchesGenerated();
            assertFalse(reader.next(capture));
        } finally {
            writerThread.shutdownNow();
        }
    }

    @Test
    void shouldKeepSeveralReadersIndependent() {
        try (Journal journal = Journal.open(JournalConfig.of(dir));
             JournalReader a = journal.reader(); JournalReader b = journal.reader()) {
            Records.appendRange(journal.appender(), 1, 10);
            assertTrue(b.seek(6));
            assertArrayEquals(new long[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, Records.readAll(a).sequences());
            assertArrayEquals(new long[]{6, 7, 8, 9, 10}, Records.readAll(b).sequences());
        }
    }

    @Test
    void shouldRefuseUseAfterClose() {
        Journal journal = Journal.open(JournalConfig.of(dir));
        JournalReader reader = journal.reader();
        JournalAppender appender = journal.appender();
        journal.close();
        assertThrows(JournalException.class, () -> reader.next(new Records.Capture()));
        assertThrows(JournalException.class, () -> Records.append(appender, 1));
        assertThrows(JournalException.class, journal::lastSequence);
        journal.close(); // idempotent
    }
}

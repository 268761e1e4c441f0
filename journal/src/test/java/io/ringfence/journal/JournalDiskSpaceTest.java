package io.ringfence.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Below its free-space reserve the journal refuses appends before writing anything, so an
 * answered event is never torn by a full disk (DiskSpaceGuard); it refuses to start appending on
 * a disk already below it. Free space is simulated.
 */
class JournalDiskSpaceTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void appendsAreRefusedOnceFreeSpaceFallsBelowTheReserveAndNothingIsWritten() throws Exception {
        final AtomicLong free = new AtomicLong(1_000 * MIB);
        final JournalConfig config = JournalConfig.builder(dir).minFreeBytes(64 * MIB).usableBytes(free::get).build();
        try (Journal journal = Journal.open(config)) {
            final JournalAppender appender = journal.appender();
            Records.appendRange(appender, 1, 10);
            free.set(10 * MIB);
            final long deadline = System.nanoTime() + 5_000_000_000L;
            JournalException refused = null;
            long refusedSeq = -1;
            for (long seq = 11; refused == null && System.nanoTime() < deadline; seq++) {
                try {
                    Records.append(appender, seq);
                } catch (final JournalException e) {
                    refused = e;
                    refusedSeq = seq;
                }
            }
            assertTrue(refused != null, "refused within a few looks at the disk");
            assertTrue(refused.getMessage().contains("bytes free, below journal.minFreeMiB (67,108,864 bytes)"), refused.getMessage());
            final long last = journal.lastSequence();
            assertTrue(refused.getMessage().contains(String.format("Events up to %,d are journaled", last)), refused.getMessage());
            assertEquals(refusedSeq - 1, last, "the refused append wrote nothing");
            free.set(1_000 * MIB);
            Thread.sleep(3 * DiskSpaceGuard.EVERY_MILLIS);
            Records.append(appender, last + 1); // space freed: appends go on, the sequence contiguous
            assertEquals(last + 1, journal.lastSequence());
        }
    }

    @Test
    void aJournalOnADiskAlreadyBelowTheReserveDoesNotStartAppending() {
        final JournalConfig low = JournalConfig.builder(dir).minFreeBytes(64 * MIB).usableBytes(() -> 5 * MIB).build();
        try (Journal journal = Journal.open(low)) {
            final JournalException e = assertThrows(JournalException.class, journal::appender);
            assertTrue(e.getMessage().contains("append of sequence 1 refused") && e.getMessage().contains("5,242,880 bytes free"),
                    e.getMessage());
        }
        final JournalConfig off = JournalConfig.builder(dir).minFreeBytes(0).usableBytes(() -> 5 * MIB).build();
        try (Journal journal = Journal.open(off)) {
            Records.append(journal.appender(), 1); // 0 = no reserve
            assertEquals(1, journal.lastSequence());
        }
    }
}

package io.ringfence.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal's page pre-toucher: reads only, within the file, ahead of the writer; the journal reads back the same. */
class JournalPretoucherTest {
    private static final long START_MILLIS = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final SetTimeProvider clock = new SetTimeProvider(START_MILLIS * 1_000_000L);

    private JournalConfig config(final boolean pretouch) {
        return JournalConfig.builder(dir).rollCycle("TEST_SECONDLY").timeProvider(clock)
                .pretouch(pretouch, 256 * 1024, 1).build();
    }

    @Test
    void shouldReadBackEveryRecordAfterPretouchedAppendsAcrossRollCyclesAndRestarts() {
        try (Journal journal = Journal.open(config(true))) {
            final JournalAppender appender = journal.appender();
            final JournalPretoucher pretoucher = journal.pretoucher();
            assertNotNull(pretoucher);
            Records.appendRange(appender, 1, 3_000);
            awaitTrue(() -> pretoucher.touchedUpTo() > 0, "the pretoucher reads ahead of the writer in the first file");
            final java.io.File first = pretoucher.touchingFile();
            clock.advanceMillis(1_000);
            Records.appendRange(appender, 3_001, 6_000);
            awaitTrue(() -> pretoucher.touchingFile() != null && !pretoucher.touchingFile().equals(first)
                    && pretoucher.touchedUpTo() > 0, "the pretoucher follows the writer into the next file");
        }
        try (Journal journal = Journal.open(config(true))) {
            assertEquals(6_000, journal.lastSequence());
            Records.appendRange(journal.appender(), 6_001, 7_000);
            final JournalPretoucher pretoucher = journal.pretoucher();
            awaitTrue(() -> pretoucher.pagesTouched() > 0, "the pretoucher runs after a restart");
        }
        try (Journal journal = Journal.open(config(false)); JournalReader reader = journal.reader()) {
            assertEquals(7_000, journal.lastSequence());
            final Records.Capture capture = Records.readAll(reader);
            assertEquals(7_000, capture.records.size());
            for (int i = 0; i < capture.records.size(); i++) {
                assertEquals(i + 1, capture.records.get(i).sequence());
                capture.records.get(i).assertMatchesGenerated();
            }
        }
    }

    @Test
    void shouldReadOnlyFromThePageAfterTheWriterToTheAheadBoundWithinTheFile() throws IOException {
        final Path file = dir.resolve("sparse.cq4");
        final byte[] head = new byte[10_000];
        for (int i = 0; i < head.length; i++) {
            head[i] = (byte) (i * 7 + 1);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(head);
            raf.setLength(1 << 20);
        }
        final byte[] original = Files.readAllBytes(file);
        final AppendPosition writer = new AppendPosition();
        writer.file(1, file.toFile(), null, head.length);
        try (JournalPretoucher pretoucher = new JournalPretoucher(writer, 64 * 1024, 1)) {
            awaitTrue(() -> pretoucher.touchedUpTo() == head.length + 64 * 1024, "reads up to the ahead bound");
            assertEquals((head.length + 64 * 1024 - JournalPretoucher.pageAfter(head.length) + 4095) / 4096, pretoucher.pagesTouched(),
                    "from the page after the writer's, not before");
            writer.position((1 << 20) - 100);
            final long passes = pretoucher.passes();
            awaitTrue(() -> pretoucher.passes() > passes + 2, "more passes");
            assertTrue(pretoucher.touchedUpTo() <= 1 << 20, "never beyond the file's end: " + pretoucher.touchedUpTo());
        }
        assertEquals(1 << 20, Files.size(file), "the file never grows");
        assertArrayEquals(original, Files.readAllBytes(file), "nothing is written");
    }

    @Test
    void shouldStopItsThreadWhenClosedAndWithTheJournal() {
        final JournalPretoucher pretoucher;
        try (Journal journal = Journal.open(config(true))) {
            Records.appendRange(journal.appender(), 1, 10);
            pretoucher = journal.pretoucher();
            assertTrue(pretoucher.alive());
        }
        assertFalse(pretoucher.alive(), "closing the journal stops the pretoucher");
        try (JournalPretoucher idle = new JournalPretoucher(new AppendPosition(), 4096, 10_000)) {
            assertTrue(idle.alive());
            idle.close();
            assertFalse(idle.alive(), "a long park does not delay close");
        }
    }

    @Test
    void shouldNotStartWhenOffAndRefuseBadSettings() {
        try (Journal journal = Journal.open(config(false))) {
            journal.appender();
            assertNull(journal.pretoucher());
        }
        final JournalException ahead = assertThrows(JournalException.class,
                () -> JournalConfig.builder(dir).pretouch(true, 0, 5).build());
        assertTrue(ahead.getMessage().contains("pretouchAheadBytes") && ahead.getMessage().contains("but was 0"), ahead.getMessage());
        final JournalException interval = assertThrows(JournalException.class,
                () -> JournalConfig.builder(dir).pretouch(true, 1 << 20, 0).build());
        assertTrue(interval.getMessage().contains("pretouchIntervalMillis"), interval.getMessage());
        JournalConfig.builder(dir).pretouch(false, 0, 0).build(); // off: the other two do not matter
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what) {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            try {
                Thread.sleep(1);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

package io.ringfence.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cycle files whose header does not read (trial 2026-12-04 and after: a cycle file cut to nothing, or into its header,
 * as a kill or crash while the journal rolls to a new file leaves it). Chronicle waits forever for such a header: every
 * command, {@code server} included, hung; a header cut inside failed with "ClassNotFoundException: SCQSIndex", naming no
 * file. Now the journal is read up to the file before, with the file named, writers are refused, damage in the middle
 * is refused with its file, and a read-only directory with a file cut short is refused instead of crashing the JVM.
 */
class JournalCycleFileHeaderTest {
    private static final long PER_CYCLE = 2_000;
    private static final Duration NO_HANG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000L * 1_000_000L);

    private JournalConfig.Builder builder() {
        return JournalConfig.builder(dir).rollCycle("FAST_DAILY").timeProvider(clock);
    }

    /** Three daily cycle files of {@link #PER_CYCLE} records each; returns them in order. */
    private List<Path> threeCycles() throws IOException {
        try (Journal journal = Journal.open(builder().build())) {
            final JournalAppender appender = journal.appender();
            for (int c = 0; c < 3; c++) {
                Records.appendRange(appender, c * PER_CYCLE + 1, (c + 1) * PER_CYCLE);
                clock.advanceMillis(86_400_000L);
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            final List<Path> cycles = files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
            assertEquals(3, cycles.size());
            return cycles;
        }
    }

    private static void cut(final Path file, final long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    /** 0: nothing (created, never mapped); 100: into the header; -1: full length, all zeros; -2: an unfinished header. */
    @ParameterizedTest(name = "last cycle file: {0}")
    @ValueSource(longs = {0, 100, -1, -2})
    void readsUpToTheFileBeforeALastCycleFileWithoutAHeaderAndRefusesWriters(final long damage) throws IOException {
        final Path last = threeCycles().get(2);
        if (damage >= 0) {
            cut(last, damage);
        } else {
            final long length = Files.size(last);
            cut(last, 0);
            cut(last, length);
            if (damage == -2) {
                try (RandomAccessFile raf = new RandomAccessFile(last.toFile(), "rw")) {
                    raf.writeInt(Integer.reverseBytes(ChronicleExcerpts.NOT_COMPLETE | ChronicleExcerpts.META_DATA | 190));
                }
            }
        }
        assertTimeoutPreemptively(NO_HANG, () -> {
            try (Journal journal = Journal.open(builder().forReading().build()); JournalReader reader = journal.reader()) {
                assertEquals(1, journal.firstSequence());
                assertEquals(2 * PER_CYCLE, journal.lastSequence());
                final Records.Capture read = Records.readAll(reader);
                assertEquals(2 * PER_CYCLE, read.records.size());
                read.last().assertMatchesGenerated();
                final JournalCorruptException end = reader.checkEnd();
                assertTrue(end != null && end.getMessage().contains(last.toString())
                        && end.getMessage().contains("readable up to sequence " + 2 * PER_CYCLE)
                        && end.sequence() == 2 * PER_CYCLE + 1, String.valueOf(end));
                assertTrue(reader.seek(PER_CYCLE + 7));
                assertEquals(PER_CYCLE + 7, Records.readAll(reader).records.get(0).sequence());
                assertThrows(JournalException.class, journal::appender);
            }
            final JournalException refused = assertThrows(JournalException.class, () -> Journal.open(builder().build()));
            assertTrue(refused.getMessage().contains(last.toString()) && refused.getMessage().contains("ringfence repair"),
                    refused.getMessage());
        });
    }

    @Test
    void aMiddleCycleFileWithoutAHeaderIsNamedAndNeverSkipped() throws IOException {
        final Path middle = threeCycles().get(1);
        cut(middle, 0);
        assertTimeoutPreemptively(NO_HANG, () -> {
            for (final JournalConfig config : List.of(builder().forReading().build(), builder().build())) {
                final JournalException refused = assertThrows(JournalException.class, () -> Journal.open(config));
                assertTrue(refused.getMessage().contains(middle.toString())
                        && refused.getMessage().contains("damage in the middle")
                        && refused.getMessage().contains("the cycle files before it are intact"), refused.getMessage());
            }
        });
    }

    /**
     * Operator trial: random bytes as a cycle file dated before the journal's first got the advice to move it "and
     * every cycle file after it" out, which moved the whole journal away; the next server started on an empty one.
     */
    @Test
    void aFirstCycleFileWithoutAHeaderIsNotAdvisedAwayWithTheWholeJournal() throws IOException {
        final Path first = threeCycles().get(0);
        final Path before = first.resolveSibling("19991231F.cq4");
        Files.write(before, new byte[10_000]);
        assertTimeoutPreemptively(NO_HANG, () -> {
            final JournalException refused = assertThrows(JournalException.class, () -> Journal.open(builder().forReading().build()));
            assertTrue(refused.getMessage().contains(before.toString())
                    && refused.getMessage().contains("it is the first cycle file")
                    && refused.getMessage().contains("move that file alone out")
                    && !refused.getMessage().contains("move it and every cycle file after it"), refused.getMessage());
        });
    }

    @Test
    void aReadOnlyDirectoryWithACycleFileCutShortIsRefusedNotCrashed() throws IOException {
        final Path last = threeCycles().get(2);
        cut(last, 5_000); // past the header, before the data: mapped read-only, a read past the end is a SIGBUS
        final JournalException refused = assertThrows(JournalException.class,
                () -> Journal.open(builder().forReading().writableCheck(d -> false).build()));
        assertTrue(refused.getMessage().contains(last.toString()) && refused.getMessage().contains("5000 bytes long")
                && refused.getMessage().contains("copy the data directory"), refused.getMessage());
        assertEquals(5_000, Files.size(last), "nothing written");
    }

    @Test
    void aReadOnlyDirectoryWithAHeaderlessLastFileIsRefusedWithWhatToDo() throws IOException {
        final Path last = threeCycles().get(2);
        cut(last, 0);
        assertTimeoutPreemptively(NO_HANG, () -> {
            final JournalException refused = assertThrows(JournalException.class,
                    () -> Journal.open(builder().forReading().writableCheck(d -> false).build()));
            assertTrue(refused.getMessage().contains(last.toString()) && refused.getMessage().contains("copy the data directory"),
                    refused.getMessage());
        });
    }

    @Test
    void aLastCycleFileCutInsideItsDataReadsUpToTheLastWholeRecord() throws IOException {
        final Path last = threeCycles().get(2);
        final byte[] content = Files.readAllBytes(last);
        int dataEnd = content.length;
        while (content[dataEnd - 1] == 0) {
            dataEnd--;
        }
        cut(last, dataEnd / 2 + 3); // a cut through its records (Chronicle maps the rest back as zeros)
        try (Journal journal = Journal.open(builder().forReading().build()); JournalReader reader = journal.reader()) {
            final long readable = journal.lastSequence();
            assertTrue(readable > 2 * PER_CYCLE && readable < 3 * PER_CYCLE, "readable " + readable);
            assertEquals(readable, Records.readAll(reader).records.size());
            assertTrue(reader.checkEnd().getMessage().contains("cut short"), reader.checkEnd().getMessage());
        }
    }

    /**
     * Review: a reader that meets a live server rolling to a new file sees it before its header is written; that is not
     * damage. Here the header appears 150 ms after the open starts: every record reads, nothing is called torn.
     */
    @Test
    void aHeaderWrittenWhileTheJournalOpensIsWaitedFor() throws Exception {
        final Path last = threeCycles().get(2);
        final byte[] content = Files.readAllBytes(last);
        cut(last, 0);
        final Thread writer = new Thread(() -> {
            try {
                Thread.sleep(150);
                Files.write(last, content);
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        try (Journal journal = Journal.open(builder().forReading().build()); JournalReader reader = journal.reader()) {
            assertEquals(3 * PER_CYCLE, journal.lastSequence());
            assertEquals(3 * PER_CYCLE, Records.readAll(reader).records.size());
            assertEquals(null, reader.checkEnd());
        } finally {
            writer.join();
        }
    }

    /**
     * Review: messages named the view's link (in a temporary directory deleted on close) instead of the data directory's
     * file; the view must be gone after close.
     */
    @Test
    void messagesNameTheDataDirectorysFilesAndTheViewIsDeletedOnClose() throws IOException {
        final List<Path> cycles = threeCycles();
        cut(cycles.get(2), 0);
        flipFirstRecordsPayload(cycles.get(0));
        final Path view;
        try (Journal journal = Journal.open(builder().forReading().build()); JournalReader reader = journal.reader()) {
            view = journal.viewDirectory();
            assertTrue(view != null && Files.isDirectory(view), String.valueOf(view));
            final JournalCorruptException damaged = assertThrows(JournalCorruptException.class, () -> Records.readAll(reader));
            assertTrue(damaged.getMessage().contains(cycles.get(0).toString()) && !damaged.getMessage().contains(view.toString()),
                    damaged.getMessage());
            assertEquals(cycles.get(0).toFile(), damaged.file());
        }
        assertTrue(Files.notExists(view), "the view is deleted on close");
    }

    /** Flips a payload byte of the first record in {@code file} (its CRC then fails). */
    private static void flipFirstRecordsPayload(final Path file) throws IOException {
        final byte[] content = Files.readAllBytes(file);
        for (int i = 0; i + JournalRecordDescriptor.HEADER_LENGTH <= content.length; i += 4) {
            if (content[i] == 1 && content[i + 1] == 0 && java.nio.ByteBuffer.wrap(content, i + JournalRecordDescriptor.SEQUENCE_OFFSET, 8)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong() == 1) {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.seek(i + JournalRecordDescriptor.HEADER_LENGTH + 2);
                    raf.write(content[i + JournalRecordDescriptor.HEADER_LENGTH + 2] ^ 0x5a);
                }
                return;
            }
        }
        throw new AssertionError("record 1 not found in " + file);
    }

    /**
     * Operator trial: a copy of a cycle file as old.cq4 failed with Chronicle's "Unable to parse old using format
     * yyyyMMdd'F'", and random bytes as backup.cq4 were called a cycle file whose write never finished (with advice
     * to repair). Each is named as no cycle file at all, for reading and for writing, and nothing is changed.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"old.cq4", "backup.cq4", "20261205F.cq4.cq4"})
    void aCq4FileWhoseNameIsNoCycleIsNamedAsForeign(final String name) throws IOException {
        final List<Path> cycles = threeCycles();
        final Path stray = Files.copy(cycles.get(0), dir.resolve(name));
        for (final JournalConfig config : List.of(builder().build(), builder().forReading().build())) {
            final JournalException e = assertThrows(JournalException.class, () -> Journal.open(config).close());
            assertTrue(e.getMessage().contains(stray + " is not a cycle file of a journal")
                    && e.getMessage().contains("move it out of the data directory"), e.getMessage());
        }
        Files.delete(stray);
        try (Journal journal = Journal.open(builder().forReading().build())) {
            assertEquals(3 * PER_CYCLE, journal.lastSequence(), "the journal itself is intact");
        }
    }
}

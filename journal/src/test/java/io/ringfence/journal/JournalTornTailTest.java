package io.ringfence.journal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal whose tail was cut mid-write, made by really truncating or overwriting the .cq4 file: it
 * reads up to the last complete record, and the reader says where and why it stopped.
 *
 * <p>What Chronicle does (found by these tests): a .cq4 file is pre-allocated and mapped in chunks, so a
 * file truncated inside the last excerpt is grown back with zeros on the next open. Chronicle's 4-byte
 * excerpt length word survives when the cut is after it, so the excerpt still "is there" with zeroed
 * bytes: only our CRC32C (or the zeroed header) shows the damage. A cut before the length word ends the
 * data cleanly. An excerpt whose header still has Chronicle's not-complete bit (a write that never
 * finished) is invisible to tailers, and an appender can write after it, hiding later records. (Appending
 * to a file cut before a length word trips an assertion in Chronicle's StoreAppender, whose stored write
 * position is past the cut: writing to a truncated journal is not something to rely on.)
 */
class JournalTornTailTest {
    private static final long COUNT = 20;

    @TempDir
    Path dir;

    private Path writeJournal() throws IOException {
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            Records.appendRange(journal.appender(), 1, COUNT);
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> cq4 = files.filter(p -> p.toString().endsWith(".cq4")).collect(Collectors.toList());
            assertEquals(1, cq4.size(), "one cycle file: " + cq4);
            return cq4.get(0);
        }
    }

    /** File position of the 48-byte header of the record with {@code sequence} (version 1, then its sequence). */
    private static int recordStart(byte[] content, long sequence) {
        for (int i = 0; i + JournalRecordDescriptor.HEADER_LENGTH <= content.length; i += 4) {
            if (content[i] == 1 && content[i + 1] == 0
                    && ByteBuffer.wrap(content, i + JournalRecordDescriptor.SEQUENCE_OFFSET, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() == sequence) {
                return i;
            }
        }
        throw new AssertionError("record " + sequence + " not found");
    }

    private static int excerptLength(byte[] content, int recordStart) {
        return ByteBuffer.wrap(content, recordStart - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & ChronicleExcerpts.LENGTH_MASK;
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    private static Records.Capture readToEnd(JournalReader reader) {
        Records.Capture capture = new Records.Capture();
        while (reader.next(capture)) {
            // up to the end
        }
        return capture;
    }

    /** bytes cut from the end of the last record: inside the payload, at its first payload byte, inside its header. */
    @ParameterizedTest(name = "cut {0} bytes off the last record")
    @ValueSource(ints = {1, 17, 60, 100, 140, 180})
    void shouldReadUpToTheLastCompleteRecordWhenTheFileIsCutInsideTheLastRecord(int cut) throws IOException {
        Path file = writeJournal();
        byte[] content = Files.readAllBytes(file);
        int start = recordStart(content, COUNT);
        int end = start + excerptLength(content, start);
        assertTrue(cut < end - start, "the cut stays inside the record");
        truncate(file, end - cut);

        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            assertEquals(COUNT - 1, journal.lastSequence(), "the last complete record");
            assertNotNull(journal.tornTail());
            Records.Capture capture = readToEnd(reader);
            assertEquals(COUNT - 1, capture.records.size(), "every complete record is delivered");
            capture.records.forEach(Records.Delivered::assertMatchesGenerated);
            assertFalse(reader.next(capture), "the reader stays at the damaged tail");

            JournalCorruptException end1 = reader.checkEnd();
            assertNotNull(end1, "the reader says why it stopped");
            assertEquals(COUNT, end1.sequence());
            assertEquals(COUNT - 1, journal.config().chronicleRollCycle().toSequenceNumber(end1.chronicleIndex()),
                    "the 20th excerpt of the cycle");
            assertEquals(file.toFile().getAbsoluteFile(), end1.file().getAbsoluteFile());
            String m = end1.getMessage();
            assertTrue(m.contains("sequence " + COUNT) && m.contains("cut mid-write") && m.contains(".cq4")
                    && m.contains("readable up to sequence " + (COUNT - 1)), m);

            JournalException refused = assertThrows(JournalException.class, journal::appender,
                    "appending after the damage would bury it mid-journal");
            assertTrue(refused.getMessage().contains("cannot append"), refused.getMessage());
            JournalException claim = assertThrows(JournalException.class, () -> journal.claimWriter("engine"),
                    "a writer is refused when it claims the directory, before recovery replays anything");
            assertTrue(claim.getMessage().contains("ringfence repair --data"), claim.getMessage());
        }
    }

    /**
     * The file cut (or zeroed: an OS crash that lost the page) from the last excerpt's length word on: the
     * queue file's header still says that excerpt was written, and a writer would append after the zeros,
     * where no reader gets (operator trial: 20,000 acknowledged events then unreadable). It reads as a
     * damaged tail, which a writer is refused and {@code repair} drops.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cut", "zeroed", "straddling"})
    void shouldReportALastExcerptTheFileSaysWasWrittenButReadsAsZeros(String how) throws IOException {
        Path file = writeJournal();
        byte[] content = Files.readAllBytes(file);
        int header = recordStart(content, COUNT) - 4;
        long readable = COUNT - 1;
        if (how.equals("cut")) {
            truncate(file, header);
        } else if (how.equals("straddling")) {
            // a lost page under the record before too: its header survived, the end of its payload did not
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(header - 8);
                raf.write(new byte[8 + 4 + excerptLength(content, header + 4)]);
            }
            readable = COUNT - 2;
        } else {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(header);
                raf.write(new byte[4 + excerptLength(content, header + 4)]);
            }
        }

        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            assertEquals(readable, journal.lastSequence());
            assertNotNull(journal.tornTail(), "the lost last record is damage, not a clean end");
            assertTrue(journal.tornTail().getMessage().contains("readable up to sequence " + readable), journal.tornTail().getMessage());
            assertTrue(journal.tornTail().getMessage().contains("the journal's files count " + (COUNT - readable)
                    + " records written after it, lost: sequences " + (readable + 1) + ".." + COUNT), journal.tornTail().getMessage());
            assertEquals(readable, readToEnd(reader).records.size());
            assertNotNull(reader.checkEnd(), "the reader says so too");
            JournalException claim = assertThrows(JournalException.class, () -> journal.claimWriter("engine"));
            assertTrue(claim.getMessage().contains("ringfence repair --data"), claim.getMessage());
        }
    }

    /**
     * Several last records lost to zeros (an OS crash or power loss with {@code sync: none} loses whole pages, and a
     * page holds many records), from a record's start or from inside one (trial 2026-12-04: 3 whole records zeroed
     * read as a clean end, and the server appended after them under sequences already used; a zeroed range starting
     * inside a record read as damage in the middle, which repair refused).
     */
    @ParameterizedTest(name = "zeroed from {0} bytes into record {1} to the end")
    @org.junit.jupiter.params.provider.CsvSource({"0, 18", "0, 14", "20, 17", "60, 12"})
    void shouldReportSeveralLastRecordsLostToZerosAsADamagedTail(int into, long firstLost) throws IOException {
        Path file = writeJournal();
        byte[] content = Files.readAllBytes(file);
        int from = recordStart(content, firstLost) - 4 + into;
        int end = recordStart(content, COUNT) + excerptLength(content, recordStart(content, COUNT));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(from);
            raf.write(new byte[end - from]);
        }
        long readable = firstLost - 1;

        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            assertEquals(readable, journal.lastSequence(), "the last record that reads back whole");
            assertNotNull(journal.tornTail(), "lost records are damage, not a clean end");
            assertTrue(journal.tornTail().getMessage().contains("readable up to sequence " + readable), journal.tornTail().getMessage());
            assertTrue(journal.tornTail().getMessage().contains("lost: sequences " + firstLost + ".." + COUNT), journal.tornTail().getMessage());
            Records.Capture capture = readToEnd(reader);
            assertEquals(readable, capture.records.size());
            capture.records.forEach(Records.Delivered::assertMatchesGenerated);
            assertNotNull(reader.checkEnd(), "the reader says why it stopped");
            JournalException claim = assertThrows(JournalException.class, () -> journal.claimWriter("engine"));
            assertTrue(claim.getMessage().contains("ringfence repair --data"), claim.getMessage());
        }
    }

    @Test
    void shouldEndCleanlyWhenNothingWasWrittenAfterTheLastRecord() throws IOException {
        writeJournal();
        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            assertEquals(COUNT, journal.lastSequence());
            assertNull(journal.tornTail());
            assertEquals(COUNT, readToEnd(reader).records.size());
            assertNull(reader.checkEnd());
        }
    }

    @Test
    void shouldReportAPartiallyWrittenLastExcerpt() throws IOException {
        Path file = writeJournal();
        byte[] content = Files.readAllBytes(file);
        int start = recordStart(content, COUNT);
        // what a writer killed inside writingDocument() leaves: Chronicle's header still "not complete", half the bytes
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(start - 4);
            raf.write(new byte[]{0, 0, 0, (byte) 0x80});
            raf.setLength(start + 30);
        }

        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            assertEquals(COUNT - 1, journal.lastSequence());
            assertEquals(COUNT - 1, readToEnd(reader).records.size());
            JournalCorruptException end = reader.checkEnd();
            assertNotNull(end, "an unfinished write is reported, not taken for a clean end");
            assertEquals(COUNT, end.sequence());
            assertTrue(end.getMessage().contains("incomplete excerpt at byte " + (start - 4)), end.getMessage());
            assertTrue(end.getMessage().contains("read up to sequence " + (COUNT - 1)), end.getMessage());
        }
    }

    @Test
    void shouldRefuseToEndSilentlyWhenAnIncompleteExcerptHidesCompleteRecords() throws IOException {
        Path file = writeJournal();
        byte[] content = Files.readAllBytes(file);
        int start = recordStart(content, COUNT - 5);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(start - 1);
            raf.write(content[start - 1] | 0x80); // record 15's header back to "not complete"
        }

        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            assertEquals(COUNT, journal.lastSequence(), "records after the hole are complete");
            assertEquals(COUNT - 6, readToEnd(reader).records.size(), "Chronicle's tailer stops at the hole");
            JournalCorruptException e = assertThrows(JournalCorruptException.class, reader::checkEnd);
            assertEquals(COUNT - 5, e.sequence());
            assertTrue(e.getMessage().contains("complete records up to " + COUNT), e.getMessage());
        }
    }

    @Test
    void shouldTreatAFlippedByteInTheLastRecordAsADamagedTailButOneBeforeItAsDamageInTheMiddle() throws IOException {
        Path file = writeJournal();
        byte[] content = Files.readAllBytes(file);
        int last = recordStart(content, COUNT);
        int before = recordStart(content, COUNT - 1);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(last + JournalRecordDescriptor.PAYLOAD_OFFSET + 3);
            raf.write(~content[last + JournalRecordDescriptor.PAYLOAD_OFFSET + 3]);
        }
        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            assertEquals(COUNT - 1, readToEnd(reader).records.size());
            assertTrue(reader.checkEnd().getMessage().contains("CRC32C mismatch"));
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(before + JournalRecordDescriptor.PAYLOAD_OFFSET + 3);
            raf.write(~content[before + JournalRecordDescriptor.PAYLOAD_OFFSET + 3]);
        }
        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            Records.Capture capture = new Records.Capture();
            JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> {
                while (reader.next(capture)) {
                    // up to the damage
                }
            });
            assertEquals(COUNT - 2, capture.records.size());
            assertEquals(COUNT - 1, e.sequence(), "damage before the last record is an error, with its position");
        }
    }
}

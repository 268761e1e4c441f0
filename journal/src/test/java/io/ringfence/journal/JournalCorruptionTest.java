package io.ringfence.journal;

import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Damage a record on disk and check the reader reports it with its position and never skips it. */
class JournalCorruptionTest {
    private static final long DAMAGED = 50;
    private static final long COUNT = 100;
    private static final byte[] MARKER = "ringfence-journal-damage-me-here".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    /** Appends 1..COUNT where record DAMAGED carries MARKER as its payload; returns the .cq4 file. */
    private Path writeJournalWithMarker() throws IOException {
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            JournalAppender appender = journal.appender();
            Records.appendRange(appender, 1, DAMAGED - 1);
            appender.append(DAMAGED, 1, 2, 3, new UnsafeBuffer(MARKER), 0, MARKER.length);
            Records.appendRange(appender, DAMAGED + 1, COUNT);
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> cq4 = files.filter(p -> p.toString().endsWith(".cq4")).collect(Collectors.toList());
            assertEquals(1, cq4.size(), "one cycle file: " + cq4);
            return cq4.get(0);
        }
    }

    /** Flips every bit of the byte at {@code delta} from the start of the marker payload. */
    private static void flipByteRelativeToMarker(Path file, int delta) throws IOException {
        flipByteRelativeTo(file, MARKER, delta);
    }

    private static void flipByteRelativeTo(Path file, byte[] marker, int delta) throws IOException {
        byte[] content = Files.readAllBytes(file);
        int at = indexOf(content, marker);
        assertTrue(at > 0, "marker payload found in " + file);
        assertEquals(-1, indexOf(content, marker, at + 1), "marker is unique");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at + delta);
            raf.write(~content[at + delta]);
        }
    }

    @Test
    void shouldReportFlippedPayloadByteWithSequenceAndIndexAndNeverSkipIt() throws IOException {
        flipByteRelativeToMarker(writeJournalWithMarker(), 5);

        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            assertEquals(COUNT, journal.lastSequence());
            Records.Capture capture = new Records.Capture();
            JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> {
                while (reader.next(capture)) {
                    // read up to the damage
                }
            });
            assertEquals(DAMAGED - 1, capture.records.size(), "every record before the damaged one is delivered");
            assertEquals(DAMAGED, e.sequence());
            assertEquals(DAMAGED - 1, RollCycles.FAST_DAILY.toSequenceNumber(e.chronicleIndex()),
                    "Chronicle index points at the 50th excerpt of the cycle");
            assertTrue(e.getMessage().contains("sequence " + DAMAGED), e.getMessage());
            assertTrue(e.getMessage().contains("CRC32C mismatch"), e.getMessage());
            assertTrue(e.getMessage().contains(".cq4"), "names the file: " + e.getMessage());

            JournalCorruptException again = assertThrows(JournalCorruptException.class, () -> reader.next(capture));
            assertEquals(DAMAGED, again.sequence(), "the reader stays on the bad record");
            assertEquals(DAMAGED - 1, capture.records.size());

            assertTrue(reader.seek(DAMAGED + 1), "an explicit seek past the damage is allowed");
            Records.Capture rest = Records.readAll(reader);
            assertEquals(COUNT - DAMAGED, rest.records.size());
            assertEquals(DAMAGED + 1, rest.records.get(0).sequence());

            assertTrue(reader.seek(DAMAGED));
            assertThrows(JournalCorruptException.class, () -> reader.next(capture), "seek onto the bad record");
        }
    }

    @Test
    void shouldReportDamagedLengthField() throws IOException {
        int lengthFieldFromPayload = JournalRecordDescriptor.PAYLOAD_LENGTH_OFFSET - JournalRecordDescriptor.PAYLOAD_OFFSET;
        flipByteRelativeToMarker(writeJournalWithMarker(), lengthFieldFromPayload);

        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            assertTrue(reader.seek(DAMAGED - 1));
            Records.Capture capture = new Records.Capture();
            JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> {
                while (reader.next(capture)) {
                    // read up to the damage
                }
            });
            assertArrayEquals(new long[]{DAMAGED - 1}, capture.sequences());
            assertEquals(DAMAGED, e.sequence());
            assertTrue(e.getMessage().contains("payload length"), e.getMessage());
        }
    }

    @Test
    void shouldRoundTripPackedPayloadsExactlyAndCatchDamageInsideThem() throws IOException {
        // mostly zeros, like an SBE message with NUL-padded ids: stored packed
        byte[] payload = new byte[300];
        System.arraycopy(MARKER, 0, payload, 40, MARKER.length);
        payload[299] = 9;
        payload[150] = 1;
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            JournalAppender appender = journal.appender();
            Records.appendRange(appender, 1, DAMAGED - 1);
            appender.append(DAMAGED, 1, 2, 3, new UnsafeBuffer(payload), 0, payload.length);
            Records.appendRange(appender, DAMAGED + 1, COUNT);
        }
        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            assertTrue(reader.seek(DAMAGED));
            byte[][] seen = new byte[1][];
            assertTrue(reader.next((seq, ingest, source, clientSeq, buffer, offset, length) -> {
                seen[0] = new byte[length];
                buffer.getBytes(offset, seen[0]);
            }));
            assertArrayEquals(payload, seen[0], "a packed payload reads back byte for byte");
        }
        Path file;
        try (Stream<Path> files = Files.list(dir)) {
            file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        assertEquals(-1, indexOf(Files.readAllBytes(file), MARKER), "stored packed: a tag byte every 8 payload bytes");
        flipByteRelativeTo(file, java.util.Arrays.copyOf(MARKER, 8), 3);
        try (Journal journal = Journal.open(JournalConfig.of(dir)); JournalReader reader = journal.reader()) {
            assertTrue(reader.seek(DAMAGED));
            JournalCorruptException e = assertThrows(JournalCorruptException.class, () -> reader.next(new Records.Capture()));
            assertEquals(DAMAGED, e.sequence());
            assertTrue(e.getMessage().contains("CRC32C mismatch"), e.getMessage());
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return indexOf(haystack, needle, 0);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

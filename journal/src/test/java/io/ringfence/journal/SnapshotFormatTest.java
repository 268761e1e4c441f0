package io.ringfence.journal;

import io.ringfence.journal.snapshot.SnapshotCorruptException;
import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.journal.snapshot.SnapshotFile;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshot files carry the fingerprint of the journal record they cover; files of the format before still read. */
class SnapshotFormatTest {
    @TempDir
    Path dir;

    private static final byte[] DIGEST = new byte[SnapshotDescriptor.DIGEST_LENGTH];

    @Test
    void theRecordFingerprintRoundTripsAndIsCoveredByTheCrc() throws Exception {
        final SnapshotStore store = new SnapshotStore(dir, 2);
        final Path file = store.write(7, DIGEST, 0x1234_5678_9abc_def0L, ByteBuffer.wrap("state".getBytes(StandardCharsets.UTF_8)), null);
        final SnapshotFile read = SnapshotStore.read(file);
        assertEquals(0x1234_5678_9abc_def0L, read.record());
        assertEquals(7, read.sequence());
        assertEquals("state", StandardCharsets.UTF_8.decode(read.content()).toString());
        assertTrue(read.content().isDirect(), "mapped, not copied into the heap: a 1.95 GB snapshot beside the state it restores"
            + " did not fit a heap that held the running state (trial at 1 M users)");

        final byte[] bytes = Files.readAllBytes(file);
        bytes[SnapshotDescriptor.RECORD_FINGERPRINT_OFFSET] ^= 1;
        Files.write(file, bytes);
        final SnapshotCorruptException e = assertThrows(SnapshotCorruptException.class, () -> SnapshotStore.read(file));
        assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
    }

    @Test
    void contentLargerThanOneChunkIsWrittenAndChecksummedWholeFromRawMemoryOrAByteBuffer() throws Exception {
        final byte[] state = new byte[(3 << 20) + 12_345]; // three chunks of 1 MiB and a part
        new java.util.Random(5).nextBytes(state);
        final SnapshotStore store = new SnapshotStore(dir, 4);
        final org.agrona.concurrent.UnsafeBuffer raw = new org.agrona.concurrent.UnsafeBuffer(ByteBuffer.allocateDirect(state.length + 100));
        raw.putBytes(0, state);
        final SnapshotFile fromRaw = SnapshotStore.read(store.write(11, DIGEST, 3, raw, state.length, null));
        final ByteBuffer offset = ByteBuffer.allocate(state.length + 7);
        offset.position(7);
        offset.put(state).position(7);
        final SnapshotFile fromBuffer = SnapshotStore.read(store.write(12, DIGEST, 3, offset, null));
        for (final SnapshotFile read : new SnapshotFile[] {fromRaw, fromBuffer}) {
            final byte[] back = new byte[read.content().remaining()];
            read.content().duplicate().get(back);
            assertArrayEquals(state, back, "the whole content, in order, for snapshot " + read.sequence());
        }
        assertEquals(7, offset.position(), "the ByteBuffer given is left unchanged");

        final Path file = store.write(13, DIGEST, 3, raw, state.length, null);
        final byte[] bytes = Files.readAllBytes(file);
        bytes[SnapshotDescriptor.HEADER_LENGTH + (2 << 20) + 5] ^= 1; // a bit in the third chunk
        Files.write(file, bytes);
        assertThrows(SnapshotCorruptException.class, () -> SnapshotStore.read(file), "the CRC covers every chunk");
    }

    @Test
    void aVersionOneFileReadsWithoutAFingerprint() throws Exception {
        final byte[] content = "old state".getBytes(StandardCharsets.UTF_8);
        final ByteBuffer b = ByteBuffer.allocate(SnapshotDescriptor.V1_HEADER_LENGTH + content.length).order(SnapshotDescriptor.BYTE_ORDER);
        b.putInt(SnapshotDescriptor.MAGIC_OFFSET, SnapshotDescriptor.MAGIC);
        b.putShort(SnapshotDescriptor.VERSION_OFFSET, SnapshotDescriptor.VERSION_1);
        b.putLong(SnapshotDescriptor.SEQUENCE_OFFSET, 9);
        b.putLong(SnapshotDescriptor.CONTENT_LENGTH_OFFSET, content.length);
        b.put(SnapshotDescriptor.V1_HEADER_LENGTH, content);
        final CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, SnapshotDescriptor.V1_CRC_OFFSET);
        crc.update(content);
        b.putInt(SnapshotDescriptor.V1_CRC_OFFSET, (int) crc.getValue());
        final Path file = dir.resolve(SnapshotDescriptor.fileName(9));
        Files.write(file, b.array());

        final SnapshotFile read = SnapshotStore.read(file);
        assertEquals(RecordFingerprint.NONE, read.record());
        assertEquals(9, read.sequence());
        assertEquals("old state", StandardCharsets.UTF_8.decode(read.content()).toString());
    }

    @Test
    void fingerprintsTellRecordsApartByEveryField() {
        final UnsafeBuffer p = new UnsafeBuffer("payload".getBytes(StandardCharsets.UTF_8));
        final UnsafeBuffer q = new UnsafeBuffer("paylоad".getBytes(StandardCharsets.UTF_8));
        final long base = RecordFingerprint.of(5, 100, 1, 2, p, 0, p.capacity());
        assertEquals(base, RecordFingerprint.of(5, 100, 1, 2, new UnsafeBuffer("payload".getBytes(StandardCharsets.UTF_8)), 0, p.capacity()));
        assertNotEquals(base, RecordFingerprint.of(6, 100, 1, 2, p, 0, p.capacity()));
        assertNotEquals(base, RecordFingerprint.of(5, 101, 1, 2, p, 0, p.capacity()));
        assertNotEquals(base, RecordFingerprint.of(5, 100, 2, 2, p, 0, p.capacity()));
        assertNotEquals(base, RecordFingerprint.of(5, 100, 1, 3, p, 0, p.capacity()));
        assertNotEquals(base, RecordFingerprint.of(5, 100, 1, 2, q, 0, q.capacity()));
        assertNotEquals(base, RecordFingerprint.of(5, 100, 1, 2, p, 0, p.capacity() - 1));
        assertNotEquals(RecordFingerprint.NONE, base);
    }

    @Test
    void theJournalGivesTheFingerprintOfTheRecordItHolds() {
        try (Journal journal = Journal.open(JournalConfig.builder(dir.resolve("j")).build())) {
            Records.appendRange(journal.appender(), 1, 3);
            final long[] seen = new long[4];
            try (JournalReader reader = journal.reader()) {
                while (reader.next((seq, ingest, src, cs, payload, off, len) ->
                        seen[(int) seq] = RecordFingerprint.of(seq, ingest, src, cs, payload, off, len))) {
                    // all three
                }
            }
            for (int s = 1; s <= 3; s++) {
                assertEquals(seen[s], journal.recordFingerprint(s));
            }
            assertNotEquals(journal.recordFingerprint(1), journal.recordFingerprint(2));
            assertEquals(RecordFingerprint.NONE, journal.recordFingerprint(4), "not in the journal");
            assertEquals(RecordFingerprint.NONE, journal.recordFingerprint(0));
        }
    }

    @Test
    void aSnapshotThatWouldEatIntoTheJournalsReserveIsNotWritten() throws Exception {
        final long free = Files.getFileStore(dir).getUsableSpace();
        final SnapshotStore tight = new SnapshotStore(dir, 2, free + (1L << 30)); // any snapshot would leave less than this
        final JournalException e = assertThrows(JournalException.class,
                () -> tight.write(5, DIGEST, 1, ByteBuffer.wrap(new byte[1_000]), null));
        assertTrue(e.getMessage().contains("snapshot at sequence 5 not written") && e.getMessage().contains("journal.minFreeMiB"),
                e.getMessage());
        assertTrue(tight.list().isEmpty(), "nothing written, no temporary file left");
        final SnapshotStore roomy = new SnapshotStore(dir, 2, 1 << 20);
        roomy.write(5, DIGEST, 1, ByteBuffer.wrap(new byte[1_000]), null);
        assertEquals(1, roomy.list().size());
    }

    /**
     * Operator trial: near the journal's reserve every snapshot was refused from then on, while deleting the oldest one,
     * which the write would prune anyway, made room. The oldest goes first; with nothing the write would prune, it is refused.
     */
    @Test
    void nearTheReserveTheSnapshotTheWriteWouldPruneMakesRoomFirst() throws Exception {
        // a disk of its own, 1 GiB, less what the directory holds: the machine's disk moved by tens of MB under the
        // test while other processes wrote and deleted (a verify beside a kill -9 soak: "nothing was thrown")
        final long disk = 1L << 30;
        final java.util.function.ToLongFunction<java.nio.file.Path> free = d -> disk - directoryBytes(d);
        final int size = 4 << 20;
        final SnapshotStore roomy = new SnapshotStore(dir, 2, 1 << 20, free);
        roomy.write(1, DIGEST, 1, ByteBuffer.wrap(new byte[size]), null);
        roomy.write(2, DIGEST, 1, ByteBuffer.wrap(new byte[size]), null);
        // short of room by half a snapshot: deleting one frees enough
        final long reserve = free.applyAsLong(dir) - size + size / 2;
        new SnapshotStore(dir, 2, reserve, free).write(3, DIGEST, 1, ByteBuffer.wrap(new byte[size]), null);
        assertEquals(List.of(3L, 2L), sequences(roomy));
        // retain 3 with 2 held: the write prunes nothing, so nothing is deleted for it and it is refused
        final long tight = free.applyAsLong(dir) - size + size / 2;
        assertThrows(JournalException.class,
                () -> new SnapshotStore(dir, 3, tight, free).write(4, DIGEST, 1, ByteBuffer.wrap(new byte[size]), null));
        assertEquals(List.of(3L, 2L), sequences(roomy));
    }

    private static long directoryBytes(final java.nio.file.Path directory) {
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(directory)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Operator trial: after a configuration change the whole journal is replayed and snapshotted anew, at sequences
     * below the old configuration's snapshots; those must not hold every retained place (each new snapshot was
     * pruned as it was written), and once the new configuration has {@code retain} of its own they go.
     */
    @Test
    void snapshotsOfAnotherConfigurationDoNotCountAgainstRetainAndGoOnceItIsFull() throws Exception {
        final byte[] before = DIGEST.clone();
        final byte[] now = DIGEST.clone();
        now[0] = 1;
        final SnapshotStore store = new SnapshotStore(dir, 3);
        for (final long s : new long[] {100, 200, 300}) {
            store.write(s, before, 1, ByteBuffer.wrap(new byte[16]), null);
        }
        store.write(10, now, 1, ByteBuffer.wrap(new byte[16]), null);
        assertEquals(List.of(300L, 200L, 100L, 10L), sequences(store), "the re-replay's first snapshot is kept");
        store.write(20, now, 1, ByteBuffer.wrap(new byte[16]), null);
        assertEquals(List.of(300L, 200L, 100L, 20L, 10L), sequences(store));
        store.write(30, now, 1, ByteBuffer.wrap(new byte[16]), null);
        assertEquals(List.of(30L, 20L, 10L), sequences(store), "three of this configuration: the others go");
        store.write(40, now, 1, ByteBuffer.wrap(new byte[16]), null);
        assertEquals(List.of(40L, 30L, 20L), sequences(store));
    }

    private static List<Long> sequences(final SnapshotStore store) {
        return store.list().stream().map(p -> SnapshotDescriptor.sequenceOf(p.getFileName().toString())).toList();
    }
}

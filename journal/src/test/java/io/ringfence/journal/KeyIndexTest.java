package io.ringfence.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's key index ({@link KeyIndex}, {@link KeyIndexWriter}): every record carrying a key is found, as a whole
 * read finds it, through the blocks the sealer wrote plus the records no block covers; a block that is damaged, of
 * another journal, or not written costs a read of its records, never a record; a restart in the middle of a block
 * writes it whole.
 */
class KeyIndexTest {
    /** 16 records a block. */
    private static final int SHIFT = 4;
    /** Keys of 37 kinds, spread over the 64 bits (the index keeps a key's high bits). */
    private static final int KINDS = 37;

    @TempDir
    Path data;

    /** A record's payload: its first key, and a second one when not 0. */
    private static final RecordKeys KEYS = (payload, offset, length, keys) -> {
        if (length < 16) {
            return 0;
        }
        keys[0] = payload.getLong(offset);
        final long second = payload.getLong(offset + 8);
        if (second == 0) {
            return 1;
        }
        keys[1] = second;
        return 2;
    };

    private static long key(final long kind) {
        return (kind + 1) * 0x9E3779B97F4A7C15L;
    }

    /** The record of {@code seq}: key of kind seq % 37 (salted by {@code salt}), and every 5th the key of kind 3 too. */
    private static void append(final JournalAppender appender, final long seq, final long salt) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[24]);
        b.putLong(0, key((seq + salt) % KINDS));
        b.putLong(8, seq % 5 == 0 ? key(3) : 0);
        b.putLong(16, seq);
        appender.append(seq, 1_700_000_000_000_000L + seq, 1, seq, b, 0, 24);
    }

    private JournalConfig writing() {
        return JournalConfig.builder(data).seal(100, null).keyIndex(KEYS, SHIFT).build();
    }

    private void write(final long from, final long to, final long salt) {
        try (Journal journal = Journal.open(writing())) {
            for (long s = from; s <= to; s++) {
                append(journal.appender(), s, salt);
            }
        }
    }

    /** What {@link KeyIndex#search} finds for {@code key}: the sequences carrying it, and how it read. */
    private record Found(List<Long> seqs, KeyIndex.Search search) {
    }

    private Found search(final long key) {
        final List<Long> seqs = new ArrayList<>();
        final long[] previous = {0};
        try (Journal journal = Journal.open(JournalConfig.builder(data).forReading().build());
             JournalReader reader = journal.reader()) {
            final KeyIndex.Search search = KeyIndex.search(journal, reader, new long[]{key}, (seq, ingest, src, cs, p, o, l) -> {
                assertTrue(seq > previous[0], "in order, each once: " + seq + " after " + previous[0]);
                previous[0] = seq;
                if (p.getLong(o) == key || p.getLong(o + 8) == key) {
                    seqs.add(seq);
                }
            });
            assertEquals(null, reader.checkEnd(), "left at the journal's end");
            return new Found(seqs, search);
        }
    }

    /** Every sequence carrying {@code key}, by a whole read. */
    private List<Long> scan(final long key) {
        final List<Long> seqs = new ArrayList<>();
        try (Journal journal = Journal.open(JournalConfig.builder(data).forReading().build());
             JournalReader reader = journal.reader()) {
            while (reader.next((seq, ingest, src, cs, p, o, l) -> {
                if (p.getLong(o) == key || p.getLong(o + 8) == key) {
                    seqs.add(seq);
                }
            })) {
                // all
            }
        }
        return seqs;
    }

    private List<Path> blocks() throws IOException {
        try (Stream<Path> files = Files.list(data.resolve(KeyIndex.DIRECTORY))) {
            return files.sorted().toList();
        }
    }

    @Test
    void findsEveryRecordOfAKeyThroughTheBlocksAndReadsOnlyTheTail() throws IOException {
        write(1, 1_000, 0);
        assertEquals(62, blocks().size(), "blocks of 16 records through 992: " + blocks());
        for (final long kind : new long[]{0, 3, 36}) {
            final Found found = search(key(kind));
            assertEquals(scan(key(kind)), found.seqs(), "kind " + kind);
            assertFalse(found.seqs().isEmpty());
            assertEquals(62, found.search().blocks());
            assertEquals(992, found.search().covered());
            assertEquals(8, found.search().scanned(), "only the records after the last block are read in a run");
            assertTrue(found.search().candidates() < 400, "candidates: " + found.search());
        }
        final Found none = search(key(99));
        assertEquals(List.of(), none.seqs());
        assertEquals(0, none.search().candidates());
    }

    @Test
    void aDamagedBlockIsReadInsteadAndSaidSo() throws IOException {
        write(1, 1_000, 0);
        final Path block = KeyIndexFile.path(data.resolve(KeyIndex.DIRECTORY), 17);
        final byte[] bytes = Files.readAllBytes(block);
        bytes[bytes.length - 3] ^= 0x40; // a bit of an entry
        Files.write(block, bytes);
        final Found found = search(key(5));
        assertEquals(scan(key(5)), found.seqs());
        assertEquals(61, found.search().blocks());
        assertEquals(8 + 16, found.search().scanned(), "the damaged block's records are read");
        assertEquals(List.of("0000000000000000017.keys: its entries do not match their checksum"), found.search().unused());

        Files.write(block, new byte[]{1, 2, 3}); // cut
        assertEquals(scan(key(5)), search(key(5)).seqs());
        Files.delete(block); // deleted: read, not said
        final Found gone = search(key(5));
        assertEquals(scan(key(5)), gone.seqs());
        assertEquals(List.of(), gone.search().unused());
    }

    /** Review: a 19-digit name past 2^63 - 1 in the directory stopped every start and every explain. */
    @Test
    void filesThatAreNotBlocksAreLeftAlone() throws IOException {
        final Path index = Files.createDirectories(data.resolve(KeyIndex.DIRECTORY));
        for (final String name : new String[]{"9999999999999999999.keys", "0000000000000000000.keys", "12.keys", "notes.txt"}) {
            Files.write(index.resolve(name), new byte[]{1});
        }
        write(1, 1_000, 0);
        write(1_001, 1_010, 0); // a start with them there
        final Found found = search(key(4));
        assertEquals(scan(key(4)), found.seqs());
        assertEquals(63, found.search().blocks());
        assertTrue(Files.exists(index.resolve("9999999999999999999.keys")), "not ours: not deleted");
    }

    /** The blocks before a start's (a journal of a build before the index; blocks deleted or damaged) are built again. */
    @Test
    void aStartCompletesTheIndexBackwardsInTheBackground() throws Exception {
        try (Journal journal = Journal.open(JournalConfig.builder(data).seal(100, null).build())) { // no index
            for (long s = 1; s <= 500; s++) {
                append(journal.appender(), s, 0);
            }
        }
        try (Journal journal = Journal.open(writing())) {
            for (long s = 501; s <= 1_000; s++) {
                append(journal.appender(), s, 0);
            }
            awaitBlocks(62); // 1..992: the first 31 built from the journal, the others as written
        }
        final Path index = data.resolve(KeyIndex.DIRECTORY);
        final byte[] damaged = Files.readAllBytes(KeyIndexFile.path(index, 17));
        damaged[damaged.length - 1] ^= 1;
        Files.write(KeyIndexFile.path(index, 17), damaged);
        Files.delete(KeyIndexFile.path(index, 33));
        try (Journal journal = Journal.open(writing())) {
            append(journal.appender(), 1_001, 0);
            awaitBlocks(62);
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (search(key(2)).search().blocks() < 62) {
                assertTrue(System.nanoTime() < deadline, "block 17 built again: " + search(key(2)).search());
                Thread.sleep(50);
            }
        }
        for (final long kind : new long[]{0, 2, 3}) {
            final Found found = search(key(kind));
            assertEquals(scan(key(kind)), found.seqs(), "kind " + kind);
            assertEquals(62, found.search().blocks());
            assertEquals(List.of(), found.search().unused());
        }
    }

    private void awaitBlocks(final int n) throws Exception {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.isDirectory(data.resolve(KeyIndex.DIRECTORY)) || blocks().size() < n) {
            assertTrue(System.nanoTime() < deadline, "blocks: " + (Files.isDirectory(data.resolve(KeyIndex.DIRECTORY))
                    ? blocks().size() : 0));
            Thread.sleep(50);
        }
    }

    @Test
    void aRestartInTheMiddleOfABlockWritesItWhole() throws IOException {
        write(1, 1_000, 0); // the block of 993..1008 is begun, not written
        assertFalse(Files.exists(KeyIndexFile.path(data.resolve(KeyIndex.DIRECTORY), 993)));
        write(1_001, 1_100, 0);
        assertTrue(Files.exists(KeyIndexFile.path(data.resolve(KeyIndex.DIRECTORY), 993)), "read again from 993, written");
        final Found found = search(key(3));
        assertEquals(scan(key(3)), found.seqs());
        assertEquals(68, found.search().blocks());
        assertEquals(12, found.search().scanned());
    }

    @Test
    void aJournalBegunAnewIsNotFoundThroughTheOldOnesBlocks() throws IOException {
        write(1, 1_000, 0);
        final List<Path> old = blocks();
        final Path stale = data.resolve("stale.keys");
        Files.copy(KeyIndexFile.path(data.resolve(KeyIndex.DIRECTORY), 33), stale);
        for (final Path f : Journal.files(data)) {
            Files.delete(f);
        }
        Files.delete(data.resolve(JournalSeals.FILE));
        write(1, 600, 11); // other keys at the same sequences
        assertEquals(37, blocks().size(), "the old blocks were deleted at the start, the new written: " + old.size());
        // an old block put back (a copy restored over the new one): its last record is not this journal's
        Files.copy(stale, KeyIndexFile.path(data.resolve(KeyIndex.DIRECTORY), 33), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (final long kind : new long[]{0, 11, 20}) {
            final Found found = search(key(kind));
            assertEquals(scan(key(kind)), found.seqs(), "kind " + kind);
        }
        assertEquals(List.of("0000000000000000033.keys: the journal's record 48 is not the one it indexed"),
                search(key(1)).search().unused());
    }

    @Test
    void aJournalWithoutAnIndexIsReadWhole() {
        try (Journal journal = Journal.open(JournalConfig.builder(data).seal(100, null).build())) {
            for (long s = 1; s <= 100; s++) {
                append(journal.appender(), s, 0);
            }
        }
        assertFalse(Files.exists(data.resolve(KeyIndex.DIRECTORY)));
        final Found found = search(key(7));
        assertEquals(scan(key(7)), found.seqs());
        assertEquals(100, found.search().scanned());
    }
}

package io.ringfence.journal;

import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Writes the journal's {@link KeyIndex} as the sealer reads the records: the keys of each whole block of
 * {@code 2^shift} records ({@link KeyIndexFile}) once its last record is read. A block begun in the middle (a start
 * after a stop) is read from its first record again, once; a block the journal no longer holds as indexed is deleted at
 * the start. Off the engine's path (the sealer's thread); allocates per block, not per record. A block that cannot be
 * written is logged and left out: readers scan the records it would have covered, so nothing is lost but time.
 */
final class KeyIndexWriter {
    private static final Logger LOG = LoggerFactory.getLogger(KeyIndexWriter.class);

    private final Path directory;
    private final RecordKeys keys;
    private final int shift;
    private final long mask;
    private final long[] scratch = new long[KeyIndex.MAX_KEYS_PER_RECORD];
    private final CRC32C crc = new CRC32C();
    private long[] entries = new long[1 << 12];
    private int count;
    /** The sequence the next record should have to go on with the block; -1 before the first. */
    private long expected = -1;
    /** Whether the block being read was begun at its first record (else it is not written). */
    private boolean filling;
    private ByteBuffer out;
    private boolean backfilled;
    private long written;
    private long failures;
    private boolean failing;

    KeyIndexWriter(final Path journalDirectory, final RecordKeys keys, final int shift) {
        this.directory = journalDirectory.resolve(KeyIndex.DIRECTORY);
        this.keys = keys;
        this.shift = shift;
        this.mask = (1L << shift) - 1;
    }

    /**
     * Deletes the blocks that may not be of the records the journal now holds: with {@code continued} (the sealer
     * carries on from a seal the journal still holds) those ending after {@code through}, the last record sealed;
     * otherwise every one (a journal begun anew, cut, changed, or found without seals: it is indexed again as read).
     */
    void start(final boolean continued, final long through) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (final Path f : files) {
                final long first = KeyIndexFile.firstOf(f.getFileName().toString());
                final boolean tmp = f.getFileName().toString().endsWith(".tmp");
                if (tmp || first > 0 && (!continued || first + mask > through)) {
                    Files.deleteIfExists(f);
                    deleted++;
                }
            }
        } catch (final IOException | RuntimeException e) { // never a reason for the journal not to open
            LOG.warn("journal key index {}: could not delete the blocks it no longer vouches for ({}); readers check each"
                    + " block against the journal before using it", directory, e.toString());
        }
        if (deleted > 0) {
            LOG.info("journal key index {}: {} block(s) deleted ({})", directory, deleted,
                    continued ? "after the last seal, sequence " + through : "the journal is sealed anew");
        }
    }

    /**
     * Reads the records of the block that {@code next} falls in, before it, with a reader of its own: a start carries on
     * in the middle of a block, which is then written whole. Once; nothing when {@code next} begins a block or the
     * block's first record is not in the directory (archived).
     */
    void backfill(final Journal journal, final long next) {
        if (backfilled) {
            return;
        }
        backfilled = true;
        final long first = blockFirst(next);
        if (first == next || first < journal.firstSequence() || next - 1 > journal.lastSequence()) {
            return;
        }
        try (JournalReader reader = journal.reader()) {
            if (!reader.seek(first)) {
                return;
            }
            final long[] at = {first - 1};
            while (at[0] < next - 1 && reader.next((seq, ingest, source, clientSeq, payload, offset, length) -> {
                at[0] = seq;
                add(seq, ingest, source, clientSeq, payload, offset, length);
            })) {
                // until the record before next
            }
        } catch (final RuntimeException e) {
            expected = -1; // this block is left out: readers scan it
            LOG.warn("journal key index {}: could not read the block of sequence {} again ({}); it is not indexed",
                    directory, next, e.toString());
        }
    }

    private long blockFirst(final long sequence) {
        return ((sequence - 1) & ~mask) + 1;
    }

    /** Takes one record's keys; writes its block when it is the block's last. */
    void add(final long sequence, final long ingestTimeMicros, final long sourceId, final long clientSeq,
             final DirectBuffer payload, final int offset, final int length) {
        final long first = blockFirst(sequence);
        if (sequence != expected || sequence == first) { // a new block, or a jump (the first record, a chain begun again)
            count = 0;
            filling = sequence == first;
        }
        expected = sequence + 1;
        if (!filling) {
            return;
        }
        final int n = Math.min(keys.keysOf(payload, offset, length, scratch), scratch.length);
        for (int i = 0; i < n; i++) {
            if (count == entries.length) {
                entries = Arrays.copyOf(entries, (int) Math.min((long) entries.length * 2, (mask + 1) * scratch.length));
            }
            entries[count++] = (scratch[i] & ~mask) | (sequence - first);
        }
        if (sequence == first + mask) {
            filling = false;
            write(first, sequence, RecordFingerprint.of(sequence, ingestTimeMicros, sourceId, clientSeq, payload, offset, length));
        }
    }

    private void write(final long first, final long last, final long fingerprint) {
        Arrays.sort(entries, 0, count);
        final int size = KeyIndexFile.HEADER + count * 8;
        if (out == null || out.capacity() < size) {
            out = ByteBuffer.allocateDirect(Math.max(size, out == null ? 0 : out.capacity() * 2));
        }
        KeyIndexFile.encode(out, first, last, fingerprint, shift, entries, count, crc);
        final Path target = KeyIndexFile.path(directory, first);
        final Path tmp = directory.resolve(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(directory);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (out.hasRemaining()) {
                    ch.write(out);
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written++;
            if (failing) {
                failing = false;
                LOG.info("journal key index {}: writing again (block of sequence {})", directory, first);
            }
        } catch (final IOException | RuntimeException e) {
            failures++;
            if (!failing) { // once until a block is written again, not every block
                failing = true;
                LOG.warn("journal key index {}: the block of sequences {}..{} cannot be written ({}); explain reads the"
                        + " records of blocks not written", directory, first, last, e.toString());
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (final IOException ignored) {
                // the next start deletes it
            }
        }
    }

    /** Blocks written since the start (tests, logs). */
    long written() {
        return written;
    }

    /** Blocks that could not be written. */
    long failures() {
        return failures;
    }
}

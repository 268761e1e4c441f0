package io.ringfence.journal;

import org.agrona.collections.LongArrayList;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The journal's key index: for each whole block of records (262,144 by default), the keys ({@link RecordKeys}: for the
 * engine, the hashes of order and payment ids) of each record, sorted, in a file of its own under the data directory's
 * {@value #DIRECTORY}. Its writer is the journal's sealer ({@link KeyIndexWriter}); {@link #search} reads it so that
 * finding every record of one id (ringfence explain) reads those records and the journal's last, unindexed, records
 * rather than the whole journal: at 100 M events a whole read takes about a minute.
 *
 * <p>A block is only a shortcut: one is used only when it reads back whole (checksums) and the journal holds its last
 * record with the fingerprint the block names; records no block covers (the tail, a block not written, a block
 * deleted) are read. So an index deleted, cut, stale or damaged costs time, never a record.
 */
public final class KeyIndex {
    /** The index's directory, inside the journal's. */
    public static final String DIRECTORY = "journal-index";
    /** Most keys one record may have. */
    public static final int MAX_KEYS_PER_RECORD = 4;
    /** Records per block, as a power of two: 2^18 = 262,144 (about 0.1 s to read when no block covers them). */
    public static final int DEFAULT_SHIFT = 18;
    static final int MIN_SHIFT = 4;
    static final int MAX_SHIFT = 24;

    private KeyIndex() {
    }

    /**
     * What {@link #search} read: the blocks it used and the records they cover, the records it read one by one (the
     * candidates), and those it read in runs (where no block applies), with why blocks were passed over.
     */
    public record Search(int blocks, long covered, long candidates, long scanned, List<String> unused) {
    }

    /**
     * Hands {@code handler} every record of the journal, in sequence order and each once, that may carry one of
     * {@code keys}: the candidates of the index's blocks, and every record no block covers (from the first to the end,
     * including records appended while it reads). The handler decides which really do (a key is a hash). Reads with
     * {@code reader}, which is left at the journal's end (its {@link JournalReader#checkEnd()} says how it ended).
     *
     * @throws JournalCorruptException as {@link JournalReader#next} does for a damaged record it reads
     */
    public static Search search(final Journal journal, final JournalReader reader, final long[] keys,
                                final JournalRecordHandler handler) {
        final long first = journal.firstSequence();
        final long last = journal.lastSequence();
        final List<String> unused = new ArrayList<>();
        final Path directory = journal.directory().resolve(DIRECTORY);
        int blocks = 0;
        long covered = 0;
        long candidates = 0;
        long scanned = 0;
        long from = first;
        final LongArrayList found = new LongArrayList();
        final long[] at = {0};
        final JournalRecordHandler counting = (seq, ingest, source, clientSeq, payload, offset, length) -> {
            at[0] = seq;
            handler.onRecord(seq, ingest, source, clientSeq, payload, offset, length);
        };
        final String[] why = new String[1];
        for (final long blockFirst : blockFirsts(directory, first, last, unused)) {
            if (blockFirst < from) {
                continue; // overlaps one used (blocks of another size, written under another setting)
            }
            // one block in memory at a time (~1.5 MB each: a search of 100 M events held 570 MB, review)
            final KeyIndexFile.Block block = usable(journal, directory, blockFirst, last, unused, why);
            if (block == null) {
                continue; // its records are read with those before the next block used
            }
            scanned += read(reader, from, block.first() - 1, counting, at);
            found.clear();
            for (final long key : keys) {
                block.candidates(key, found);
            }
            found.sort(Comparator.naturalOrder());
            long previous = 0;
            for (int i = 0; i < found.size(); i++) {
                final long seq = found.getLong(i);
                if (seq != previous) { // two keys of one record: handed once
                    previous = seq;
                    candidates += read(reader, seq, seq, counting, at);
                }
            }
            blocks++;
            covered += block.last() - block.first() + 1;
            from = block.last() + 1;
        }
        scanned += read(reader, from, Long.MAX_VALUE, counting, at);
        return new Search(blocks, covered, candidates, scanned, unused);
    }

    /** Reads records {@code from..to} (to the end for {@code Long.MAX_VALUE}); returns how many. */
    private static long read(final JournalReader reader, final long from, final long to, final JournalRecordHandler handler,
                             final long[] at) {
        if (from > to || !reader.seek(from)) {
            return 0;
        }
        long n = 0;
        at[0] = from - 1;
        while (at[0] < to && reader.next(handler)) {
            n++;
        }
        return n;
    }

    /** The first sequences of the block files in {@code directory} that begin in {@code first..last - 1}, in order. */
    private static List<Long> blockFirsts(final Path directory, final long first, final long last, final List<String> unused) {
        final List<Long> firsts = new ArrayList<>();
        if (last == 0 || !Files.isDirectory(directory)) {
            return firsts;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + KeyIndexFile.SUFFIX)) {
            for (final Path f : files) {
                final long at = KeyIndexFile.firstOf(f.getFileName().toString());
                if (at >= first && at < last) {
                    firsts.add(at);
                }
            }
        } catch (final IOException | RuntimeException e) {
            unused.add(directory + ": " + e);
            firsts.clear();
        }
        firsts.sort(null);
        return firsts;
    }

    /**
     * The block beginning at {@code at} when it can stand for its records: whole, ending before the journal's last
     * record (the last is always read, so the reader ends at the journal's end), and holding the journal's record at its
     * end; else null, with why in {@code unused} (a block deleted meanwhile by a writer's start, or not ended yet: not
     * said).
     */
    private static KeyIndexFile.Block usable(final Journal journal, final Path directory, final long at, final long last,
                                             final List<String> unused, final String[] why) {
        final Path file = KeyIndexFile.path(directory, at);
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (final NoSuchFileException e) {
            return null;
        } catch (final IOException | RuntimeException e) {
            unused.add(file.getFileName() + ": " + e);
            return null;
        }
        final KeyIndexFile.Block block = KeyIndexFile.decode(bytes, at, why);
        if (block == null) {
            unused.add(file.getFileName() + ": " + why[0]);
            return null;
        }
        if (block.last() >= last) {
            return null;
        }
        if (journal.recordFingerprint(block.last()) != block.fingerprint()) {
            unused.add(file.getFileName() + ": the journal's record " + block.last() + " is not the one it indexed");
            return null;
        }
        return block;
    }

    /** Deletes the index of the journal in {@code directory} (a journal deleted with it: {@code run --fresh}). */
    public static void delete(final Path directory) throws IOException {
        final Path index = directory.resolve(DIRECTORY);
        if (!Files.isDirectory(index)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(index)) {
            for (final Path f : files) {
                Files.delete(f);
            }
        }
        Files.delete(index);
    }
}

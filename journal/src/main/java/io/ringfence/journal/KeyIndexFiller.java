package io.ringfence.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Completes the journal's {@link KeyIndex} backwards, in the background: the blocks before the one the sealer carries on
 * in at a start (written by earlier starts, or never: a journal of a build before the index, a directory deleted) are
 * checked from the newest down, and each one missing or not usable (damaged, of another journal) is built again from
 * the journal's records. On the sealer's thread, between its passes: up to {@value #CHECKS_PER_STEP} blocks checked a
 * step, and records read again at most {@value #REBUILD_RECORDS_PER_SECOND} a second (a block of 262,144 a second,
 * ~0.1-0.3 s of a core), so the engine's cores are not taken.
 */
final class KeyIndexFiller {
    private static final Logger LOG = LoggerFactory.getLogger(KeyIndexFiller.class);
    static final long REBUILD_RECORDS_PER_SECOND = 262_144;
    static final int CHECKS_PER_STEP = 64;

    private final Path directory;
    /** Builds the blocks this rebuilds (the live writer's block is its own). */
    private final KeyIndexWriter writer;
    private final long blockRecords;
    /** The first sequence of the next block to check, going down; below the journal's first: done. */
    private long next;
    /** Records that may be read again now (a token bucket of one block, refilled from the end of each rebuild). */
    private double credit;
    private long creditAt = System.nanoTime();
    private long checked;
    private long rebuilt;
    private boolean done;

    /** Checks the blocks before the one beginning at or before {@code liveFrom}, which the live writer indexes. */
    KeyIndexFiller(final Path journalDirectory, final RecordKeys keys, final int shift, final long liveFrom) {
        this.directory = journalDirectory.resolve(KeyIndex.DIRECTORY);
        this.writer = new KeyIndexWriter(journalDirectory, keys, shift);
        this.blockRecords = 1L << shift;
        this.next = ((liveFrom - 1) & -blockRecords) + 1 - blockRecords;
        this.credit = blockRecords;
    }

    /** Whether every block has been checked (or the filling stopped). */
    boolean done() {
        return done;
    }

    /**
     * One step: checks the next blocks down and builds from the journal those missing or not usable, as the rate allows
     * (stopping when {@code stop} says so). A block the journal's directory does not hold whole (archived) ends it.
     */
    void step(final Journal journal, final BooleanSupplier stop) {
        final long now = System.nanoTime();
        credit = Math.min(credit + (now - creditAt) * (REBUILD_RECORDS_PER_SECOND / 1e9), blockRecords);
        creditAt = now;
        for (int i = 0; i < CHECKS_PER_STEP && !done && !stop.getAsBoolean(); i++) {
            final long first = journal.firstSequence();
            if (next < 1 || next < first || first < 1) {
                finish();
                return;
            }
            final long last = next + blockRecords - 1;
            if (usable(journal, last)) {
                checked++;
                next -= blockRecords;
                continue;
            }
            if (credit < blockRecords) {
                return; // this block at a later step
            }
            credit -= blockRecords;
            final boolean built = rebuild(journal, last, stop);
            creditAt = System.nanoTime(); // a rebuild's own time earns nothing (review: two blocks 0.4 s apart)
            if (!built) {
                return;
            }
        }
    }

    /** Builds the block {@code next..last} from the journal; false when it was not (stopped, or the filling ended). */
    private boolean rebuild(final Journal journal, final long last, final BooleanSupplier stop) {
        final long before = writer.written();
        try (JournalReader reader = journal.reader()) {
            if (reader.seek(next)) {
                final long[] at = {next - 1};
                long n = 0;
                while (at[0] < last && reader.next((seq, ingest, source, clientSeq, payload, offset, length) -> {
                    at[0] = seq;
                    writer.add(seq, ingest, source, clientSeq, payload, offset, length);
                })) {
                    if ((++n & 0xfff) == 0 && stop.getAsBoolean()) {
                        return false; // a close: this block at the next start
                    }
                }
            }
        } catch (final RuntimeException e) {
            // archived meanwhile, or a record that does not read: explain reads these records whole, and says why
            LOG.warn("journal key index {}: the block of sequences {}..{} cannot be built ({}); its events are read whole by"
                    + " explain; the index's blocks before it are not checked", directory, next, last, e.toString());
            finish();
            return false;
        }
        if (writer.written() == before) {
            finish(); // not written (said by the writer), or the directory does not hold it whole
            return false;
        }
        rebuilt++;
        next -= blockRecords;
        return true;
    }

    private boolean usable(final Journal journal, final long last) {
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(KeyIndexFile.path(directory, next));
        } catch (final java.io.IOException | RuntimeException e) { // missing or unreadable: built again
            return false;
        }
        final KeyIndexFile.Block block = KeyIndexFile.decode(bytes, next, new String[1]);
        return block != null && block.last() == last && journal.recordFingerprint(last) == block.fingerprint();
    }

    private void finish() {
        done = true;
        if (rebuilt > 0) {
            LOG.info("journal key index {}: {} block(s) built for events written before this start, {} found whole",
                    directory, rebuilt, checked);
        }
    }
}

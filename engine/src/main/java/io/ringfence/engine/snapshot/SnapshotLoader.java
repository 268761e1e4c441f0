package io.ringfence.engine.snapshot;

import io.ringfence.engine.pipeline.BusinessLogic;
import io.ringfence.journal.RecordFingerprint;
import io.ringfence.journal.snapshot.SnapshotCorruptException;
import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.journal.snapshot.SnapshotFile;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * Start-up's first step (DESIGN §7): the newest snapshot that verifies and fits, restored into a
 * fresh business state and the output side. Every snapshot passed over is reported with its file
 * and the reason (damaged, other format, taken under another configuration, newer than the
 * journal, content that does not read back), and the one before it is tried.
 */
public final class SnapshotLoader {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLoader.class);

    /**
     * What start-up continues from.
     *
     * @param logic    the business state (restored, or fresh when no snapshot was used)
     * @param sequence the last journal sequence that state includes (0 for a fresh one)
     * @param file     the snapshot used, or null
     * @param skipped  snapshots passed over
     * @param foreign  those passed over because they are of another journal, or beyond this one's end (a subset of
     *                 {@code skipped}; start-up sets them aside so pruning does not keep them over this journal's own)
     * @param damaged  those passed over because they do not verify (cut short, bad CRC, not a snapshot at all; a subset
     *                 of {@code skipped}): set aside too, as a file named after a high sequence would otherwise count
     *                 among the newest {@code retain} and have every new snapshot pruned at once
     * @param unreadable those passed over because their content is of a format this version does not read (an older
     *                 build's, or a newer one's after a downgrade): set aside for the same reason
     */
    public record Loaded<L extends BusinessLogic>(L logic, long sequence, Path file, int skipped, List<Path> foreign,
                                                  List<Path> damaged, List<Path> unreadable) {
        public Loaded(final L logic, final long sequence, final Path file, final int skipped) {
            this(logic, sequence, file, skipped, List.of(), List.of(), List.of());
        }
    }

    private SnapshotLoader() {
    }

    /**
     * @param digest       this configuration's {@link ConfigDigest}
     * @param journalLast  the journal's last complete sequence
     * @param freshLogic   makes a new, empty business state (one per attempt)
     * @param outputState  the output side's state, or null
     */
    public static <L extends BusinessLogic> Loaded<L> load(final SnapshotStore store, final byte[] digest,
                                                           final long journalLast, final Supplier<L> freshLogic,
                                                           final OutputState outputState) {
        return load(store, digest, journalLast, null, freshLogic, outputState);
    }

    /**
     * The same, continuing only snapshots of this journal: a snapshot whose recorded fingerprint
     * of the record at its sequence is not {@code journalRecords}' is of another journal (one deleted
     * and written anew under the same sequences) and is passed over.
     *
     * @param journalRecords the journal's {@code recordFingerprint}, or null for no check
     */
    public static <L extends BusinessLogic> Loaded<L> load(final SnapshotStore store, final byte[] digest,
                                                           final long journalLast, final LongUnaryOperator journalRecords,
                                                           final Supplier<L> freshLogic, final OutputState outputState) {
        return load(store.list(), digest, journalLast, journalRecords, Long.MAX_VALUE, freshLogic, outputState);
    }

    /**
     * The newest usable snapshot in {@code directory} that covers at most sequence {@code upTo},
     * for tools that replay part of a journal (replay with filters, explain). Read-only: nothing in
     * the directory is created, deleted or written, so it is safe on the data directory of a
     * running server (a snapshot its pruning deletes meanwhile is passed over). Newer snapshots
     * are passed over silently; the output side's section is skipped.
     */
    public static <L extends BusinessLogic> Loaded<L> loadReadOnly(final Path directory, final byte[] digest,
                                                                   final long journalLast, final LongUnaryOperator journalRecords,
                                                                   final long upTo, final Supplier<L> freshLogic) {
        return load(SnapshotStore.listIn(directory), digest, journalLast, journalRecords, upTo, freshLogic, null);
    }

    /**
     * Exactly that snapshot file (the one start-up restored), for a snapshot replica that must start
     * from the live engine's state; a fresh state at sequence 0 when {@code file} is null or it no
     * longer reads back (reported like start-up reports it).
     */
    public static <L extends BusinessLogic> Loaded<L> loadFile(final Path file, final byte[] digest, final long journalLast,
                                                               final LongUnaryOperator journalRecords,
                                                               final Supplier<L> freshLogic, final OutputState outputState) {
        return load(file == null ? List.of() : List.of(file), digest, journalLast, journalRecords, Long.MAX_VALUE, freshLogic,
                outputState);
    }

    /**
     * The output side's section alone (answers kept for resends, the push history: what was sent) of the newest
     * snapshot of this journal newer than {@code after}, whatever configuration it was taken under, into
     * {@code outputState}. For a start under a new configuration, whose snapshots it cannot continue: the business
     * state is rebuilt from the journal under the new rules, but what the clients were sent stays what they were
     * sent (a resend is answered as before, a subscriber is caught up on the pushes it missed, not on re-decided
     * ones). The section is found from the end of the content, since the business section before it is read only
     * with the configuration it was written under. A section that does not read leaves the state as
     * {@code restored} (the snapshot already loaded, or null for none) left it.
     *
     * @return the snapshot whose section was read, or null when none newer reads
     */
    public static Path loadOutputSection(final List<Path> newestFirst, final long after, final long journalLast,
                                         final LongUnaryOperator journalRecords, final OutputState outputState,
                                         final Path restored) {
        boolean touched = false;
        for (final Path path : newestFirst) {
            final long sequence = SnapshotDescriptor.sequenceOf(path.getFileName().toString());
            if (sequence <= after) {
                break;
            }
            if (sequence > journalLast) {
                continue;
            }
            try {
                final SnapshotFile file = SnapshotStore.read(path);
                if (file.record() == RecordFingerprint.NONE || journalRecords.applyAsLong(file.sequence()) != file.record()) {
                    continue; // not provably of this journal
                }
                touched = true;
                readOutputSection(file, outputState);
                LOG.info("start under another configuration or other engine rules: the answers kept for resends and the push"
                        + " history are {}'s (sequence {}): what was sent then; the journal is re-decided under this start's",
                        path, sequence);
                return path;
            } catch (final SnapshotCorruptException | SnapshotFormatException | IllegalStateException | IllegalArgumentException e) {
                LOG.warn("snapshot {}: its output section is not used ({}); trying the one before", path, e.getMessage());
            }
        }
        if (touched) {
            // a section that did not read may have been read in part: back to what the restored snapshot holds
            outputState.resetState();
            if (restored != null) {
                readOutputSection(SnapshotStore.read(restored), outputState);
            }
        }
        return null;
    }

    /** Reads the output section of {@code file} into {@code outputState}, which is reset first. */
    private static void readOutputSection(final SnapshotFile file, final OutputState outputState) {
        final java.nio.ByteBuffer content = file.content().slice().order(StateWriter.ORDER);
        final int at = SnapshotAgent.outputSectionAt(content);
        if (at < 0) {
            throw new SnapshotFormatException("no output section found at its end");
        }
        final StateReader r = new StateReader(content);
        r.skip(at);
        outputState.resetState();
        SnapshotAgent.readOutputSection(r, outputState);
    }

    private static void warnOtherConfiguration(final Path path, final byte[] its, final byte[] digest) {
        LOG.warn("snapshot {} is not used: it was taken under another configuration (digest {}, this one {}); "
                        + "windows, fraud rules, lists or model differ, or a build with other settings took it (after an"
                        + " upgrade: the same file reads with the new settings' defaults), and replaying the journal on top"
                        + " of it would mix the two. Trying the one before", path, ConfigDigest.shortHex(its), ConfigDigest.shortHex(digest));
    }

    private static <L extends BusinessLogic> Loaded<L> load(final List<Path> newestFirst, final byte[] digest,
                                                            final long journalLast, final LongUnaryOperator journalRecords,
                                                            final long upTo,
                                                            final Supplier<L> freshLogic, final OutputState outputState) {
        int skipped = 0;
        final List<Path> foreign = new java.util.ArrayList<>();
        final List<Path> damaged = new java.util.ArrayList<>();
        final List<Path> unreadable = new java.util.ArrayList<>();
        for (final Path path : newestFirst) {
            if (SnapshotDescriptor.sequenceOf(path.getFileName().toString()) > upTo) {
                continue;
            }
            final byte[] headerDigest = SnapshotStore.digestOf(path);
            if (headerDigest != null && !Arrays.equals(headerDigest, digest)) {
                // said by its header before the whole file is read and checked (review: a start under changed settings
                // read every snapshot kept for incident replays in full, 9 of 1.95 GB each with the defaults, to use none)
                warnOtherConfiguration(path, headerDigest, digest);
                skipped++;
                continue;
            }
            final SnapshotFile file;
            try {
                file = SnapshotStore.read(path);
            } catch (final SnapshotCorruptException e) {
                LOG.warn("{}; trying the one before", e.getMessage());
                if (e.damaged()) {
                    damaged.add(path);
                }
                skipped++;
                continue;
            }
            if (!Arrays.equals(file.digest(), digest)) {
                warnOtherConfiguration(path, file.digest(), digest);
                skipped++;
                continue;
            }
            if (file.sequence() > journalLast) {
                LOG.warn("snapshot {} is not used: it covers sequence {} but the journal ends at {} (the journal was cut "
                        + "or is not the one this snapshot was taken from). Trying the one before", path, file.sequence(), journalLast);
                foreign.add(path); // never of this journal as it goes on: its next events will differ from the lost ones
                skipped++;
                continue;
            }
            if (journalRecords != null && file.sequence() > 0) {
                if (file.record() == RecordFingerprint.NONE) {
                    LOG.warn("snapshot {} is not used: it names no journal record (the format before snapshots named theirs),"
                            + " so it cannot be told from a snapshot of another journal; the journal is replayed instead (once:"
                            + " the snapshots written from now on name it). Trying the one before", path);
                    skipped++;
                    continue;
                }
                final long actual = journalRecords.applyAsLong(file.sequence());
                if (actual == RecordFingerprint.NONE) {
                    LOG.warn("snapshot {} is not used: the journal's record at its sequence {} cannot be read to check that it is"
                            + " this journal's. Trying the one before", path, file.sequence());
                    skipped++;
                    continue;
                }
                if (actual != file.record()) {
                    LOG.warn("snapshot {} is not used: it was taken from another journal (this journal's record at sequence {} is"
                            + " not the one it covers; the journal was deleted and written anew, e.g. by `run --fresh`, or copied"
                            + " from elsewhere). Trying the one before", path, file.sequence());
                    foreign.add(path);
                    skipped++;
                    continue;
                }
            }
            final L logic = freshLogic.get();
            try {
                final StateReader r = new StateReader(file.content());
                logic.readState(r);
                SnapshotAgent.readOutputSection(r, outputState);
            } catch (final SnapshotFormatException | IllegalStateException | IllegalArgumentException e) {
                LOG.warn("snapshot {} is not used: its content does not read back ({}). Trying the one before", path, e.getMessage());
                if (outputState != null) {
                    outputState.resetState();
                }
                if (e instanceof SnapshotFormatException) {
                    unreadable.add(path); // a format this version does not read; not any other failure, which a fix may cure
                }
                skipped++;
                continue;
            }
            return new Loaded<>(logic, file.sequence(), path, skipped, foreign, damaged, unreadable);
        }
        if (skipped > 0) {
            // each skip said "trying the one before"; say where that ended (operator audit: nothing said the whole journal
            // would be replayed, and the banner's "no snapshot" read as if none had been there)
            LOG.warn("none of the {} snapshot(s) passed over is usable: the engine starts from nothing and replays the journal from"
                + " its first event", skipped);
        }
        return new Loaded<>(freshLogic.get(), 0, null, skipped, foreign, damaged, unreadable);
    }
}

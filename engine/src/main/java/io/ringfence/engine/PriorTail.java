package io.ringfence.engine;

import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.engine.snapshot.ConfigDigest;
import io.ringfence.engine.snapshot.SnapshotLoader;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalRecordHandler;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The kill -9 tail of a start under a new configuration: the events journaled after the newest snapshot whose
 * output section start-up restored (what was sent), decided by the configuration before. Their outputs are made
 * again under that configuration, from its own newest snapshot at or below the section, and fed to the output
 * side, so that a resend of one of them is answered, and a returning subscriber caught up, as it was decided (and
 * as {@code explain} explains it), not as the new rules would decide it. The business state itself is rebuilt under
 * the new configuration as before; this only feeds the output side.
 */
final class PriorTail {
    private static final JournalRecordHandler NO_RECORDS = (sequence, ingest, sourceId, clientSeq, buffer, offset, length) -> { };

    private final PriorConfiguration prior;
    private final BusinessSpec spec;
    private final byte[] digest;
    private final Path snapshotDir;
    private final Journal journal;
    private final long last;
    /** The restored state {@link #of} found, until the first {@link #decideInto} runs on it. */
    private SnapshotLoader.Loaded<EngineLogic> unused;
    private Path snapshot;

    private PriorTail(final PriorConfiguration prior, final BusinessSpec spec, final byte[] digest, final Path snapshotDir,
                      final Journal journal, final long last) {
        this.prior = prior;
        this.spec = spec;
        this.digest = digest;
        this.snapshotDir = snapshotDir;
        this.journal = journal;
        this.last = last;
    }

    /**
     * The tail after {@code sentThrough} as {@code prior} decided it, or null when it is not to be made again: no
     * prior configuration is known, it is the current one, or it did not decide all of the tail (it took effect later:
     * a start between was cut short, and the tail holds events of two configurations).
     *
     * @param current     this start's configuration digest
     * @param snapshotDir where the prior configuration's snapshots may be, or null (snapshots off): without one at or
     *                    below {@code sentThrough} its state is made from the journal's start (its own start did so)
     */
    static PriorTail of(final PriorConfiguration prior, final byte[] current, final Path snapshotDir, final Journal journal,
                        final long sentThrough, final long last) {
        if (prior == null || prior.firstSequence() > sentThrough + 1 || last <= sentThrough) {
            return null;
        }
        final BusinessSpec spec = BusinessSpec.of(prior.config());
        final byte[] digest = ConfigDigest.of(prior.config(), spec.fraud().model());
        if (Arrays.equals(digest, current)) {
            return null;
        }
        final PriorTail tail = new PriorTail(prior, spec, digest, snapshotDir, journal, last);
        tail.unused = tail.restore(sentThrough);
        tail.snapshot = tail.unused.file();
        return tail;
    }

    /**
     * Whether {@code prior} is another configuration that decided only the end of the events after {@code held}
     * (earlier ones decided the rest): {@link #of} declines it, and the start should say so.
     */
    static boolean decidedOnlyPart(final PriorConfiguration prior, final byte[] current, final long held) {
        if (prior == null || prior.firstSequence() <= held + 1) {
            return false;
        }
        try {
            final BusinessSpec spec = BusinessSpec.of(prior.config());
            return !Arrays.equals(ConfigDigest.of(prior.config(), spec.fraud().model()), current);
        } catch (final RuntimeException e) {
            return false; // it does not load here: said already
        }
    }

    /** The snapshot of the configuration before that the tail is decided from, or null: from the journal's start. */
    Path snapshot() {
        return snapshot;
    }

    /** The prior configuration's newest snapshot at or below {@code sentThrough}, restored (read-only), else a fresh state. */
    private SnapshotLoader.Loaded<EngineLogic> restore(final long sentThrough) {
        if (snapshotDir == null) {
            return new SnapshotLoader.Loaded<>(new EngineLogic(spec, null), 0, null, 0);
        }
        return SnapshotLoader.loadReadOnly(snapshotDir, digest, last, journal::recordFingerprint, sentThrough,
                () -> new EngineLogic(spec, null));
    }

    /**
     * Feeds {@code sink} the outputs and dispatches of the events after {@code sentThrough} up to the journal's end
     * at start, as the prior configuration decides them; the events before, from its snapshot on, run through its
     * state without reaching the sink. Once for the live output side, and again for a snapshot replica's twin when
     * its own snapshot does not cover them (the state is restored anew).
     */
    void decideInto(final OutputSink sink, final long sentThrough) {
        SnapshotLoader.Loaded<EngineLogic> loaded = unused;
        unused = null;
        if (loaded == null || loaded.sequence() > sentThrough) {
            loaded = restore(sentThrough);
        }
        Engine.replayInto(prior.config(), journal, loaded.logic(), loaded.sequence() + 1, last,
                new RedecidedOutputs(sink, sentThrough), NO_RECORDS, null, Engine.EndSnapshot.NONE);
    }
}

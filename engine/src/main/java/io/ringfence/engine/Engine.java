package io.ringfence.engine;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.fraud.ScoreListener;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.engine.pipeline.BlockingQueuePipeline;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.engine.pipeline.StatefulSink;
import io.ringfence.engine.pipeline.PipelineSettings;
import io.ringfence.engine.pipeline.Topology;
import io.ringfence.engine.snapshot.ConfigDigest;
import io.ringfence.engine.snapshot.OutputState;
import io.ringfence.engine.snapshot.SnapshotAgent;
import io.ringfence.engine.snapshot.SnapshotLoader;
import io.ringfence.engine.snapshot.SnapshotPolicy;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalReader;
import io.ringfence.journal.JournalRecordHandler;
import io.ringfence.journal.JournalCorruptException;
import io.ringfence.journal.JournalException;
import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One engine: its journal (unless replaying), business logic and pipeline, built from a
 * validated {@link EngineConfig}. Closing drains the pipeline and then closes the journal.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final int INITIAL_MESSAGE_BYTES = 1024;
    private static final int INITIAL_OUTPUT_BYTES = 2048;
    private static final int REPLICA_RING_SIZE = 4096;
    private static final OutputSink NO_OUTPUTS = (sequence, sourceId, clientSeq, buffer, offset, length) -> { };

    private final Journal journal;
    private final EngineLogic logic;
    private final Pipeline pipeline;
    private final SnapshotAgent snapshots;
    /** The replica that writes the snapshots ({@code snapshot.writer: replica}), or null. */
    private final SnapshotReplica replica;
    private final long restoredSequence;
    private final Recovery recovery;
    private boolean closed;

    /**
     * What the start-up of a {@link #recovered} engine did (DESIGN §7), for operators (the admin
     * endpoint's {@code ringfence_recovery_*} metrics).
     *
     * @param snapshotLoaded   a snapshot was restored
     * @param snapshotSequence the journal sequence it covers, 0 when none was restored
     * @param snapshotsSkipped newer snapshots refused (damaged, other configuration, beyond the journal)
     * @param eventsReplayed   journal events run through the state after the snapshot (all of them without one)
     * @param nanos            from opening the journal to the live pipeline's start (wall clock: metrics only)
     */
    public record Recovery(boolean snapshotLoaded, long snapshotSequence, int snapshotsSkipped, long eventsReplayed, long nanos) {
        /** An engine that did not recover (journaled without snapshots, replaying). */
        public static final Recovery NONE = new Recovery(false, 0, 0, 0, 0);
    }

    private Engine(final Journal journal, final EngineLogic logic, final Pipeline pipeline) {
        this(journal, logic, pipeline, null, null, 0, Recovery.NONE);
    }

    private Engine(final Journal journal, final EngineLogic logic, final Pipeline pipeline, final SnapshotAgent snapshots,
                   final SnapshotReplica replica, final long restoredSequence, final Recovery recovery) {
        this.journal = journal;
        this.logic = logic;
        this.pipeline = pipeline;
        this.snapshots = snapshots;
        this.replica = replica;
        this.restoredSequence = restoredSequence;
        this.recovery = recovery;
    }

    /** An engine that journals into {@code dataDir}, continuing its sequence. */
    public static Engine journaled(final EngineConfig config, final Path dataDir, final OutputSink sink) {
        return journaled(config, dataDir, sink, null);
    }

    /** The same, with a listener that sees every scored order and payment (tools: train, evaluate). */
    public static Engine journaled(final EngineConfig config, final Path dataDir, final OutputSink sink,
                                   final ScoreListener scoreListener) {
        final BusinessSpec spec = BusinessSpec.of(config);
        final Journal journal = Journal.open(config.journal.toJournalConfig(dataDir, config.input.maxEventBytes));
        try {
            journal.claimWriter("engine");
            final EngineLogic logic = new EngineLogic(spec, scoreListener);
            final Pipeline pipeline = startPipeline(config, journal.lastSequence() + 1, journal, logic, sink, null);
            return new Engine(journal, logic, pipeline);
        } catch (final RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /**
     * An engine for a long-running server, without snapshots of an output side: see
     * {@link #recovered(EngineConfig, Path, OutputSink, JournalRecordHandler, OutputSink, OutputState, Runnable)}.
     */
    public static Engine recovered(final EngineConfig config, final Path dataDir, final OutputSink recoverySink,
                                   final JournalRecordHandler records, final OutputSink liveSink) {
        return recovered(config, dataDir, recoverySink, records, liveSink, null, null);
    }

    /**
     * An engine for a long-running server (DESIGN §7): opens the journal in {@code dataDir},
     * restores the newest usable snapshot ({@code snapshot:} section; its business state and the
     * output side's {@code outputState}), runs the journal's events after it through that state
     * (outputs go to {@code recoverySink}, and each record is shown to {@code records}, so the
     * output side can rebuild what it keeps), then starts the live pipeline on the same state,
     * continuing the sequence. Without a usable snapshot the whole journal is replayed. Either
     * way the state afterwards equals that of an engine that never stopped.
     *
     * <p>Snapshots are then written periodically (also while replaying a long tail) and on
     * {@link #close()}.
     *
     * @param outputState  the output side's state for snapshots, or null
     * @param beforeRename run between a snapshot's force and its rename (crash tests), or null
     */
    public static Engine recovered(final EngineConfig config, final Path dataDir, final OutputSink recoverySink,
                                   final JournalRecordHandler records, final OutputSink liveSink,
                                   final OutputState outputState, final Runnable beforeRename) {
        return recovered(config, dataDir, recoverySink, records, liveSink, outputState, beforeRename, null);
    }

    /**
     * The same, told the configuration that decided the journal before this start ({@code server}: the recorded
     * one). When this start's configuration is another and a kill -9 left events after that configuration's newest
     * snapshot, those events are decided again under it for the output side ({@link PriorTail}): a resend of one of
     * them is answered, and a returning subscriber caught up, as they were decided before the restart. Without it
     * (null), or when it decided only the end of those events (earlier configurations the rest: snapshots off, or a
     * start under it killed before its first snapshot), they are re-decided under the new configuration, with a WARN
     * when that is known (a snapshot of another configuration holds what was sent, or the configuration before differs).
     */
    public static Engine recovered(final EngineConfig config, final Path dataDir, final OutputSink recoverySink,
                                   final JournalRecordHandler records, final OutputSink liveSink,
                                   final OutputState outputState, final Runnable beforeRename, final PriorConfiguration prior) {
        final BusinessSpec spec = BusinessSpec.of(config);
        final long started = System.nanoTime();
        final Journal journal = Journal.open(config.journal.toJournalConfig(dataDir, config.input.maxEventBytes));
        if (config.journal.archive != null && !config.snapshot.enabled) {
            LOG.warn("journal.archive is {} but snapshots are off (snapshot.enabled: false): cycle files are archived after a"
                    + " snapshot, older than the oldest kept, so none is; the journal stays whole in {}", config.journal.archive, dataDir);
        }
        SnapshotAgent agent = null;
        try {
            journal.claimWriter("engine"); // before recovery: it writes snapshots too
            final long last = journal.lastSequence();
            final SnapshotLoader.Loaded<EngineLogic> loaded;
            final boolean byReplica = config.snapshot.enabled && config.snapshot.byReplica();
            final StatefulSink twin = byReplica ? twinOf(outputState) : null;
            byte[] digest = null;
            Supplier<SnapshotAgent> recoveryAgent = null;
            long sentThrough = 0;
            long sectionThrough = 0;
            Path sentFile = null;
            PriorTail priorTail = null;
            if (config.snapshot.enabled) {
                journal.claimSnapshotDirectory(dataDir.resolve(config.snapshot.dir), "engine");
                // each snapshot counts in the day and hour of its last event's journaled ingest time, not of its write
                final SnapshotStore store = new SnapshotStore(dataDir.resolve(config.snapshot.dir), config.snapshot.retention(),
                        (long) config.journal.minFreeMiB << 20).timedBy(journal::ingestTimeMillis);
                digest = ConfigDigest.of(config, spec.fraud().model());
                loaded = SnapshotLoader.load(store, digest, last, journal::recordFingerprint, () -> new EngineLogic(spec, null), outputState);
                agent = new SnapshotAgent(store, digest, snapshotPolicy(config), byReplica ? twin : outputState, beforeRename,
                        journal::recordFingerprint).afterEachWrite(archivingBefore(journal, outputState));
                if (byReplica) {
                    final byte[] d = digest;
                    recoveryAgent = () -> {
                        final SnapshotAgent a = new SnapshotAgent(store, d, snapshotPolicy(config), outputState, beforeRename,
                                journal::recordFingerprint).afterEachWrite(archivingBefore(journal, outputState));
                        if (loaded.file() != null) {
                            a.expectStateBytes(fileSize(loaded.file()));
                        }
                        return a;
                    };
                }
                setAside(loaded.foreign(), "foreign", "is not of this journal");
                setAside(loaded.damaged(), "damaged", "does not verify");
                if (loaded.file() != null) {
                    agent.expectStateBytes(fileSize(loaded.file()));
                }
                if (outputState != null) {
                    // a newer snapshot this configuration cannot continue (taken under another): its output section is
                    // what was sent, which the re-decided replay must not replace
                    // newer than what the restored snapshot's own section covers: one written during such a start's replay
                    // holds the older configuration's newest section already (review: a kept first-of-a-day snapshot of the
                    // older configuration, above the restored one but below what it covers, replaced that section)
                    sentFile = SnapshotLoader.loadOutputSection(store.list(), Math.max(loaded.sequence(),
                            outputState.coveredThrough()), last, journal::recordFingerprint, outputState, loaded.file());
                    if (sentFile != null) {
                        sentThrough = SnapshotDescriptor.sequenceOf(sentFile.getFileName().toString());
                    }
                    // a snapshot written during such a start's replay holds the output side as of a later sequence
                    sentThrough = Math.max(sentThrough, outputState.coveredThrough());
                    sectionThrough = sentThrough;
                }
                // of a format this version does not read (an older build's, or a newer one's after a downgrade): never
                // usable here, and named after a high sequence it would win the pruning over the snapshots written now; set
                // aside only after its output section, which is what was sent, was read above (upgrade trial, HIGH: set
                // aside first, a returning subscriber was caught up on pushes re-made under the new rules)
                setAside(loaded.unreadable(), "unreadable", "is of a format this version cannot read");
            } else {
                loaded = new SnapshotLoader.Loaded<>(new EngineLogic(spec, null), 0, null, 0);
            }
            // the output side holds what was sent up to here; the events after it were journaled (and perhaps answered
            // and pushed) under the configuration before this start, which a kill -9 did not let snapshot them
            final long held = Math.max(sentThrough, loaded.sequence());
            if (last > held && (outputState != null || !config.snapshot.enabled)) {
                try {
                    priorTail = PriorTail.of(prior, digest != null ? digest : ConfigDigest.of(config, spec.fraud().model()),
                            config.snapshot.enabled ? dataDir.resolve(config.snapshot.dir) : null, journal, held, last);
                } catch (final RuntimeException e) { // validated when it was recorded; a start never fails for it
                    LOG.warn("the configuration before this start does not load here ({}): the events after sequence {} are"
                            + " re-decided under this one for what is kept of them", e.toString(), held);
                }
                if (priorTail != null) {
                    LOG.info("events {}..{} were journaled under the configuration before this one, after {}: their answers kept"
                            + " for resends and their pushes are made again under it (from {}), as they were decided before the"
                            + " restart; the state goes on under this one", held + 1, last,
                            sentFile != null ? sentFile.getFileName() : loaded.file() != null ? loaded.file().getFileName()
                                    : "the journal's start",
                            priorTail.snapshot() != null ? priorTail.snapshot().getFileName() : "the journal's start");
                    priorTail.decideInto(recoverySink, held);
                    sentThrough = last;
                } else if (sentFile != null || PriorTail.decidedOnlyPart(prior, digest != null ? digest
                        : ConfigDigest.of(config, spec.fraud().model()), held)) {
                    LOG.warn("events {}..{} were journaled after {}, and are re-decided under this configuration for what is"
                            + " kept of them ({}): a resend of one of them is answered, and a returning subscriber sent their"
                            + " pushes, as this configuration decides them, which may differ from what was sent before the"
                            + " restart", held + 1, last,
                            sentFile != null ? sentFile.getFileName() + ", the newest snapshot of the configuration before"
                                    : held == 0 ? "the journal's start (no snapshot holds what was sent)" : "sequence " + held,
                            prior == null ? "the configuration before is not known here"
                                    : "the configuration before took effect only at sequence " + prior.firstSequence()
                                    + ": earlier ones decided the events before it, and with snapshots off, or a start"
                                    + " under it killed before its first snapshot, only the last is known");
                }
            }
            final EngineLogic logic = loaded.logic();
            final long from = loaded.sequence() + 1;
            // with a replica, only the replica snapshots once the engine is live
            final SnapshotAgent liveAgent = byReplica ? null : agent;
            Path replicaFrom = loaded.file();
            if (last >= from) {
                final boolean redecided = sentThrough > loaded.sequence();
                final OutputSink replaySink = redecided ? new RedecidedOutputs(recoverySink, sentThrough) : recoverySink;
                // re-decided under a new configuration: a snapshot of it at the end, so that the next start (a kill -9
                // soon after, say) goes on from this state and its output side, not from the configuration before's
                replicaFrom = replayTail(config, journal, logic, from, replaySink, records, recoveryAgent, liveAgent, replicaFrom,
                        redecided ? EndSnapshot.ALWAYS : EndSnapshot.IF_DUE);
            }
            final long replayed = Math.max(0, last - loaded.sequence());
            final long tookMillis = last > 0 ? (System.nanoTime() - started) / 1_000_000 : 0;
            if (last > 0) {
                LOG.info("recovered {} up to sequence {} in {} ms: {}, then {} journal events replayed",
                        dataDir, last, tookMillis,
                        loaded.file() == null ? "no snapshot" : "snapshot " + loaded.file().getFileName() + " (sequence " + loaded.sequence() + ")",
                        replayed);
            }
            if (liveAgent != null) {
                // live: a due snapshot of a large state waits for a buffer that fits rather than grow one here
                liveAgent.putOffWhenTooSmall(SnapshotAgent.PUT_OFF_ABOVE_BYTES);
            }
            final Pipeline pipeline = startPipeline(config, last + 1, journal, logic, liveSink, liveAgent);
            SnapshotReplica replica = null;
            if (byReplica) {
                final SnapshotAgent replicaAgent = agent;
                final RedecidedOutputs twinSink = twin == null ? null : new RedecidedOutputs(twin, sentThrough);
                final OutputSink replicaSink = twin == null ? NO_OUTPUTS : twinSink;
                // a replica starting before what was sent takes its output side's state from there too, as the live sink did
                final long section = sectionThrough;
                final Path sentSnapshot = sentFile;
                final PriorTail tail = priorTail;
                final java.util.function.LongConsumer onLoaded = twin == null ? at -> { } : at -> {
                    long covered = Math.max(at, twin.coveredThrough()); // its own snapshot may hold the output side past its sequence
                    if (sentSnapshot != null && covered < section) {
                        if (SnapshotLoader.loadOutputSection(List.of(sentSnapshot), at, last, journal::recordFingerprint, twin,
                                null) == null) {
                            throw new IllegalStateException("the snapshot replica cannot read the output section of " + sentSnapshot);
                        }
                        covered = Math.max(covered, twin.coveredThrough());
                    }
                    if (tail != null && covered < last) {
                        tail.decideInto(twin, covered); // the kill -9 tail as the configuration before decided it, as live
                        covered = last;
                    }
                    twinSink.raiseTo(covered);
                };
                try {
                    replica = new SnapshotReplica(journal, replicaFrom, digest, () -> new EngineLogic(spec, null), twin, agent,
                            (first, state) -> Pipeline.start(replicaSettings(config, first), null, state, replicaSink, replicaAgent),
                            onLoaded);
                } catch (final RuntimeException e) {
                    pipeline.close();
                    throw e;
                }
            }
            final Recovery recovery = new Recovery(loaded.file() != null, loaded.sequence(), loaded.skipped(), replayed,
                    System.nanoTime() - started);
            return new Engine(journal, logic, pipeline, agent, replica, loaded.sequence(), recovery);
        } catch (final RuntimeException e) {
            if (agent != null) {
                agent.close();
            }
            journal.close();
            throw e;
        }
    }

    /**
     * Renames snapshots of another journal, or beyond this journal's end, to {@code *.foreign}:
     * never continued, and out of the pruning, which keeps the newest by sequence and would
     * otherwise delete this journal's new snapshots while those hold higher sequences. Kept, not
     * deleted: they are evidence.
     */
    /** Renames snapshots start-up passed over to {@code NAME.suffix}, so that retention counts only usable ones. */
    private static void setAside(final List<Path> files, final String suffix, final String why) {
        for (final Path p : files) {
            Path aside = p.resolveSibling(p.getFileName() + "." + suffix);
            for (int n = 2; Files.exists(aside); n++) {
                aside = p.resolveSibling(p.getFileName() + "." + suffix + "." + n); // keep the evidence set aside before
            }
            try {
                Files.move(p, aside);
                LOG.warn("snapshot {} {}: set aside as {}", p, why, aside.getFileName());
            } catch (final IOException e) {
                LOG.warn("cannot set aside snapshot {} that {}: {}", p, why, e.toString());
            }
        }
    }

    /**
     * Recovery's replay of the journal after the restored snapshot. It takes the periodic
     * snapshots as the live engine would, so a crash during or soon after start-up does not
     * replay this tail again. With a replica writer those are written by a recovery-only agent
     * (the live output side's state, which the replay rebuilds), awaited before the replica
     * starts from the newest of them: else the replica would replay the same tail again in the
     * background, competing with live traffic for the CPU, and every crash before its first
     * snapshot would lose that work (measured: kills every few thousand events left recovery
     * replaying a tail that only grew).
     *
     * @param replicaMode makes the recovery-only agent ({@code snapshot.writer: replica}), or null
     * @return the snapshot the replica starts from: the newest written here, else {@code restored}
     */
    private static Path replayTail(final EngineConfig config, final Journal journal, final EngineLogic logic, final long from,
                                   final OutputSink recoverySink, final JournalRecordHandler records,
                                   final Supplier<SnapshotAgent> replicaMode, final SnapshotAgent liveAgent, final Path restored,
                                   final EndSnapshot atEnd) {
        if (replicaMode == null) {
            // a periodic snapshot still pending at the end (both buffers were being written) is taken now, not at
            // the first live event, which may be long in coming (a loaded machine lost the one at the journal's end)
            final long endSnapshot = replayInto(config, journal, logic, from, Long.MAX_VALUE, recoverySink, records, liveAgent, atEnd);
            if (atEnd == EndSnapshot.ALWAYS && endSnapshot >= 0) {
                // on disk before the start goes on (and the server records the new configuration): a kill -9 in between
                // left the configuration before's tail to be re-decided under the new one (review: 0.4-4.5 s for 220 MB)
                awaitSettled(liveAgent, endSnapshot);
            }
            return restored;
        }
        final SnapshotAgent recoveryAgent = replicaMode.get();
        try {
            replayInto(config, journal, logic, from, Long.MAX_VALUE, recoverySink, records, recoveryAgent, atEnd);
        } finally {
            recoveryAgent.close(); // writes what the replay handed over
        }
        return recoveryAgent.lastFile() != null ? recoveryAgent.lastFile() : restored;
    }

    /**
     * Waits (up to 10 minutes) until {@code agent} has written, or failed to write, the snapshot of {@code sequence}:
     * not any snapshot (a periodic one of the replay, written or failed meanwhile, let the start go on while the end
     * snapshot was still being written).
     */
    private static void awaitSettled(final SnapshotAgent agent, final long sequence) {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (agent.settledThrough() < sequence && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Whether a replay takes a snapshot at its end. */
    enum EndSnapshot {
        NONE,
        /**
         * A periodic snapshot that fell due but found both buffers busy (it would otherwise wait for the next live
         * event, which a recovery-only agent never sees).
         */
        IF_DUE,
        ALWAYS
    }

    /**
     * Runs the journal from {@code from} to {@code to} (or its end) through {@code logic}.
     *
     * @param atEnd the snapshot to take at the end, with {@code agent}
     * @return the sequence of the snapshot taken at the end, -1 when none was
     */
    static long replayInto(final EngineConfig config, final Journal journal, final EngineLogic logic, final long from,
                           final long to, final OutputSink sink, final JournalRecordHandler records, final SnapshotAgent agent,
                           final EndSnapshot atEnd) {
        if (agent != null) {
            agent.replaying(); // large states: a due snapshot waits for a buffer sized off the engine thread
        }
        final Pipeline replay = startPipeline(config, from, null, logic, sink, agent);
        try (JournalReader reader = journal.reader()) {
            final long[] expected = {from};
            final JournalRecordHandler feed = (sequence, ingest, sourceId, clientSeq, buffer, offset, length) -> {
                if (sequence != expected[0]) {
                    throw new JournalException("recovery needs journal sequence " + expected[0] + " next but read " + sequence
                            + " (the journal in " + journal.directory() + " does not continue the snapshot)");
                }
                expected[0] = sequence + 1;
                records.onRecord(sequence, ingest, sourceId, clientSeq, buffer, offset, length);
                replay.publishAt(sequence, ingest, sourceId, clientSeq, buffer, offset, length);
            };
            if (from > to) {
                return -1;
            }
            replayArchived(journal, from, to, feed, expected);
            if (expected[0] > to || expected[0] > 1 && !reader.seek(expected[0])) {
                return -1;
            }
            while (expected[0] <= to && reader.next(feed)) {
                // every record up to the journal's end, or to
            }
            if (to == Long.MAX_VALUE) {
                final JournalCorruptException end = reader.checkEnd(); // throws if records hide behind an unfinished write
                if (end != null) {
                    LOG.warn("recovery read the journal up to sequence {}: {}", end.sequence() - 1, end.getMessage());
                }
            }
            if (atEnd != EndSnapshot.NONE && agent != null) {
                replay.awaitDispatched(10, TimeUnit.MINUTES); // the business stage has drained: its policy can be read
                if ((atEnd == EndSnapshot.ALWAYS || agent.policy().pending()) && replay.failure() == null) {
                    agent.makeRoom();
                    replay.publishSnapshot();
                    return replay.lastSequence();
                }
            }
            return -1;
        } finally {
            replay.close();
        }
    }

    /**
     * After each snapshot, the journal's cycle files whose events all precede the oldest snapshot kept go to its archive
     * ({@code journal.archive}; nothing without it): a start from any kept snapshot finds what it replays in the
     * directory, the oldest one's own record included (its fingerprint is checked against it). The output side's record
     * of those events (the answers log) follows them there ({@link OutputState#archiveThrough}).
     */
    private static java.util.function.LongConsumer archivingBefore(final Journal journal, final OutputState outputState) {
        return oldest -> {
            if (oldest > 1 && journal.config().archiveDirectory() != null) {
                journal.archiveThrough(oldest - 1);
                if (outputState != null) {
                    outputState.archiveThrough(oldest - 1);
                }
            }
        };
    }

    /**
     * Feeds the events from {@code expected[0]} that are in the journal's archive only ({@link Journal#openArchive}): a
     * start under changed settings re-decides the whole history, and one whose snapshots after the archived range all
     * fail needs it too. Throws, naming what to do, when the archive cannot be read.
     */
    static void replayArchived(final Journal journal, final long from, final long to, final JournalRecordHandler feed,
                                       final long[] expected) {
        final long first = journal.firstSequence();
        if (first <= 1 || from >= first) {
            return;
        }
        try (Journal archive = Journal.openArchive(journal.config())) {
            if (archive == null) {
                throw new JournalException("recovery needs journal sequence " + from + " but the journal in "
                        + journal.directory() + " begins at " + first + " and records no archive");
            }
            LOG.info("replaying events {}..{} from the journal's archive ({})", from, Math.min(to, first - 1),
                    journal.directory().resolve(io.ringfence.journal.ArchivedCycles.FILE));
            try (JournalReader reader = archive.reader()) {
                if (from > 1 && !reader.seek(from)) {
                    throw new JournalException("the journal's archive ends before sequence " + from);
                }
                while (expected[0] <= Math.min(to, first - 1) && reader.next(feed)) {
                    // every archived record from `from`
                }
            }
        }
        if (expected[0] <= Math.min(to, first - 1)) {
            throw new JournalException("the journal's archive ends at sequence " + (expected[0] - 1) + ", but the journal in "
                    + journal.directory() + " begins at " + first);
        }
    }

    /** An engine without a journal stage, fed already-journaled events (replay). */
    public static Engine replaying(final EngineConfig config, final long firstSequence, final OutputSink sink) {
        return replaying(config, firstSequence, sink, null);
    }

    /** The same, with a listener that sees every scored order and payment (tools: explain, replay). */
    public static Engine replaying(final EngineConfig config, final long firstSequence, final OutputSink sink,
                                   final ScoreListener scoreListener) {
        final BusinessSpec spec = BusinessSpec.of(config);
        final EngineLogic logic = new EngineLogic(spec, scoreListener);
        return new Engine(null, logic, startPipeline(config, Math.max(1, firstSequence), null, logic, sink, null));
    }

    /**
     * An engine without a journal stage that continues from the newest usable snapshot in
     * {@code dataDir} covering at most sequence {@code upTo} (taken under this configuration and
     * model), or from nothing: feed it the journal from {@link #restoredSequence()} + 1. Its outputs
     * from there on are those of a replay from the first event (DESIGN §7: snapshot + tail equals
     * the whole journal), so tools that need the outputs of a late part of a journal only (replay
     * with filters, explain) skip the part before. Reads the snapshot directory only (safe while a
     * server writes it).
     *
     * @param journal     the data directory's journal (only snapshots of it are continued)
     * @param journalLast the journal's last sequence (snapshots beyond it are not from this journal)
     */
    public static Engine replayingFromSnapshot(final EngineConfig config, final Path dataDir, final Journal journal,
                                               final long journalLast, final long upTo, final OutputSink sink,
                                               final ScoreListener scoreListener) {
        final BusinessSpec spec = BusinessSpec.of(config);
        final SnapshotLoader.Loaded<EngineLogic> loaded = config.snapshot.enabled
                ? SnapshotLoader.loadReadOnly(dataDir.resolve(config.snapshot.dir), ConfigDigest.of(config, spec.fraud().model()),
                        journalLast, journal::recordFingerprint, upTo, () -> new EngineLogic(spec, scoreListener))
                : new SnapshotLoader.Loaded<>(new EngineLogic(spec, scoreListener), 0, null, 0);
        final EngineLogic logic = loaded.logic();
        return new Engine(null, logic, startPipeline(config, loaded.sequence() + 1, null, logic, sink, null), null, null,
                loaded.sequence(), Recovery.NONE);
    }

    /** The Disruptor pipeline, or with {@code pipeline.queue: array-blocking-queue} the same stages on queues (a baseline). */
    private static Pipeline startPipeline(final EngineConfig config, final long firstSequence, final Journal journal,
                                          final EngineLogic logic, final OutputSink sink, final SnapshotAgent agent) {
        final PipelineSettings settings = settings(config, firstSequence, journal != null);
        if (settings.topology().oversubscribesSpinning(journal != null)) {
            // allowed (a machine may be dedicated to it), but on too few cores the spinners starve each other (DESIGN §8)
            LOG.warn("pipeline ({}): {} threads busy-spin (the publisher included) on {} cores: they take the CPU from each"
                    + " other and from the gateway; use pipeline.waitStrategy yielding or blocking, or the combined layout",
                    settings.topology(), settings.topology().threadNames(journal != null).size() + 1, settings.topology().cores());
        }
        return config.pipeline.blockingQueues()
                ? BlockingQueuePipeline.start(settings, journal, logic, sink, agent)
                : Pipeline.start(settings, journal, logic, sink, agent);
    }

    private static SnapshotPolicy snapshotPolicy(final EngineConfig config) {
        return new SnapshotPolicy(config.snapshot.everyEvents, config.snapshot.everyEventTimeMicros("snapshot"));
    }

    /** A snapshot replica's pipeline: no journal stage, one sleeping thread, no stage times. */
    private static PipelineSettings replicaSettings(final EngineConfig config, final long firstSequence) {
        return new PipelineSettings(REPLICA_RING_SIZE, Topology.replica(Runtime.getRuntime().availableProcessors()), firstSequence,
                config.input.maxEventBytes, INITIAL_MESSAGE_BYTES, INITIAL_OUTPUT_BYTES, false);
    }

    /** The replica's output side: an unconnected twin of the live sink's, or none when the live one keeps no state. */
    private static StatefulSink twinOf(final OutputState outputState) {
        if (outputState == null) {
            return null;
        }
        if (!(outputState instanceof StatefulSink)) {
            throw new IllegalArgumentException("snapshot.writer: replica needs an output side that can make a twin of itself ("
                    + outputState.getClass().getName() + " is not a " + StatefulSink.class.getSimpleName() + ")");
        }
        return ((StatefulSink) outputState).twin();
    }

    private static PipelineSettings settings(final EngineConfig config, final long firstSequence, final boolean live) {
        final int cores = Runtime.getRuntime().availableProcessors();
        Topology topology = config.pipeline.topology(cores);
        if (!live && topology.layout() == io.ringfence.engine.pipeline.Layout.INLINE) {
            // a replay (recovery, replay, explain) publishes from the thread that reads the journal: combined keeps reading
            // and deciding on two threads, and replay --diff's two engines side by side, as before the inline layout, which
            // is for a live gateway's I/O thread (a server records it in its data directory's configuration)
            topology = Topology.resolve(io.ringfence.engine.pipeline.Layout.COMBINED, config.pipeline.waitKind(), cores,
                    config.pipeline.cpuPlan());
        }
        final int ringSize = config.pipeline.ringSizeForHeap("pipeline", Runtime.getRuntime().maxMemory(), live);
        return new PipelineSettings(ringSize, topology, firstSequence, config.input.maxEventBytes,
                INITIAL_MESSAGE_BYTES, INITIAL_OUTPUT_BYTES, config.pipeline.stageTimes);
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** Business state; read it only after {@link #close()} or once the pipeline has drained. */
    public EngineLogic logic() {
        return logic;
    }

    /** The journal sequence of the snapshot start-up restored, 0 when it restored none. */
    public long restoredSequence() {
        return restoredSequence;
    }

    /** What start-up recovered ({@link #recovered} engines); {@link Recovery#NONE} for the others. */
    public Recovery recovery() {
        return recovery;
    }

    /**
     * How many journaled events the snapshot replica has yet to apply ({@code snapshot.writer: replica}):
     * how far its next snapshot trails the live engine; -1 without a replica. Any thread (metrics).
     */
    public long snapshotReplicaLag() {
        return replica == null ? -1 : Math.max(0, pipeline.lastSequence() - replica.position());
    }

    /**
     * Why the snapshot replica stopped ({@code snapshot.writer: replica}), or null while it runs or
     * without one. The live engine goes on without it; no snapshot is written until a restart and
     * {@link #snapshotReplicaLag()} grows. Any thread (metrics).
     */
    public Throwable snapshotReplicaFailure() {
        return replica == null ? null : replica.failure();
    }

    /** The snapshot agent (the replica's, with {@code snapshot.writer: replica}), or null when this engine takes no snapshots. */
    public SnapshotAgent snapshots() {
        return snapshots;
    }

    /** The journal, or null when replaying. */
    public Journal journal() {
        return journal;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (replica == null && snapshots != null && pipeline.failure() == null && pipeline.lastSequence() > restoredSequence) {
                pipeline.publishSnapshot(); // the clean-shutdown snapshot: a restart replays nothing
            }
            pipeline.close();
        } finally {
            try {
                if (replica != null) {
                    if (pipeline.failure() == null) {
                        // it catches up and takes the clean-shutdown snapshot: up to what is journaled (a drain that timed
                        // out published more than was journaled, and the replica waited its 10 minutes for it: review)
                        replica.finish(Math.min(pipeline.lastSequence(), journal.lastSequence()));
                    } else {
                        replica.close();
                    }
                } else if (snapshots != null) {
                    snapshots.close();
                }
            } finally {
                if (journal != null) {
                    journal.close();
                }
            }
        }
    }

    private static long fileSize(final java.nio.file.Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (final java.io.IOException e) {
            return 0; // only a sizing hint
        }
    }
}

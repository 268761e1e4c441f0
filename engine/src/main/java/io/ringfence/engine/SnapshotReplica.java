package io.ringfence.engine;

import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.engine.snapshot.OutputState;
import io.ringfence.engine.snapshot.SnapshotAgent;
import io.ringfence.engine.snapshot.SnapshotLoader;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalException;
import io.ringfence.journal.JournalReader;
import io.ringfence.journal.JournalRecordHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Writes the snapshots of a live engine without pausing it ({@code snapshot.writer: replica}): a
 * second business state, restored from the snapshot the live engine started from, follows the
 * journal on its own threads ({@code rf-snapshot-replica} reads, {@code rf-replica} applies) and
 * takes the snapshots itself, by the same policy and with the same {@link SnapshotAgent}.
 *
 * <p>Correct because business logic is deterministic (DESIGN §3): the same journaled events give
 * the same state, so the replica's snapshot at sequence N is byte for byte the one the live
 * engine would have taken at N (tested), and recovery does not know who wrote it. The output side
 * (the gateway's answers for resends) is rebuilt by an unconnected twin of the live sink.
 *
 * <p>The cost moves instead of vanishing: the replica spends the business CPU time a second time
 * (on a 2-core machine, at 50 k events/s, ~15 % of a core) and holds a second copy of the state.
 * It sleeps when it has caught up, so it never spins against the live engine. If it fails, the
 * live engine goes on (the journal is the source of truth); snapshots stop until a restart, and
 * that is logged as an error.
 */
final class SnapshotReplica implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReplica.class);
    /** How long the reader sleeps at the journal's end before it looks again. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long a clean shutdown waits for the replica to catch up and write the last snapshot. */
    private static final long FINISH_MINUTES = 10;

    private final Journal journal;
    private final SnapshotAgent agent;
    private final Thread thread;
    /** The replica's pipeline, once its state is loaded (its thread sets it). */
    private volatile Pipeline pipeline;
    /** The sequence the replica's state started from (its snapshot's), once loaded. */
    private volatile long startedAt = -1;
    /** The last journal sequence handed to the replica's pipeline. */
    private volatile long position;
    /** The thread stops once it has handed over this sequence. */
    private volatile long stopAfter = Long.MAX_VALUE;
    private volatile boolean abandoned;
    private volatile Throwable failure;

    /**
     * Starts the replica; it loads {@code snapshot} (or starts empty when null) on its own thread.
     *
     * @param pipelines makes the replica's pipeline for (first sequence, business state), with {@code agent}
     * @param outputs   the state of the replica's output side (an unconnected twin of the live sink, which the
     *                  pipelines factory also uses as the sink), or null when there is none
     * @param onLoaded  told the sequence the replica starts after, once its snapshot is loaded and before it follows
     *                  the journal (a start under a new configuration restores the output side's state there)
     */
    SnapshotReplica(final Journal journal, final Path snapshot, final byte[] digest, final Supplier<EngineLogic> freshLogic,
                    final OutputState outputs, final SnapshotAgent agent,
                    final BiFunction<Long, EngineLogic, Pipeline> pipelines, final java.util.function.LongConsumer onLoaded) {
        this.journal = journal;
        this.agent = agent;
        // while the snapshot loads, the replica is as far behind as its snapshot (review: the lag read the whole journal)
        this.position = snapshot == null ? 0 : Math.max(0, io.ringfence.journal.snapshot.SnapshotDescriptor.sequenceOf(
                snapshot.getFileName().toString()));
        this.thread = new Thread(() -> run(snapshot, digest, freshLogic, outputs, pipelines, onLoaded), "rf-snapshot-replica");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The agent that writes this replica's snapshots (its counters are the engine's snapshot counters). */
    SnapshotAgent agent() {
        return agent;
    }

    /** The last journal sequence the replica has been handed (how far behind the live engine it is). */
    long position() {
        return position;
    }

    /** Why the replica stopped, or null while it runs or after a clean finish. */
    Throwable failure() {
        return failure;
    }

    private void run(final Path snapshot, final byte[] digest, final Supplier<EngineLogic> freshLogic,
                     final OutputState outputs, final BiFunction<Long, EngineLogic, Pipeline> pipelines,
                     final java.util.function.LongConsumer onLoaded) {
        try {
            final long started = System.nanoTime();
            final SnapshotLoader.Loaded<EngineLogic> loaded = SnapshotLoader.loadFile(snapshot, digest, journal.lastSequence(),
                    journal::recordFingerprint, freshLogic, outputs);
            onLoaded.accept(loaded.sequence());
            startedAt = loaded.sequence();
            position = loaded.sequence();
            final Pipeline p = pipelines.apply(loaded.sequence() + 1, loaded.logic());
            pipeline = p;
            LOG.info("snapshot replica started from {} in {} ms; it follows the journal from sequence {}",
                    loaded.file() == null ? "an empty state" : loaded.file().getFileName(),
                    (System.nanoTime() - started) / 1_000_000, loaded.sequence() + 1);
            follow(p, loaded.sequence() + 1);
        } catch (final Throwable e) {
            failure = e;
            LOG.error("snapshot replica stopped at sequence {}: {}. The live engine goes on and the journal keeps every event,"
                    + " but no snapshots are written until a restart", position, e.toString(), e);
        }
    }

    private void follow(final Pipeline p, final long first) {
        final long[] expected = {first};
        final JournalRecordHandler feed = (sequence, ingest, sourceId, clientSeq, buffer, offset, length) -> {
            if (sequence != expected[0]) {
                throw new JournalException("the snapshot replica needs journal sequence " + expected[0] + " next but read "
                        + sequence);
            }
            expected[0] = sequence + 1;
            p.publishAt(sequence, ingest, sourceId, clientSeq, buffer, offset, length);
            position = sequence;
        };
        Engine.replayArchived(journal, first, Long.MAX_VALUE, feed, expected); // from a state before the directory's first event
        try (JournalReader reader = journal.reader()) {
            while (expected[0] > 1 && !reader.seek(expected[0])) {
                if (abandoned || stopAfter < expected[0]) {
                    return;
                }
                LockSupport.parkNanos(IDLE_NANOS);
            }
            boolean live = false;
            while (position < stopAfter && !abandoned) {
                if (p.failure() != null) {
                    throw new IllegalStateException("the replica's pipeline failed", p.failure());
                }
                if (!reader.next(feed)) {
                    if (!live) {
                        // caught up with the live engine for the first time: from now on late snapshots and folded policy
                        // points are counted and said, and a large state's snapshot waits for a buffer, as the engine writer's
                        // do (operator audit: with writer: replica, ringfence_snapshots_late_total stayed 0 while five of eight
                        // snapshots were late); its catch-up from the snapshot it started from is a replay, not counted
                        p.awaitDispatched(FINISH_MINUTES, TimeUnit.MINUTES); // the agent's live settings are set while idle
                        agent.putOffWhenTooSmall(SnapshotAgent.PUT_OFF_ABOVE_BYTES);
                        live = true;
                    }
                    if (!p.offerDueSnapshot()) {
                        LockSupport.parkNanos(IDLE_NANOS); // caught up: a snapshot still due is taken by then, not at the next event
                    }
                }
            }
        }
    }

    /**
     * Clean shutdown, once the live engine has stopped at {@code last}: lets the replica catch up to
     * it and takes the shutdown snapshot there (when it has events the replica's snapshot does not
     * cover), then stops.
     */
    void finish(final long last) {
        stopAfter = last;
        join();
        final Pipeline p = pipeline;
        try {
            if (p != null && failure == null && !abandoned && position == last && last > startedAt) {
                p.publishSnapshot();
            } else if (failure == null && last > Math.max(0, startedAt)) {
                LOG.warn("snapshot replica at sequence {} did not reach the live engine's last sequence {}: no shutdown"
                        + " snapshot (the next start replays the journal after the newest snapshot)", position, last);
            }
        } finally {
            stop(p);
        }
    }

    private void join() {
        try {
            thread.join(TimeUnit.MINUTES.toMillis(FINISH_MINUTES));
            if (thread.isAlive()) {
                abandoned = true;
                thread.join();
            }
        } catch (final InterruptedException e) {
            abandoned = true;
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        abandoned = true;
        join();
        stop(pipeline);
    }

    private void stop(final Pipeline p) {
        try {
            if (p != null) {
                p.close();
            }
        } finally {
            agent.close();
        }
    }
}

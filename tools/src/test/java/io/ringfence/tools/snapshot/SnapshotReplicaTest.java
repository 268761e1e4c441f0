package io.ringfence.tools.snapshot;

import io.ringfence.engine.Engine;
import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.journal.JournalRecordHandler;
import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.tools.snapshot.SnapshotJournals.Outputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code snapshot.writer: replica}: a second engine following the journal writes the snapshots,
 * and they are the live engine's snapshots byte for byte (DESIGN §3 makes that so; this checks
 * it), so recovery from them gives the state of an engine that never stopped.
 */
class SnapshotReplicaTest {
    private static final int EVENTS = 30_000;
    private static final int MORE = 5_000;
    /** The snapshot policy's interval, in events. */
    private static final int EVERY = 10_000;
    private static final JournalRecordHandler NO_RECORDS = (s, i, src, c, b, o, l) -> { };
    private static List<byte[]> events;

    @TempDir
    Path dir;

    @BeforeAll
    static void workload() {
        events = SnapshotJournals.events(23, EVENTS + MORE);
    }

    private static EngineConfig config(final String writer) {
        final EngineConfig config = SnapshotJournals.config(true, EVERY);
        config.snapshot.writer = writer;
        config.validate();
        return config;
    }

    /**
     * Runs events [from, to) live on the data directory with that writer; returns the state hash and the live outputs.
     * Each policy point's snapshot is written before the events after it are published: a point that falls while both
     * buffers are still being written is folded into a later snapshot by design (SnapshotPolicy), so at full speed on a
     * loaded machine the replica, catching up in bursts, wrote its third snapshot after 30,000 (CI flake, session 47).
     */
    private static long live(final Path data, final String writer, final int from, final int to, final Outputs outputs) {
        return live(data, writer, from, to, outputs, true);
    }

    /** The same; unpaced, every event is published at once and policy points may be folded (only what holds then is checked). */
    private static long live(final Path data, final String writer, final int from, final int to, final Outputs outputs,
                             final boolean paced) {
        try (Engine engine = Engine.recovered(config(writer), data, new Outputs(), NO_RECORDS, outputs)) {
            int at = from;
            long points = 0;
            while (at < to) {
                final int next = paced ? Math.min(to, (at / EVERY + 1) * EVERY) : to;
                SnapshotJournals.publish(engine.pipeline(), events, at, next);
                engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
                if (paced && next % EVERY == 0) {
                    points++;
                    awaitWritten(engine, points);
                }
                at = next;
            }
            final long hash = engine.logic().stateHash();
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while ((engine.snapshots().written() < (paced ? 3 : 1) || engine.snapshotReplicaLag() > 0 || !engine.snapshots().idle())
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the replica may still be catching up
            }
            assertEquals("engine".equals(writer) ? -1 : 0, engine.snapshotReplicaLag(), "the replica has caught up (-1: none)");
            if (paced) {
                assertEquals(3, engine.snapshots().written(), "snapshots at 10,000, 20,000 and 30,000 while running");
            } else {
                assertTrue(engine.snapshots().written() >= 1 && engine.snapshots().written() <= 3, "10,000 at least, folded after");
            }
            assertEquals("engine".equals(writer) ? "rf-engine" : "rf-replica", engine.snapshots().lastTakenOn(),
                    "the thread that paused to take them");
            // caught up, the replica's snapshots count and say late ones and folded policy points as the engine's do
            // (operator audit: with writer: replica, ringfence_snapshots_late_total stayed 0 while 5 of 8 were late)
            final long liveBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!engine.snapshots().live() && System.nanoTime() < liveBy) {
                Thread.onSpinWait(); // the replica goes live once it has found nothing more to read
            }
            assertTrue(engine.snapshots().live(), "the agent that writes the snapshots is live once caught up");
            return hash;
        }
    }

    /** Waits until {@code count} snapshots are written and no buffer is in flight (the replica caught up first). */
    private static void awaitWritten(final Engine engine, final long count) {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while ((engine.snapshotReplicaLag() > 0 || engine.snapshots().written() < count || !engine.snapshots().idle())
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(count, engine.snapshots().written(), "snapshots written by the policy's point " + count * EVERY);
    }

    private static Path snapshot(final Path data, final long sequence) {
        return data.resolve("snapshots").resolve(SnapshotDescriptor.fileName(sequence));
    }

    @Test
    void shouldWriteTheSnapshotsTheLiveEngineWouldHaveWritten() throws IOException {
        final Path byEngine = dir.resolve("engine");
        final Path byReplica = dir.resolve("replica");
        final Outputs engineOutputs = new Outputs();
        final Outputs replicaOutputs = new Outputs();
        final long engineHash = live(byEngine, "engine", 0, EVENTS + 2_500, engineOutputs);
        final long replicaHash = live(byReplica, "replica", 0, EVENTS + 2_500, replicaOutputs);

        assertEquals(engineHash, replicaHash, "the live engine's state does not depend on who writes snapshots");
        assertEquals(engineOutputs.after(0), replicaOutputs.after(0), "nor do its outputs");
        for (final long s : new long[] {10_000, 20_000, 30_000, EVENTS + 2_500}) {
            assertTrue(Files.exists(snapshot(byReplica, s)), "the replica wrote snapshot " + s
                    + (s == EVENTS + 2_500 ? " (the clean-shutdown one, after catching up)" : ""));
            assertArrayEquals(Files.readAllBytes(snapshot(byEngine, s)), Files.readAllBytes(snapshot(byReplica, s)),
                    "snapshot " + s + " byte for byte");
        }
        assertTrue(Files.size(snapshot(byReplica, 30_000)) > 100_000, "a snapshot with real state in it");
    }

    /**
     * Unpaced (review: the paced test above never lets the replica lag): both engines take every event at full speed, so a
     * policy point may be folded into a later snapshot by either writer, by design. What must hold anyway: the same state
     * and outputs, the first point's snapshot and the clean-shutdown one in both, and every snapshot both wrote byte for byte
     * the same.
     */
    @Test
    void shouldWriteTheLiveEnginesSnapshotsEvenWhileTheReplicaLags() throws IOException {
        final Path byEngine = dir.resolve("engine");
        final Path byReplica = dir.resolve("replica");
        final Outputs engineOutputs = new Outputs();
        final Outputs replicaOutputs = new Outputs();
        final long engineHash = live(byEngine, "engine", 0, EVENTS + 2_500, engineOutputs, false);
        final long replicaHash = live(byReplica, "replica", 0, EVENTS + 2_500, replicaOutputs, false);
        assertEquals(engineHash, replicaHash);
        assertEquals(engineOutputs.after(0), replicaOutputs.after(0));
        for (final long s : new long[] {EVERY, EVENTS + 2_500}) { // nothing is in flight at the first point; shutdown waits
            assertTrue(Files.exists(snapshot(byReplica, s)) && Files.exists(snapshot(byEngine, s)), "snapshot " + s + " in both");
        }
        int common = 0;
        try (java.util.stream.Stream<Path> files = Files.list(byReplica.resolve("snapshots"))) {
            for (final Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".snap"))::iterator) {
                final Path other = byEngine.resolve("snapshots").resolve(f.getFileName());
                if (Files.exists(other)) {
                    assertArrayEquals(Files.readAllBytes(other), Files.readAllBytes(f), f.getFileName() + " byte for byte");
                    common++;
                }
            }
        }
        assertTrue(common >= 2, "snapshots both wrote: " + common);
    }

    @Test
    void shouldRecoverFromTheReplicasSnapshotsAndGoOnWritingThem() throws IOException {
        final Path data = dir.resolve("replica");
        live(data, "replica", 0, EVENTS, new Outputs());
        final Outputs after = new Outputs();
        final long hash;
        try (Engine engine = Engine.recovered(config("replica"), data, new Outputs(), NO_RECORDS, after)) {
            assertEquals(EVENTS, engine.restoredSequence(), "the replica's clean-shutdown snapshot is restored");
            SnapshotJournals.publish(engine.pipeline(), events, EVENTS, EVENTS + MORE);
            engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
            hash = engine.logic().stateHash();
        }
        assertTrue(Files.exists(snapshot(data, EVENTS + MORE)), "the restarted replica wrote the next clean-shutdown snapshot");

        final Path reference = dir.resolve("reference");
        final Outputs referenceOutputs = new Outputs();
        final long referenceHash;
        try (Engine engine = Engine.recovered(SnapshotJournals.config(false, 0), reference, new Outputs(), NO_RECORDS,
                referenceOutputs)) {
            SnapshotJournals.publish(engine.pipeline(), events, 0, EVENTS + MORE);
            engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
            referenceHash = engine.logic().stateHash();
        }
        assertEquals(referenceHash, hash, "snapshot by the replica + new events = an engine that never stopped");
        assertEquals(referenceOutputs.after(EVENTS), after.after(0), "and the same outputs for the new events");

        try (Engine engine = Engine.recovered(config("engine"), data, new Outputs(), NO_RECORDS, new Outputs())) {
            assertEquals(EVENTS + MORE, engine.restoredSequence(), "an engine-written and a replica-written snapshot are interchangeable");
            assertEquals(referenceHash, engine.logic().stateHash());
        }
    }

    /**
     * A start that replays a long tail (here the whole journal: a crash before any snapshot)
     * snapshots during that replay, as the engine writer does, and the replica starts from the
     * newest of them: a second crash does not replay the tail again, and the replica does not
     * replay it a second time in the background. Writes are slowed (300 ms before each rename),
     * so the one due at 30,000 finds both buffers busy: it is taken when the replay ends.
     */
    @Test
    void shouldSnapshotWhileRecoveringSoTheReplicaAndTheNextStartSkipTheTail() throws IOException {
        final Path data = dir.resolve("crashed");
        SnapshotJournals.journal(data, events, 0, EVENTS); // no snapshots: as after a crash before the first
        final long hash;
        final io.ringfence.engine.snapshot.SnapshotAgent replicaAgent;
        final Runnable slowRename = () -> java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
        try (Engine engine = Engine.recovered(config("replica"), data, new Outputs(), NO_RECORDS, new Outputs(), null, slowRename)) {
            replicaAgent = engine.snapshots();
            assertEquals(0, engine.restoredSequence(), "nothing to restore: the whole journal is replayed");
            for (final long s : new long[] {10_000, 20_000, 30_000}) {
                assertTrue(Files.exists(snapshot(data, s)), "snapshot " + s + " written during recovery, before the engine went live");
            }
            hash = engine.logic().stateHash();
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (engine.snapshotReplicaLag() != 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(0, engine.snapshotReplicaLag(), "the replica is at the live engine's sequence");
        }
        assertEquals(0, replicaAgent.written(), "the replica started at 30,000: it replayed and wrote nothing again,"
                + " not even a shutdown snapshot (nothing after its start)");
        try (Engine engine = Engine.recovered(config("replica"), data, new Outputs(), NO_RECORDS, new Outputs())) {
            assertEquals(EVENTS, engine.restoredSequence(), "the next start restores the snapshot written during recovery");
            assertEquals(hash, engine.logic().stateHash());
        }
        final Path reference = dir.resolve("reference");
        SnapshotJournals.journal(reference, events, 0, EVENTS);
        try (Engine engine = Engine.recovered(config("engine"), reference, new Outputs(), NO_RECORDS, new Outputs())) {
            assertEquals(hash, engine.logic().stateHash(), "the same state as the engine writer's recovery");
        }
        assertArrayEquals(Files.readAllBytes(snapshot(reference, 20_000)), Files.readAllBytes(snapshot(data, 20_000)),
                "and byte for byte the snapshot the engine writer's recovery takes");
    }

    @Test
    void shouldKeepTheLiveEngineGoingWhenTheReplicaFailsAndRecoverFromTheLastSnapshotItWrote() throws IOException {
        final Path data = dir.resolve("failing-replica");
        final long failAfter = 15_000; // between the replica's first snapshot (10,000) and its second (20,000)
        final Outputs outputs = new Outputs();
        final long hash;
        try (Engine engine = Engine.recovered(config("replica"), data, new Outputs(), NO_RECORDS, outputs,
                new TwinFailingAfter(failAfter), null)) {
            SnapshotJournals.publish(engine.pipeline(), events, 0, EVENTS);
            engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
            hash = engine.logic().stateHash();
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (engine.snapshotReplicaFailure() == null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            final Throwable failure = engine.snapshotReplicaFailure();
            assertTrue(failure != null, "the replica reports that it stopped");
            // the first event with an output after failAfter, whole (a prefix such as "150" also matched 1500 and 150000)
            final java.util.regex.Matcher stoppedAt = java.util.regex.Pattern.compile("twin output failed at sequence (\\d+) \\(test\\)")
                .matcher(failure + " " + failure.getCause());
            assertTrue(stoppedAt.find(), String.valueOf(failure));
            final long at = Long.parseLong(stoppedAt.group(1));
            assertTrue(at > failAfter && at <= failAfter + 20, "stopped at the first output after " + failAfter + ": " + failure);
            // the snapshot of 10,000 is written by the agent's writer thread, which a loaded machine can leave behind the
            // replica's failure at 15,000 (fresh-clone CI beside two other builds: 0 written when asserted)
            final long settleBy = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (engine.snapshots().settledThrough() < 10_000 && System.nanoTime() < settleBy) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertEquals(1, engine.snapshots().written(), "only the snapshot before the failure");
            assertTrue(engine.snapshotReplicaLag() > 0, "its lag shows it (events never handed to it): " + engine.snapshotReplicaLag());
            assertTrue(engine.pipeline().failure() == null, "the live engine is not touched");
        }
        assertTrue(Files.exists(snapshot(data, 10_000)));
        assertTrue(!Files.exists(snapshot(data, 20_000)) && !Files.exists(snapshot(data, EVENTS)),
                "no snapshot after the failure, not even at the clean shutdown");

        final Path reference = dir.resolve("reference");
        final Outputs referenceOutputs = new Outputs();
        final long referenceHash;
        try (Engine engine = Engine.recovered(SnapshotJournals.config(false, 0), reference, new Outputs(), NO_RECORDS,
                referenceOutputs)) {
            SnapshotJournals.publish(engine.pipeline(), events, 0, EVENTS);
            engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
            referenceHash = engine.logic().stateHash();
        }
        assertEquals(referenceHash, hash, "the live engine decided as if there were no replica");
        assertEquals(referenceOutputs.after(0), outputs.after(0), "and answered the same");
        try (Engine engine = Engine.recovered(config("replica"), data, new Outputs(), NO_RECORDS, new Outputs())) {
            assertEquals(10_000, engine.restoredSequence(), "a restart loads the replica's last snapshot and replays the rest");
            assertEquals(referenceHash, engine.logic().stateHash());
            assertEquals(null, engine.snapshotReplicaFailure(), "a fresh replica runs again");
        }
    }

    /** An output side that keeps no state and whose replica twin fails on the outputs of events after a sequence. */
    /** An output side that keeps no state. */
    private abstract static class Stateless implements io.ringfence.engine.snapshot.OutputState {
        @Override
        public void writeState(final io.ringfence.engine.snapshot.StateWriter w) {
        }

        @Override
        public void readState(final io.ringfence.engine.snapshot.StateReader r) {
        }

        @Override
        public void resetState() {
        }
    }

    private static class TwinFailingAfter extends Stateless implements io.ringfence.engine.pipeline.StatefulSink {
        private final long failAfter;

        TwinFailingAfter(final long failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public io.ringfence.engine.pipeline.StatefulSink twin() {
            return new TwinFailingAfter(failAfter) {
                @Override
                public void onOutput(final long sequence, final long sourceId, final long clientSeq,
                                     final org.agrona.DirectBuffer buffer, final int offset, final int length) {
                    if (sequence > failAfter) {
                        throw new IllegalStateException("twin output failed at sequence " + sequence + " (test)");
                    }
                }
            };
        }

        @Override
        public void onOutput(final long sequence, final long sourceId, final long clientSeq,
                             final org.agrona.DirectBuffer buffer, final int offset, final int length) {
        }
    }

    @Test
    void shouldRefuseAReplicaWhenTheOutputSideCannotMakeATwin() {
        final io.ringfence.engine.snapshot.OutputState plain = new Stateless() { };
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.recovered(config("replica"),
                dir.resolve("no-twin"), new Outputs(), NO_RECORDS, new Outputs(), plain, null));
        assertTrue(e.getMessage().contains("snapshot.writer: replica needs an output side that can make a twin"), e.getMessage());
        // the journal was closed on the way out: the same directory opens again
        try (Engine engine = Engine.recovered(config("engine"), dir.resolve("no-twin"), new Outputs(), NO_RECORDS, new Outputs())) {
            assertEquals(0, engine.restoredSequence());
        }
    }

    @Test
    void shouldRefuseAnUnknownWriter() {
        final EngineConfig config = SnapshotJournals.config(true, 10_000);
        config.snapshot.writer = "thread";
        final ConfigException e = assertThrows(ConfigException.class, config::validate);
        assertTrue(e.getMessage().contains("snapshot.writer") && e.getMessage().contains("must be engine")
                && e.getMessage().contains("thread"), e.getMessage());
    }
}

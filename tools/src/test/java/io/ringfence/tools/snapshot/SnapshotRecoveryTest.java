package io.ringfence.tools.snapshot;

import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.journal.JournalRecordHandler;
import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.tools.snapshot.SnapshotJournals.Outputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN §7: start-up = newest valid snapshot + the journal after it, with the same state and
 * outputs as replaying the whole journal; damaged, foreign and too-new snapshots are passed over
 * for the one before.
 */
class SnapshotRecoveryTest {
    private static final int EVENTS = 30_000;
    private static final int MORE = 5_000;
    private static final JournalRecordHandler NO_RECORDS = (s, i, src, c, b, o, l) -> { };
    private static List<byte[]> events;

    @TempDir
    Path dir;

    @BeforeAll
    static void workload() {
        events = SnapshotJournals.events(11, EVENTS + MORE);
    }

    /** State hash and outputs (of the replay after {@code after} and of MORE live events) of a recovery. */
    private record Recovered(long restoredSequence, long stateHash, List<String> replayOutputs, List<String> liveOutputs) {
    }

    private static Recovered recover(final Path data, final EngineConfig config, final long after) {
        final Outputs replay = new Outputs();
        final Outputs live = new Outputs();
        final long restored;
        final long hash;
        try (Engine engine = Engine.recovered(config, data, replay, NO_RECORDS, live)) {
            restored = engine.restoredSequence();
            SnapshotJournals.publish(engine.pipeline(), events, EVENTS, EVENTS + MORE);
            engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
            hash = engine.logic().stateHash();
        }
        return new Recovered(restored, hash, replay.after(after), live.after(0));
    }

    private Path journalOf(final String name, final int count) throws IOException {
        final Path data = dir.resolve(name);
        SnapshotJournals.journal(data, events, 0, count);
        return data;
    }

    /** A copy of a data directory (journal and snapshots), so each recovery starts from the same files. */
    private Path copy(final Path from, final String name) throws IOException {
        final Path to = dir.resolve(name);
        io.ringfence.tools.io.Trees.copy(from, to);
        return to;
    }

    private static Path snapshot(final Path data, final long sequence) {
        return data.resolve("snapshots").resolve(SnapshotDescriptor.fileName(sequence));
    }

    /** Journal of EVENTS events with snapshots at 10,000, 20,000 and 30,000 (written while recovering it once). */
    private Path journalWithSnapshots(final String name) throws IOException {
        final Path data = journalOf(name, EVENTS);
        final Path once = copy(data, name + "-once");
        try (Engine engine = Engine.recovered(SnapshotJournals.config(true, 10_000), once, new Outputs(), NO_RECORDS, new Outputs())) {
            assertEquals(0, engine.restoredSequence());
        }
        Files.createDirectories(data.resolve("snapshots"));
        for (final long s : new long[] {10_000, 20_000, 30_000}) {
            assertTrue(Files.exists(snapshot(once, s)), "snapshot " + s + " written while replaying");
            Files.copy(snapshot(once, s), snapshot(data, s));
        }
        return data;
    }

    @Test
    void shouldRecoverFromSnapshotAndTailToTheStateAndOutputsOfAFullReplay() throws IOException {
        final Path data = journalWithSnapshots("a");
        final Recovered full = recover(copy(data, "full"), SnapshotJournals.config(false, 0), 20_000);
        assertEquals(0, full.restoredSequence());

        final Path fromSnapshot = copy(data, "snap");
        Files.delete(snapshot(fromSnapshot, 30_000));
        final Recovered restored = recover(fromSnapshot, SnapshotJournals.config(true, 10_000), 20_000);

        assertEquals(20_000, restored.restoredSequence(), "restored from the newest snapshot there is");
        assertEquals(full.stateHash(), restored.stateHash(), "state after snapshot + tail + live events");
        assertTrue(full.replayOutputs().size() > 5_000, "the tail has outputs to compare");
        assertEquals(full.replayOutputs(), restored.replayOutputs(), "outputs of the replayed tail, byte for byte");
        assertTrue(full.liveOutputs().size() > 1_000);
        assertEquals(full.liveOutputs(), restored.liveOutputs(), "outputs of new events after the restart, byte for byte");
    }

    @Test
    void shouldWriteByteIdenticalSnapshotsForTheSameEvents() throws IOException {
        final Path first = journalWithSnapshots("first");
        final Path second = journalWithSnapshots("second");
        for (final long s : new long[] {10_000, 20_000, 30_000}) {
            assertArrayEquals(Files.readAllBytes(snapshot(first, s)), Files.readAllBytes(snapshot(second, s)), "snapshot " + s);
        }
        assertTrue(Files.size(snapshot(first, 30_000)) > 100_000, "a snapshot with real state in it");
    }

    @Test
    void shouldFallBackToThePreviousSnapshotWhenTheNewestHasAFlippedByte() throws IOException {
        final Path data = journalWithSnapshots("flip");
        final Recovered full = recover(copy(data, "full"), SnapshotJournals.config(false, 0), 0);
        try (RandomAccessFile f = new RandomAccessFile(snapshot(data, 30_000).toFile(), "rw")) {
            f.seek(f.length() / 2);
            final int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x10);
        }
        final Recovered restored = recover(data, SnapshotJournals.config(true, 10_000), 0);
        assertEquals(20_000, restored.restoredSequence(), "the damaged 30,000 was skipped for 20,000");
        assertEquals(full.stateHash(), restored.stateHash());
        assertEquals(full.liveOutputs(), restored.liveOutputs());
    }

    @Test
    void shouldFallBackToThePreviousSnapshotWhenTheNewestIsCutShort() throws IOException {
        final Path data = journalWithSnapshots("cut");
        final Recovered full = recover(copy(data, "full"), SnapshotJournals.config(false, 0), 0);
        try (RandomAccessFile f = new RandomAccessFile(snapshot(data, 30_000).toFile(), "rw")) {
            f.setLength(f.length() - 1_000);
        }
        try (RandomAccessFile f = new RandomAccessFile(snapshot(data, 20_000).toFile(), "rw")) {
            f.setLength(40); // inside the header
        }
        final Recovered restored = recover(data, SnapshotJournals.config(true, 10_000), 0);
        assertEquals(10_000, restored.restoredSequence(), "30,000 and 20,000 are cut short; 10,000 is used");
        assertEquals(full.stateHash(), restored.stateHash());
        assertEquals(full.liveOutputs(), restored.liveOutputs());
        assertTrue(Files.exists(data.resolve("snapshots").resolve(SnapshotDescriptor.fileName(30_000) + ".damaged")),
            "set aside, kept for a look, out of the retention count");
    }

    @Test
    void shouldSetAsideJunkNamedLikeSnapshotsSoRetentionKeepsTheNewOnes() throws IOException {
        final Path data = journalWithSnapshots("junk");
        final Path snapshots = data.resolve("snapshots");
        Files.write(snapshot(data, 110_000), new byte[0]);
        Files.write(snapshot(data, 120_000), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Files.createDirectories(snapshot(data, 150_000));
        Files.copy(snapshot(data, 30_000), snapshot(data, 200_000)); // its header names 30,000
        final Recovered restored = recover(data, SnapshotJournals.config(true, 10_000), 0);
        assertEquals(30_000, restored.restoredSequence(), "the junk is passed over");
        for (final long junk : new long[] {110_000, 120_000, 200_000}) {
            assertTrue(Files.exists(snapshots.resolve(SnapshotDescriptor.fileName(junk) + ".damaged")), "set aside: " + junk);
        }
        final java.util.List<Path> kept = new io.ringfence.journal.snapshot.SnapshotStore(snapshots, 3).list();
        assertEquals(snapshot(data, EVENTS + MORE), kept.get(0),
            "the shutdown snapshot is the newest kept, not pruned behind junk named after higher sequences: " + kept);
    }

    @Test
    void shouldSetAsideASnapshotOfAFormatThisVersionCannotReadSoRetentionKeepsTheNewOnes() throws IOException {
        final Path data = journalWithSnapshots("old-format");
        final Path full = copy(data, "old-format-full");
        // the newest snapshot as an older build wrote it: business section marker BUS3 (the upgrade trial: with retain 1
        // such a file, named after the highest sequence, won the pruning over every snapshot written since)
        final io.ringfence.journal.snapshot.SnapshotFile newest = io.ringfence.journal.snapshot.SnapshotStore.read(snapshot(data, 30_000));
        final java.nio.ByteBuffer older = java.nio.ByteBuffer.allocate(newest.content().remaining()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        older.put(newest.content().duplicate()).flip();
        older.putInt(0, 0x42555333); // "BUS3"
        Files.delete(snapshot(data, 30_000));
        new io.ringfence.journal.snapshot.SnapshotStore(data.resolve("snapshots"), 10)
            .write(30_000, newest.digest(), newest.record(), older, null);
        final EngineConfig retainOne = SnapshotJournals.config(true, 10_000);
        retainOne.snapshot.retain = 1;
        retainOne.snapshot.retainDaily = 0; // only the newest: the first of today would be kept besides it
        final Recovered restored = recover(data, retainOne, 0);
        assertEquals(20_000, restored.restoredSequence(), "the unreadable 30,000 is passed over for 20,000");
        assertTrue(Files.exists(data.resolve("snapshots").resolve(SnapshotDescriptor.fileName(30_000) + ".unreadable")),
            "set aside, kept, out of the retention count");
        final java.util.List<Path> kept = new io.ringfence.journal.snapshot.SnapshotStore(data.resolve("snapshots"), 1).list();
        assertEquals(List.of(snapshot(data, EVENTS + MORE)), kept, "the shutdown snapshot is the one kept: " + kept);
        assertEquals(recover(full, SnapshotJournals.config(false, 0), 0).stateHash(), restored.stateHash());
    }

    @Test
    void shouldRefuseASnapshotNewerThanTheJournal() throws IOException {
        final Path snapshots = journalWithSnapshots("source");
        final Path cut = journalOf("cut-journal", 25_000);
        Files.createDirectories(cut.resolve("snapshots"));
        for (final long s : new long[] {20_000, 30_000}) {
            Files.copy(snapshot(snapshots, s), snapshot(cut, s));
        }
        final Path reference = journalOf("reference", 25_000);
        final Recovered full = recover(reference, SnapshotJournals.config(false, 0), 0);
        final Recovered restored = recover(cut, SnapshotJournals.config(true, 10_000), 0);
        assertEquals(20_000, restored.restoredSequence(), "30,000 is beyond the journal's 25,000 and refused");
        assertTrue(Files.exists(cut.resolve("snapshots").resolve(SnapshotDescriptor.fileName(30_000) + ".foreign")),
                "set aside: the pruning would otherwise keep it over the journal's own new snapshots");
        assertEquals(full.stateHash(), restored.stateHash());
        assertEquals(full.liveOutputs(), restored.liveOutputs());
    }

    @Test
    void shouldIgnoreASnapshotTakenUnderAnotherConfiguration() throws IOException {
        final Path data = journalWithSnapshots("config");
        final EngineConfig stricter = SnapshotJournals.config(true, 10_000);
        stricter.fraud.reviewAt = 0.5;
        final EngineConfig stricterNoSnapshots = SnapshotJournals.config(false, 0);
        stricterNoSnapshots.fraud.reviewAt = 0.5;
        final Recovered full = recover(copy(data, "full"), stricterNoSnapshots, 0);
        final Recovered restored = recover(data, stricter, 0);
        assertEquals(0, restored.restoredSequence(), "every snapshot was taken under reviewAt 0.6: the whole journal is replayed");
        assertEquals(full.stateHash(), restored.stateHash());
        assertEquals(full.liveOutputs(), restored.liveOutputs());
    }

    @Test
    void shouldNotContinueASnapshotOfAnotherJournalAndSetItAside() throws IOException {
        final Path source = journalWithSnapshots("other-source");
        final List<byte[]> others = SnapshotJournals.events(12, EVENTS); // a journal deleted and written anew: same sequences
        final Path data = dir.resolve("rewritten");
        SnapshotJournals.journal(data, others, 0, EVENTS);
        Files.createDirectories(data.resolve("snapshots"));
        for (final long s : new long[] {10_000, 20_000, 30_000}) {
            Files.copy(snapshot(source, s), snapshot(data, s));
        }
        final Path reference = dir.resolve("rewritten-reference");
        SnapshotJournals.journal(reference, others, 0, EVENTS);
        final Recovered full = recover(reference, SnapshotJournals.config(false, 0), 0);
        final Recovered restored = recover(data, SnapshotJournals.config(true, 10_000), 0);
        assertEquals(0, restored.restoredSequence(), "no snapshot of the other journal is continued: the whole journal is replayed");
        assertEquals(full.stateHash(), restored.stateHash());
        assertEquals(full.liveOutputs(), restored.liveOutputs());
        for (final long s : new long[] {10_000, 20_000, 30_000}) {
            final Path aside = snapshot(data, s).resolveSibling(snapshot(data, s).getFileName() + ".foreign");
            assertTrue(Files.exists(aside), "set aside, out of the pruning: " + aside);
        }
        assertTrue(Files.exists(snapshot(data, 30_000)), "this journal's own snapshot, written while replaying it, is kept");
        final Recovered again = recover(copy(data, "rewritten-again"), SnapshotJournals.config(true, 10_000), 0);
        assertEquals(EVENTS + MORE, again.restoredSequence(), "the next start continues this journal's own newest snapshot");
    }
}

package io.ringfence.tools.snapshot;

import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.journal.ArchivedCycles;
import io.ringfence.journal.JournalException;
import io.ringfence.journal.JournalRecordHandler;
import io.ringfence.tools.CommandRun;
import io.ringfence.tools.snapshot.SnapshotJournals.Outputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code journal.archive}: a server moves the cycle files whose events all precede its oldest snapshot to the archive
 * as it writes snapshots; a start that needs them (no usable snapshot, a changed configuration) replays them from
 * there, and the commands that read a journal read them with the directory's own: the same state, outputs and replay
 * as a journal kept whole. The journal rolls every second (a test roll cycle) so that four batches a second apart
 * make several cycle files.
 */
class JournalArchiveRecoveryTest {
    private static final int BATCH = 4_000;
    private static final int BATCHES = 4;
    private static final int EVENTS = BATCH * BATCHES;
    private static final int MORE = 2_000;
    private static final JournalRecordHandler NO_RECORDS = (s, i, src, c, b, o, l) -> { };
    private static List<byte[]> events;

    @TempDir
    Path dir;

    @BeforeAll
    static void workload() {
        events = SnapshotJournals.events(17, EVENTS + MORE);
    }

    private static EngineConfig archiving() {
        final EngineConfig config = SnapshotJournals.config(true, BATCH);
        config.snapshot.retain = 1;
        config.snapshot.retainDaily = 0;
        config.journal.archive = "archive";
        config.journal.sealEvery = "200ms"; // files are archived once sealed: soon after each batch here, not 10 s on
        config.validate();
        return config;
    }

    /** Decides EVENTS events live, a batch a second, with a snapshot after each: the server's archiving at work. */
    private Path archivedJournal() throws Exception {
        final Path data = dir.resolve("data");
        // created rolling every second (a Chronicle test cycle no user is offered): a journal keeps its roll cycle
        io.ringfence.journal.Journal.open(io.ringfence.journal.JournalConfig.builder(data).rollCycle("TEST_SECONDLY").build()).close();
        Files.createDirectories(data.resolve("archive")); // the operator's: never created by the journal
        try (Engine engine = Engine.recovered(archiving(), data, new Outputs(), NO_RECORDS, new Outputs())) {
            for (int b = 0; b < BATCHES; b++) {
                SnapshotJournals.publish(engine.pipeline(), events, b * BATCH, (b + 1) * BATCH);
                engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
                Thread.sleep(1_100); // the next batch in another cycle file
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ArchivedCycles.of(data).through() < (BATCHES - 2) * BATCH && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        return data;
    }

    /** State hash and outputs of a start on {@code data}, then MORE live events. */
    private record Started(long restored, long stateHash, List<String> replayed, List<String> live) {
    }

    private static Started start(final Path data, final EngineConfig config) {
        final Outputs replay = new Outputs();
        final Outputs live = new Outputs();
        try (Engine engine = Engine.recovered(config, data, replay, NO_RECORDS, live)) {
            SnapshotJournals.publish(engine.pipeline(), events, EVENTS, EVENTS + MORE);
            engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
            return new Started(engine.restoredSequence(), engine.logic().stateHash(), replay.after(0), live.after(0));
        }
    }

    private static List<String> cycleFiles(final Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cq4")).sorted().toList();
        }
    }

    @Test
    void shouldReplayTheArchiveWhenNoSnapshotIsLeftToTheSameStateAsAJournalKeptWhole() throws Exception {
        final Path data = archivedJournal();
        final ArchivedCycles archived = ArchivedCycles.of(data);
        assertTrue(archived.through() >= (BATCHES - 2) * BATCH, "archived through " + archived.through());
        assertTrue(cycleFiles(data.resolve("archive")).size() >= 2, "files in the archive: " + cycleFiles(data.resolve("archive")));
        final long oldest = new io.ringfence.journal.snapshot.SnapshotStore(data.resolve("snapshots"), 1).oldestSequence();
        for (final ArchivedCycles.Entry e : archived.entries()) {
            assertTrue(e.lastSequence() < oldest, e + " archived, the oldest snapshot kept is " + oldest);
        }
        System.out.printf("archived %d cycle files, sequences 1..%d; the directory keeps %s; oldest snapshot %d%n",
                archived.entries().size(), archived.through(), cycleFiles(data), oldest);

        final Path whole = dir.resolve("whole");
        SnapshotJournals.journal(whole, events, 0, EVENTS);
        final Started reference = start(whole, SnapshotJournals.config(false, 0));

        io.ringfence.tools.io.Trees.delete(data.resolve("snapshots")); // nothing to start from but the events
        final Started fromArchive = start(data, archiving());
        assertEquals(0, fromArchive.restored());
        assertEquals(reference.stateHash(), fromArchive.stateHash(), "the archived events replayed, then the directory's");
        assertEquals(reference.replayed(), fromArchive.replayed(), "outputs of the whole replay, byte for byte");
        assertEquals(reference.live(), fromArchive.live(), "outputs of new events after the start");
        // snapshots taken while the archive was replayed name their records, which are read from the archive
        assertTrue(io.ringfence.journal.snapshot.SnapshotStore.listIn(data.resolve("snapshots")).size() >= 1);
        assertEquals(EVENTS + MORE, start(data, archiving()).restored() , "the next start restores the newest snapshot");
    }

    @Test
    void shouldRefuseAStartThatNeedsAnArchiveThatIsNotThere() throws Exception {
        final Path data = archivedJournal();
        io.ringfence.tools.io.Trees.delete(data.resolve("snapshots"));
        Files.move(data.resolve("archive"), dir.resolve("unmounted"));
        final JournalException e = assertThrows(JournalException.class, () -> start(data, archiving()));
        assertTrue(e.getMessage().contains("mount or copy the archive"), e.getMessage());
        Files.move(dir.resolve("unmounted"), data.resolve("archive"));
        assertEquals(0, start(data, archiving()).restored(), "started once the archive is back");
    }

    /**
     * Review: repair copied the whole archived history back into the data directory (12 MB for a 344 KB directory
     * there; months of archive in production) and set the record aside. It repairs the directory's own files only.
     */
    @Test
    void shouldRepairOnlyTheDirectorysOwnFilesAndKeepTheArchive() throws Exception {
        final Path data = archivedJournal();
        final long through = ArchivedCycles.of(data).movedThrough();
        assertTrue(through >= (BATCHES - 2) * BATCH, "archived through " + through);
        zeroCrc(data, EVENTS); // a torn last record
        final CommandRun repair = CommandRun.ringfence("repair", "--data", data.toString());
        assertEquals(0, repair.exitCode(), repair.err());
        assertTrue(repair.out().contains(String.format("kept %,d events, sequences %,d..%,d", EVENTS - 1 - through, through + 1,
                EVENTS - 1)) && repair.out().contains(String.format("1..%,d stay in the journal's archive", through)), repair.out());
        assertEquals(through, ArchivedCycles.of(data).movedThrough(), "the record kept");
        final Path dump = dir.resolve("dump.jsonl");
        final CommandRun journal = CommandRun.ringfence("journal", "--data", data.toString(), "--out", dump.toString());
        assertEquals(0, journal.exitCode(), journal.err());
        assertEquals(EVENTS - 1, Files.readAllLines(dump).size(), "every event but the torn one, once");
        final Started after = start(data, archiving());
        assertEquals(0, after.restored(), "the snapshot at " + EVENTS + " is past the repaired end: archive and directory replayed");
        assertTrue(after.replayed().size() > 1_000, "a start on the repaired journal replays it");
    }

    /** Zeroes the stored CRC of the record with {@code sequence} in the data directory's last cycle file. */
    private static void zeroCrc(final Path data, final long sequence) throws IOException {
        final Path file = data.resolve(cycleFiles(data).get(cycleFiles(data).size() - 1));
        final byte[] content = Files.readAllBytes(file);
        for (int i = 0; i + io.ringfence.journal.JournalRecordDescriptor.HEADER_LENGTH <= content.length; i += 4) {
            if (content[i] == 1 && content[i + 1] == 0 && java.nio.ByteBuffer.wrap(content,
                    i + io.ringfence.journal.JournalRecordDescriptor.SEQUENCE_OFFSET, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getLong() == sequence) {
                try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                    raf.seek(i + io.ringfence.journal.JournalRecordDescriptor.CRC_OFFSET);
                    raf.writeInt(0);
                }
                return;
            }
        }
        throw new AssertionError("record " + sequence + " not found in " + file);
    }

    @Test
    void shouldReplayAndDumpThroughTheArchiveAndRefuseAReplayWithoutIt() throws Exception {
        final Path data = archivedJournal();
        final Path whole = dir.resolve("whole");
        SnapshotJournals.journal(whole, events, 0, EVENTS);
        final Path a = dir.resolve("a.jsonl");
        final Path b = dir.resolve("b.jsonl");
        final CommandRun archivedReplay = CommandRun.ringfence("replay", "--data", data.toString(), "--full", "--out", a.toString());
        assertEquals(0, archivedReplay.exitCode(), archivedReplay.err());
        assertEquals(0, CommandRun.ringfence("replay", "--data", whole.toString(), "--full", "--out", b.toString()).exitCode());
        assertTrue(Files.size(a) > 100_000);
        assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(a), "replay reads the archived events first");

        // an order of the archived range (the first event holding one)
        final Path all = dir.resolve("all.jsonl");
        assertEquals(0, CommandRun.ringfence("journal", "--data", whole.toString(), "--out", all.toString()).exitCode());
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"orderId\":\"([^\"]+)\"").matcher(Files.readString(all));
        assertTrue(m.find());
        final String order = m.group(1);
        final CommandRun explained = CommandRun.ringfence("explain", "--data", data.toString(), "--order", order);
        assertEquals(0, explained.exitCode(), explained.err());

        Files.move(data.resolve("archive"), dir.resolve("unmounted"));
        // trial: explain said "no order or payment" of an order in the archive it could not read
        final CommandRun notHere = CommandRun.ringfence("explain", "--data", data.toString(), "--order", order);
        assertEquals(1, notHere.exitCode(), notHere.err());
        assertTrue(notHere.err().contains("needs the journal's events from sequence 1") && notHere.err().contains("archive"),
                notHere.err());
        final CommandRun refused = CommandRun.ringfence("replay", "--data", data.toString(), "--full", "--out",
                dir.resolve("c.jsonl").toString());
        assertEquals(1, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("replay needs the journal's events from sequence 1"), refused.err());
        final CommandRun dump = CommandRun.ringfence("journal", "--data", data.toString(), "--out", dir.resolve("d.jsonl").toString());
        assertEquals(0, dump.exitCode(), dump.err());
    }
}

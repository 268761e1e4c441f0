package io.ringfence.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data directory's one-writer rule across processes (a child JVM holds the lock; killed with
 * SIGKILL, it leaves nothing behind) and within one JVM (counted holds; one appending journal).
 */
class DataDirectoryLockTest {
    @TempDir
    Path dir;

    private final net.openhft.chronicle.core.time.SetTimeProvider clock =
            new net.openhft.chronicle.core.time.SetTimeProvider(1_700_000_000_000L * 1_000_000L);

    @Test
    void anotherProcessHoldingTheLockIsNamedAndItsDeathFreesIt() throws Exception {
        final Process child = holdInChild(dir);
        try {
            final JournalException e = assertThrows(DataDirectoryInUseException.class, () -> DataDirectoryLock.acquire(dir, "test"));
            assertTrue(e.getMessage().contains("is in use by another ringfence process (pid " + child.pid() + ", lock-holder, since "),
                    e.getMessage());
            assertFalse(DataDirectoryLock.heldHere(dir));
            try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
                assertEquals(0, journal.lastSequence(), "reading is not writing: a journal opens while another process writes");
                final JournalException refused = assertThrows(JournalException.class, journal::appender);
                assertTrue(refused.getMessage().contains("pid " + child.pid()), refused.getMessage());
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no clean-up runs in the child
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dir, "test")) {
            assertTrue(DataDirectoryLock.heldHere(dir), "the killed holder's lock died with it");
        }
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsNamed() throws Exception {
        final Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "");
        final JournalException e = assertThrows(JournalException.class, () -> DataDirectoryLock.acquire(file, "test"));
        assertTrue(e.getMessage().endsWith(file.toAbsolutePath() + " for writing: it is a file, not a directory"), e.getMessage());
    }

    @Test
    void holdsInOneJvmAreCountedAndTheLastCloseReleases() {
        final DataDirectoryLock first = DataDirectoryLock.acquire(dir, "test");
        final DataDirectoryLock second = DataDirectoryLock.acquire(dir.resolve("."), "test");
        first.close();
        first.close(); // idempotent: does not release the second hold
        assertTrue(DataDirectoryLock.heldHere(dir));
        second.close();
        assertFalse(DataDirectoryLock.heldHere(dir));
    }

    @Test
    void aSecondAppendingJournalInTheSameJvmIsRefusedUntilTheFirstCloses() {
        try (Journal first = Journal.open(JournalConfig.builder(dir).build());
             Journal second = Journal.open(JournalConfig.builder(dir).build())) {
            Records.append(first.appender(), 1);
            final JournalException e = assertThrows(JournalException.class, second::appender);
            assertTrue(e.getMessage().contains("already has a writer in this process"), e.getMessage());
            first.close();
            assertFalse(DataDirectoryLock.heldHere(dir), "closing the writer releases the directory");
            second.claimWriter("test");
            assertTrue(DataDirectoryLock.heldHere(dir));
        }
        assertFalse(DataDirectoryLock.heldHere(dir));
    }

    @Test
    void aSnapshotDirectoryOutsideItsDataDirectoryIsHeldForThatDataDirectoryAlone() throws Exception {
        final Path shared = dir.resolve("shared-snapshots");
        final Path a = dir.resolve("a");
        final Path b = dir.resolve("b");
        try (DataDirectoryLock data = DataDirectoryLock.acquire(a, "test");
             DataDirectoryLock same = DataDirectoryLock.acquireSnapshotDirectory(a, a.resolve("."), "test")) {
            assertTrue(same != null && DataDirectoryLock.heldHere(a), "snapshot.dir: . is covered by the data directory's own lock");
        }
        try (DataDirectoryLock own = DataDirectoryLock.acquireSnapshotDirectory(a, a.resolve("snapshots"), "test")) {
            // a's own snapshots are a's alone too: a b naming them as its snapshot.dir is refused
            final DataDirectoryInUseException other = assertThrows(DataDirectoryInUseException.class,
                    () -> DataDirectoryLock.acquireSnapshotDirectory(b, a.resolve("./snapshots/../snapshots"), "test"));
            assertTrue(other.getMessage().contains("the snapshot directory of " + a.toRealPath()), other.getMessage());
        }

        final Process child = holdInChild(a, shared);
        try {
            final DataDirectoryInUseException e = assertThrows(DataDirectoryInUseException.class,
                    () -> DataDirectoryLock.acquireSnapshotDirectory(b, shared, "test"));
            assertTrue(e.getMessage().startsWith("snapshot directory " + shared.toRealPath() + " is in use by another ringfence"
                    + " process (pid " + child.pid() + ", lock-holder, snapshots of " + a.toRealPath() + ", since "), e.getMessage());
            assertTrue(e.getMessage().contains("give each data directory its own snapshot.dir"), e.getMessage());
            try (Journal journal = Journal.open(JournalConfig.builder(b).build())) {
                journal.claimWriter("test");
                assertThrows(DataDirectoryInUseException.class, () -> journal.claimSnapshotDirectory(shared, "test"));
            }
            assertFalse(DataDirectoryLock.heldHere(b), "the refused writer let its data directory go");
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }

        // a's holder is dead, but the directory still holds a's snapshots: b would set them aside, so it is refused
        final DataDirectoryInUseException stillA = assertThrows(DataDirectoryInUseException.class,
                () -> DataDirectoryLock.acquireSnapshotDirectory(b, shared, "test"));
        assertTrue(stillA.getMessage().startsWith("snapshot directory " + shared.toRealPath() + " holds the snapshots of data"
                + " directory " + a.toRealPath() + " (its ringfence.lock says so; not in use now: delete that file"), stillA.getMessage());
        Files.delete(shared.resolve(DataDirectoryLock.FILE_NAME)); // handed over on purpose
        try (Journal journal = Journal.open(JournalConfig.builder(b).build())) {
            journal.claimWriter("test");
            journal.claimSnapshotDirectory(shared, "test");
            assertTrue(DataDirectoryLock.heldHere(shared), "the killed holder's lock died with it");
            try (DataDirectoryLock again = DataDirectoryLock.acquireSnapshotDirectory(b, shared, "run")) {
                assertTrue(again != null, "the same data directory's holds are counted");
            }
            final DataDirectoryInUseException here = assertThrows(DataDirectoryInUseException.class,
                    () -> DataDirectoryLock.acquireSnapshotDirectory(a, shared, "test"));
            assertTrue(here.getMessage().contains("in use by this process as the snapshot directory of " + b.toRealPath()),
                    here.getMessage());
            assertThrows(DataDirectoryInUseException.class, () -> DataDirectoryLock.acquire(shared, "test"),
                    "nor is another process's snapshot directory anyone's data directory");
        }
        assertFalse(DataDirectoryLock.heldHere(shared), "closing the journal releases its snapshot directory");
    }

    /**
     * SRE backup trial (MEDIUM): a restore started beside its running original with the same absolute journal.archive
     * placed its diverged cycle file in the original's archive, and the original's archiving then stopped with ERRORs.
     */
    @Test
    void aJournalArchiveIsHeldForOneDataDirectoryAndNeverCreated() throws Exception {
        final Path archive = dir.resolve("archive");
        final Path a = dir.resolve("a");
        final Path b = dir.resolve("b");
        assertNull(DataDirectoryLock.acquireArchiveDirectory(a, archive, "test"), "no archive directory: nothing to hold yet");
        assertFalse(Files.exists(archive), "an archive disk not mounted is not filled in its place");
        Files.createDirectories(archive);

        final Process child = holdInChild(a, archive, Path.of("archive"));
        try {
            final DataDirectoryInUseException e = assertThrows(DataDirectoryInUseException.class,
                    () -> DataDirectoryLock.acquireArchiveDirectory(b, archive, "server"));
            assertTrue(e.getMessage().startsWith("archive directory " + archive.toRealPath() + " is in use by another ringfence"
                    + " process (pid " + child.pid() + ", lock-holder, archive of " + a.toRealPath() + ", since "), e.getMessage());
            assertTrue(e.getMessage().contains("give each data directory its own journal.archive"), e.getMessage());

            // a writer whose start did not take it (the archive mounted later) is stopped at its first move, placing nothing
            final JournalConfig writer = JournalConfig.builder(b).rollCycle("TEST_SECONDLY").timeProvider(clock)
                    .archiveDirectory(archive).build();
            try (Journal journal = Journal.open(writer)) {
                Records.appendInThreeCycles(journal.appender(), clock);
                final DataDirectoryInUseException moving = assertThrows(DataDirectoryInUseException.class,
                        () -> journal.archiveNow(12));
                assertTrue(moving.getMessage().contains("archive of " + a.toRealPath()), moving.getMessage());
                assertEquals(1, journal.firstSequence());
            }
            try (Stream<Path> files = Files.list(archive)) {
                assertEquals(List.of(DataDirectoryLock.FILE_NAME), files.map(f -> f.getFileName().toString()).toList(),
                        "nothing placed in the other's archive");
            }
            assertTrue(ArchivedCycles.of(b).isEmpty());
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }

        // a's holder is dead, but the archive is still a's (its record names a file there): refused until handed over
        ArchivedCycles.append(a, new ArchivedCycles.Entry("20260101.cq4", 1, 5, archive.resolve("20260101.cq4")));
        final DataDirectoryInUseException stillA = assertThrows(DataDirectoryInUseException.class,
                () -> DataDirectoryLock.acquireArchiveDirectory(b, archive, "server"));
        assertTrue(stillA.getMessage().startsWith("archive directory " + archive.toRealPath() + " holds the archived journal of"
                + " data directory " + a.toRealPath() + " (its ringfence.lock says so; not in use now: delete that file"),
                stillA.getMessage());
        try (DataDirectoryLock mine = DataDirectoryLock.acquireArchiveDirectory(a, archive, "server")) {
            assertTrue(mine != null && DataDirectoryLock.heldHere(archive), "its own data directory takes it again");
            final DataDirectoryInUseException here = assertThrows(DataDirectoryInUseException.class,
                    () -> DataDirectoryLock.acquireArchiveDirectory(b, archive, "server"));
            assertTrue(here.getMessage().contains("in use by this process as the archive directory of " + a.toRealPath()),
                    here.getMessage());
        }
        assertFalse(DataDirectoryLock.heldHere(archive));

        // review: a copy of the archive, restored with a copy of a as the advice asks, carries a's lock file; a's record
        // names none of its files, so it is the copy's own
        final Path copy = Files.createDirectories(dir.resolve("archive-copy"));
        Files.copy(archive.resolve(DataDirectoryLock.FILE_NAME), copy.resolve(DataDirectoryLock.FILE_NAME));
        try (DataDirectoryLock restored = DataDirectoryLock.acquireArchiveDirectory(b, copy, "server")) {
            assertTrue(restored != null && DataDirectoryLock.heldHere(copy));
        }
        // and a snapshot directory is named as such when an archive is asked for it (review: "archived journal")
        final Path snapshots = dir.resolve("snapshots-of-a");
        try (DataDirectoryLock held = DataDirectoryLock.acquireSnapshotDirectory(a, snapshots, "server")) {
            assertTrue(held != null);
        }
        final DataDirectoryInUseException named = assertThrows(DataDirectoryInUseException.class,
                () -> DataDirectoryLock.acquireArchiveDirectory(b, snapshots, "server"));
        assertTrue(named.getMessage().contains(" holds the snapshots of data directory " + a.toRealPath()), named.getMessage());
    }

    /** A child JVM that takes the lock, says so, and waits to be killed. */
    private static Process holdInChild(final Path... dirs) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle.")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xmx64m", "-cp", System.getProperty("java.class.path"), LockHolder.class.getName()));
        for (final Path d : dirs) {
            command.add(d.toString());
        }
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        final String line = in.readLine();
        if (!"LOCKED".equals(line)) {
            p.destroyForcibly();
            throw new AssertionError("the child did not take the lock: " + line);
        }
        return p;
    }

    /** The child's main. */
    public static final class LockHolder {
        public static void main(final String[] args) throws InterruptedException {
            if (args.length == 3) { // a data directory and its journal archive
                DataDirectoryLock.acquireArchiveDirectory(Path.of(args[0]), Path.of(args[1]), "lock-holder");
            } else if (args.length == 2) { // a data directory and its snapshot directory
                DataDirectoryLock.acquireSnapshotDirectory(Path.of(args[0]), Path.of(args[1]), "lock-holder");
            } else {
                DataDirectoryLock.acquire(Path.of(args[0]), "lock-holder");
            }
            System.out.println("LOCKED");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}

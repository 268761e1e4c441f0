package io.ringfence.tools.server;

import io.ringfence.tools.CommandRun;
import io.ringfence.tools.RingfenceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.ringfence.tools.CommandRun.ringfence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data directory has one writer: with a real server running on it (a child JVM), {@code run}
 * (even {@code --fresh}, which would delete the journal) and a second {@code server} are refused
 * at once, naming the server's pid, and leave the directory as it was; after the server is
 * killed with SIGKILL the directory is free again.
 */
class DataDirectoryInUseTest {
    @TempDir
    Path dir;

    @Test
    void aRunningServersDirectoryIsRefusedToOtherWritersAndFreedByItsDeath() throws Exception {
        final Path data = dir.resolve("data");
        final Path input = dir.resolve("in.jsonl");
        final String out = dir.resolve("out.jsonl").toString();
        Files.writeString(input, "{\"type\":\"inventory\",\"time\":\"2026-01-05T00:00:00Z\",\"sku\":\"sku-1\",\"warehouse\":\"w1\",\"delta\":5}\n");
        assertEquals(0, ringfence("run", "--input", input.toString(), "--data", data.toString(), "--out", out).exitCode());
        final List<String> before = journalFiles(data);

        final Process server = startServer(data);
        try {
            final CommandRun run = ringfence("run", "--input", input.toString(), "--data", data.toString(), "--out", out, "--fresh");
            assertEquals(RingfenceMain.EXIT_FAILURE, run.exitCode(), run.err());
            assertTrue(run.err().contains("ringfence run: data directory ") && run.err().contains(
                    "is in use by another ringfence process (pid " + server.pid() + ", server, since "), run.err());
            assertFalse(run.err().contains("stack trace"), "an expected condition, reported as such: " + run.err());
            assertEquals(before, journalFiles(data), "--fresh deleted nothing under the server");

            final long started = System.nanoTime();
            final CommandRun second = ringfence("server", "--data", data.toString(), "--port", "0", "--warmup", "5s");
            assertEquals(RingfenceMain.EXIT_FAILURE, second.exitCode(), second.err());
            assertTrue(second.err().contains("(pid " + server.pid() + ", server, since "), second.err());
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 5,
                    "refused before its warm-up, not after it");
            assertTrue(server.isAlive(), "the running server is untouched");
        } finally {
            server.destroyForcibly();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        }
        final CommandRun after = ringfence("run", "--input", input.toString(), "--data", data.toString(), "--out", out, "--fresh");
        assertEquals(0, after.exitCode(), "the killed server's lock died with it: " + after.err());
    }

    /** A journal no writer may append to (here: a last cycle file without a header) is refused before the warm-up. */
    @Test
    void aJournalThatCannotBeAppendedToIsRefusedBeforeTheWarmUp() throws Exception {
        final Path data = journalOfOneEvent();
        final String day = journalFiles(data).stream().filter(f -> f.endsWith(".cq4")).findFirst().orElseThrow();
        final Path empty = data.resolve(java.time.LocalDate.parse(day.substring(0, 8), java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                .plusDays(1).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + day.substring(8));
        Files.createFile(empty);
        final long started = System.nanoTime();
        final CommandRun server = ringfence("server", "--data", data.toString(), "--port", "0", "--warmup", "5s");
        assertEquals(RingfenceMain.EXIT_FAILURE, server.exitCode(), server.err());
        assertTrue(server.err().contains(empty.toString()) && server.err().contains("ringfence repair --data"), server.err());
        assertFalse(server.out().contains("warming up"), server.out());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 5, "refused before its warm-up");
    }

    /**
     * Operator trial: the day's cycle file deleted under a server; the next start found an empty journal, handed out
     * sequences from 1 again and set the snapshots aside as foreign, the acknowledged events gone without a word.
     */
    @Test
    void aJournalWhoseFilesWereRemovedWhileSnapshotsCoverItIsRefusedBeforeTheWarmUp() throws Exception {
        final Path data = journalOfOneEvent();
        final Path snapshots = Files.createDirectories(data.resolve("snapshots"));
        final Path snapshot = Files.write(snapshots.resolve(io.ringfence.journal.snapshot.SnapshotDescriptor.fileName(3_000)), new byte[64]);
        for (final String f : journalFiles(data)) {
            Files.delete(data.resolve(f));
        }
        final long started = System.nanoTime();
        final CommandRun server = ringfence("server", "--data", data.toString(), "--port", "0", "--warmup", "5s");
        assertEquals(RingfenceMain.EXIT_FAILURE, server.exitCode(), server.err());
        assertTrue(server.err().contains("holds no event, but snapshot " + snapshot + " covers 3,000 events")
                && server.err().contains("move the snapshot directory " + snapshots + " aside"), server.err());
        assertFalse(server.out().contains("warming up"), server.out());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 5, "refused before its warm-up");
        assertEquals(List.of(), journalFiles(data), "no journal started");
        assertTrue(Files.exists(snapshot), "the snapshot is left where it was");

        final io.ringfence.engine.config.EngineConfig config = io.ringfence.engine.config.EngineConfigLoader.defaults();
        assertNull(LostJournal.check(data, config, 2_999), "a journal ending before a snapshot (an OS crash's lost tail) is recovery's to handle");
        Files.move(snapshots, dir.resolve("snapshots-aside"));
        assertNull(LostJournal.check(data, config, 0), "starting over on purpose: the snapshots moved aside");
    }

    @Test
    void aTakenPortOrTheSamePortForBothIsRefusedBeforeTheWarmUpAndCreatesNothing() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            final Path data = dir.resolve("taken");
            final long started = System.nanoTime();
            final CommandRun busy = ringfence("server", "--data", data.toString(), "--port", String.valueOf(taken.getLocalPort()),
                "--warmup", "5s");
            assertEquals(RingfenceMain.EXIT_FAILURE, busy.exitCode(), busy.err());
            assertTrue(busy.err().contains("--port " + taken.getLocalPort() + " cannot be listened on at 127.0.0.1"), busy.err());
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 5, "refused before its warm-up");
            assertFalse(Files.exists(data), "nothing created");
        }
        final CommandRun same = ringfence("server", "--data", dir.resolve("same").toString(), "--port", "7777", "--admin-port", "7777");
        assertEquals(RingfenceMain.EXIT_USAGE, same.exitCode(), same.err());
        assertTrue(same.err().contains("gateway.admin.port") && same.err().contains("must differ from gateway.port (7777)"), same.err());
        assertFalse(Files.exists(dir.resolve("same")), "nothing created");

        final Path file = Files.writeString(dir.resolve("a-file"), "");
        final Path config = Files.writeString(dir.resolve("c.yaml"), "snapshot:\n  dir: " + file + "\n");
        final CommandRun snapshotFile = ringfence("server", "--data", dir.resolve("snap").toString(), "--config", config.toString(),
            "--port", "0");
        assertEquals(RingfenceMain.EXIT_USAGE, snapshotFile.exitCode(), snapshotFile.err());
        assertTrue(snapshotFile.err().contains("snapshot.dir " + file + " is a file, not a directory"), snapshotFile.err());
        final Path under = Files.writeString(dir.resolve("c2.yaml"), "snapshot:\n  dir: " + file.resolve("x") + "\n");
        final CommandRun fileAbove = ringfence("server", "--data", dir.resolve("snap2").toString(), "--config", under.toString(),
            "--port", "0");
        assertEquals(RingfenceMain.EXIT_USAGE, fileAbove.exitCode(), fileAbove.err());
        assertTrue(fileAbove.err().contains("snapshot.dir " + file.resolve("x") + ": " + file + " is a file, not a directory"),
            fileAbove.err());
        assertFalse(Files.exists(dir.resolve("snap2")), "nothing created");
    }

    /** A data directory whose journal `run` wrote with one event. */
    private Path journalOfOneEvent() throws IOException {
        final Path data = dir.resolve("data");
        final Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"type\":\"inventory\",\"time\":\"2026-01-05T00:00:00Z\",\"sku\":\"sku-1\",\"warehouse\":\"w1\",\"delta\":5}\n");
        assertEquals(0, ringfence("run", "--input", input.toString(), "--data", data.toString(), "--out",
                dir.resolve("out.jsonl").toString()).exitCode());
        return data;
    }

    private static List<String> journalFiles(final Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cq4")).sorted().toList();
        }
    }

    /** `ringfence server` in a child JVM; returns once it listens. */
    private static Process startServer(final Path data) throws IOException {
        return io.ringfence.tools.ChildJvm.server("server", "--data", data.toString(), "--port", "0", "--warmup", "0s").process();
    }
}

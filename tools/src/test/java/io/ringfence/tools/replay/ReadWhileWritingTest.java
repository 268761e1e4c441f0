package io.ringfence.tools.replay;

import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.tools.CommandRun;
import io.ringfence.tools.RingfenceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code journal} and {@code replay} read a data directory while another engine is appending to it (an
 * in-process {@code run}, a separate Chronicle queue instance like another process's): they read a
 * consistent prefix, and the writer is not disturbed (opening the journal to read takes no lock and
 * writes nothing the appender depends on).
 */
class ReadWhileWritingTest {
    private static final int EVENTS = 60_000;

    @TempDir
    Path dir;

    @Test
    void shouldDumpAndReplayAPrefixWhileARunIsStillWriting() throws Exception {
        final Path input = dir.resolve("workload.jsonl");
        final Path data = dir.resolve("data");
        final Path runOut = dir.resolve("run.jsonl");
        assertEquals(0, CommandRun.ringfence("generate", "--events", String.valueOf(EVENTS), "--seed", "9", "--out", input.toString()).exitCode());

        final ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            final Future<Integer> run = writer.submit(() -> RingfenceMain.execute("run", "--input", input.toString(),
                    "--data", data.toString(), "--out", runOut.toString()));
            long seen = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen < 2_000 && !run.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                if (Files.isDirectory(data) && Files.list(data).anyMatch(p -> p.toString().endsWith(".cq4"))) {
                    try (Journal journal = Journal.open(JournalConfig.builder(data).build())) {
                        seen = journal.lastSequence();
                    }
                }
            }

            final Path dump = dir.resolve("dump-live.jsonl");
            final CommandRun journal = CommandRun.ringfence("journal", "--data", data.toString(), "--out", dump.toString());
            final Path replayed = dir.resolve("replay-live.jsonl");
            final CommandRun replay = CommandRun.ringfence("replay", "--data", data.toString(), "--type", "decision",
                    "--out", replayed.toString());
            final boolean overlapped = !run.isDone();
            assertEquals(0, journal.exitCode(), journal.err());
            assertEquals(0, replay.exitCode(), replay.err());
            assertEquals(0, run.get(120, TimeUnit.SECONDS), "the writer finished undisturbed");

            final List<String> live = Files.readAllLines(dump);
            final Path fullDump = dir.resolve("dump.jsonl");
            assertEquals(0, CommandRun.ringfence("journal", "--data", data.toString(), "--out", fullDump.toString()).exitCode());
            final List<String> full = Files.readAllLines(fullDump);
            assertEquals(EVENTS, full.size(), "every event journaled");
            assertTrue(live.size() >= seen && live.size() <= EVENTS, live.size() + " read live, " + seen + " seen before");
            assertEquals(full.subList(0, live.size()), live, "the live dump is a prefix of the final journal");

            final List<String> decisionsLive = Files.readAllLines(replayed);
            final List<String> decisionsRun = Files.readAllLines(runOut).stream().filter(l -> l.startsWith("{\"type\":\"decision\"")).toList();
            assertTrue(decisionsLive.size() <= decisionsRun.size());
            assertEquals(decisionsRun.subList(0, decisionsLive.size()), decisionsLive, "the live replay decides its prefix as the run did");
            if (!overlapped) {
                System.err.println("ReadWhileWritingTest: the run finished before the readers did; no overlap this time");
            }
        } finally {
            writer.shutdownNow();
            assertTrue(writer.awaitTermination(60, TimeUnit.SECONDS));
        }
    }
}

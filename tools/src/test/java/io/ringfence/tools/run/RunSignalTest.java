package io.ringfence.tools.run;

import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalConfig;
import io.ringfence.tools.ChildJvm;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review: Ctrl-C during {@code run} exited at once with no summary, up to 64 KiB of the journaled events' outputs
 * unwritten, and the old {@code --out} emptied. Now the run stops before its next line, ends as at the end of its
 * input (every output of what was journaled written to {@code --out}'s partial file, the old {@code --out} kept), says
 * what was journaled, and the JVM exits with the signal's status.
 */
class RunSignalTest {
    @TempDir
    Path dir;

    @Test
    void stopsAtTheNextLineOnSigtermAndSaysWhatWasJournaled() throws Exception {
        final Path input = dir.resolve("shop.jsonl");
        assertEquals(0, CommandRun.ringfence("generate", "--events", "400000", "--seed", "7", "--out", input.toString()).exitCode());
        final Path out = dir.resolve("out.jsonl");
        Files.writeString(out, "OLD\n");
        final Path data = dir.resolve("d");
        final Path err = dir.resolve("run.err");
        final Process run = new ProcessBuilder(ChildJvm.command("512m", "run", "--input", input.toString(), "--data", data.toString(),
                "--out", out.toString())).redirectOutput(dir.resolve("run.out").toFile()).redirectError(err.toFile()).start();
        try {
            final Path partial = dir.resolve("out.jsonl.partial");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((!Files.exists(partial) || Files.size(partial) < 1_000_000) && System.nanoTime() < deadline && run.isAlive()) {
                Thread.sleep(50); // running: its outputs are coming
            }
            assertTrue(run.isAlive(), "still running when signalled: " + Files.readString(err));
            ChildJvm.signal("TERM", run);
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run exits on SIGTERM");
            final String errors = Files.readString(err);
            assertEquals(143, run.exitValue(), errors);
            assertTrue(errors.contains("ringfence run: stopped by a signal after"), errors);
            assertEquals("OLD\n", Files.readString(out), "the old --out is kept");
            final long journaled;
            try (Journal journal = Journal.open(JournalConfig.builder(data).forReading().build())) {
                journaled = journal.lastSequence();
            }
            assertTrue(journaled > 0 && journaled < 400_000, "part of the file: " + journaled);
            assertTrue(errors.contains(String.format("their %,d events are journaled", journaled)), errors);
            // every journaled event's outputs were written: the partial file equals a replay of the journal
            final Path replayed = dir.resolve("replay.jsonl");
            assertEquals(0, CommandRun.ringfence("replay", "--data", data.toString(), "--out", replayed.toString()).exitCode());
            assertEquals(Files.readAllLines(replayed).size(), Files.readAllLines(partial).size(), "outputs of what was journaled");
        } finally {
            run.destroyForcibly();
        }
    }

    /** Second review: a signal while run waited for more stdin took the hook's 60 s and then lost the last outputs. */
    @Test
    void stopsAtOnceOnSigtermWhileWaitingForStdin() throws Exception {
        final Path input = dir.resolve("shop.jsonl");
        assertEquals(0, CommandRun.ringfence("generate", "--events", "3000", "--seed", "7", "--out", input.toString()).exitCode());
        final Path out = dir.resolve("out.jsonl");
        final Path data = dir.resolve("d");
        final Path err = dir.resolve("run.err");
        final Process run = new ProcessBuilder(ChildJvm.command("512m", "run", "--input", "-", "--data", data.toString(),
                "--out", out.toString())).redirectOutput(dir.resolve("run.out").toFile()).redirectError(err.toFile()).start();
        try {
            run.getOutputStream().write(Files.readAllBytes(input));
            run.getOutputStream().flush(); // and kept open: the run waits for more
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long journaled = 0;
            while (journaled < 3000 && System.nanoTime() < deadline && run.isAlive()) {
                Thread.sleep(100);
                if (Files.exists(data.resolve("metadata.cq4t"))) {
                    try (Journal journal = Journal.open(JournalConfig.builder(data).forReading().build())) {
                        journaled = journal.lastSequence();
                    } catch (final RuntimeException notYet) {
                        journaled = 0;
                    }
                }
            }
            assertEquals(3000, journaled, "all read: " + Files.readString(err));
            final long signalled = System.nanoTime();
            ChildJvm.signal("TERM", run);
            assertTrue(run.waitFor(30, TimeUnit.SECONDS), "run exits on SIGTERM");
            final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            final String errors = Files.readString(err);
            assertTrue(millis < 10_000, "exited " + millis + " ms after the signal (the hook waits up to 60 s): " + errors);
            assertEquals(143, run.exitValue(), errors);
            assertTrue(errors.contains("stopped by a signal after 3,000 lines of stdin"), errors);
            final Path replayed = dir.resolve("replay.jsonl");
            assertEquals(0, CommandRun.ringfence("replay", "--data", data.toString(), "--out", replayed.toString()).exitCode());
            assertEquals(Files.readAllLines(replayed).size(), Files.readAllLines(dir.resolve("out.jsonl.partial")).size(),
                "every output of what was journaled");
        } finally {
            run.destroyForcibly();
        }
    }
}

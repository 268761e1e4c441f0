package io.ringfence.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal file being written deleted, moved or replaced under a running writer (an operator's {@code rm}): the writer
 * stores into the unlinked file, whose events would vanish at exit. The next append is refused after what was written is
 * copied back, and a journal opened again reads every event appended before the refusal.
 */
class JournalFileDeletedTest {
    @TempDir
    Path dir;

    private static Path cycleFile(final Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            final List<Path> cq4 = files.filter(p -> p.getFileName().toString().endsWith(".cq4")).collect(Collectors.toList());
            assertEquals(1, cq4.size(), cq4.toString());
            return cq4.get(0);
        }
    }

    /** Appends from {@code from} until one is refused (the watch looks every 100 ms); returns the refusal. */
    private static JournalException appendUntilRefused(final JournalAppender appender, final long from) throws InterruptedException {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        for (long seq = from; System.nanoTime() < deadline; seq++) {
            try {
                Records.append(appender, seq);
            } catch (final JournalException e) {
                return e;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no append refused within 5 s of the file's deletion");
    }

    private static long[] readBack(final Path dir) {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            return Records.readAll(journal.reader()).sequences();
        }
    }

    private static long[] oneTo(final long last) {
        final long[] seqs = new long[(int) last];
        for (int i = 0; i < last; i++) {
            seqs[i] = i + 1;
        }
        return seqs;
    }

    @Test
    void aDeletedFileIsCopiedBackAndTheNextAppendRefused() throws Exception {
        final long last;
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            final JournalAppender appender = journal.appender();
            Records.appendRange(appender, 1, 1_000);
            final Path file = cycleFile(dir);
            Files.delete(file);
            final JournalException refused = appendUntilRefused(appender, 1_001);
            last = journal.lastSequence();
            assertTrue(last >= 1_000, "the appends before the watch looked went into the unlinked file: " + last);
            assertTrue(refused.getMessage().contains("was deleted, moved or replaced while the server wrote it")
                && refused.getMessage().contains("copied back to " + file.toAbsolutePath())
                && refused.getMessage().contains(String.format("Events up to %,d were journaled", last)), refused.getMessage());
            assertTrue(Files.exists(file), "back in place");
            final JournalException again = appendUntilRefused(appender, last + 1);
            assertTrue(again.getMessage().contains("copied back"), "every later append refused: " + again.getMessage());
        }
        assertArrayEquals(oneTo(last), readBack(dir), "every event appended before the refusal, none lost");
    }

    @Test
    void aQuietWritersDeletedFileIsCopiedBackAtClose() throws Exception {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            Records.appendRange(journal.appender(), 1, 500);
            Files.delete(cycleFile(dir));
            Thread.sleep(4 * CycleFileWatch.EVERY_MILLIS); // seen, but no append comes
        }
        assertArrayEquals(oneTo(500), readBack(dir), "copied back when the journal closed");
    }

    /**
     * New-user audit: the watch's thread went on after the journal closed, and a scratch journal deleted right after its
     * close (train, evaluate) was reported as deleted under a running server. The close waits for the thread.
     */
    @Test
    void theWatchIsOverWhenTheJournalIsClosed() throws Exception {
        for (int round = 0; round < 20; round++) {
            final Path scratch = dir.resolve("scratch-" + round);
            try (Journal journal = Journal.open(JournalConfig.builder(scratch).build())) {
                Records.appendRange(journal.appender(), 1, 10);
                assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("rf-journal-file") && t.isAlive()),
                    "the journal is watched while open (else the check below proves nothing)");
            }
            for (final Thread t : Thread.getAllStackTraces().keySet()) {
                assertFalse(t.getName().equals("rf-journal-file") && t.isAlive(), "a watch outlived its journal");
            }
        }
    }

    /** Review: a restarted writer's file was watched only from its first append; deleted before that, it was gone for good. */
    @Test
    void aRestartedWritersFileIsWatchedBeforeItsFirstAppend() throws Exception {
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            Records.appendRange(journal.appender(), 1, 400);
        }
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            journal.appender(); // a restarted server: ready to append, nothing sent yet
            Files.delete(cycleFile(dir));
        } // closed within the watch's first look: the close looks once more
        assertArrayEquals(oneTo(400), readBack(dir), "copied back when the journal closed");
    }

    /** Review: the kernel names an unlinked file by its real path; a data directory reached through a link must match. */
    @Test
    void aDataDirectoryThroughASymbolicLinkIsCopiedBackToo() throws Exception {
        final Path real = Files.createDirectories(dir.resolve("real"));
        final Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        final Path through = link.resolve("..").resolve("link"); // and not normalised
        final long last;
        try (Journal journal = Journal.open(JournalConfig.builder(through).build())) {
            final JournalAppender appender = journal.appender();
            Records.appendRange(appender, 1, 300);
            Files.delete(cycleFile(real));
            final JournalException refused = appendUntilRefused(appender, 301);
            assertTrue(refused.getMessage().contains("copied back"), refused.getMessage());
            last = journal.lastSequence();
        }
        assertArrayEquals(oneTo(last), readBack(real));
    }

    @Test
    void aReplacedFileIsCopiedNextToTheNewOne() throws Exception {
        final Path file;
        final long last;
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            final JournalAppender appender = journal.appender();
            Records.appendRange(appender, 1, 300);
            file = cycleFile(dir);
            Files.delete(file);
            Files.write(file, new byte[] {1, 2, 3}); // someone else's file under its name
            final JournalException refused = appendUntilRefused(appender, 301);
            last = journal.lastSequence();
            assertTrue(refused.getMessage().contains("another file has its name now, so what was written to it was copied to "
                + file.toAbsolutePath() + ".rescued"), refused.getMessage());
        }
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file), "the other file left alone");
        // operator audit: a start on the other file with the rescued copy beside it lost 283 answered events without a word
        final JournalException beside = assertThrows(JournalException.class, () -> readBack(dir));
        assertTrue(beside.getMessage().contains(".rescued is the copy of a cycle file that was replaced under a running server"),
            beside.getMessage());
        Files.move(file.resolveSibling(file.getFileName() + ".rescued"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertArrayEquals(oneTo(last), readBack(dir), "the rescued copy, put in place, holds every event");
    }

    @Test
    void aMovedFileIsNamedWhereItIsNow() throws Exception {
        final Path moved = dir.resolveSibling(dir.getFileName() + "-moved.cq4");
        final long last;
        try (Journal journal = Journal.open(JournalConfig.builder(dir).build())) {
            final JournalAppender appender = journal.appender();
            Records.appendRange(appender, 1, 200);
            final Path file = cycleFile(dir);
            Files.move(file, moved);
            final JournalException refused = appendUntilRefused(appender, 201);
            assertTrue(refused.getMessage().contains("it was moved to " + moved.toAbsolutePath() + ": move it back to "
                + file.toAbsolutePath()), refused.getMessage());
            Files.move(moved, file); // as the message says
            last = journal.lastSequence();
        } finally {
            Files.deleteIfExists(moved);
        }
        assertArrayEquals(oneTo(last), readBack(dir));
    }
}

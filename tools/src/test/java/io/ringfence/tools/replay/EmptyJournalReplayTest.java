package io.ringfence.tools.replay;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trial: a run of an empty input suggested `replay`, which refused ("holds no journal"), so the README's
 * {@code replay && cmp} failed; a regular file given as --data was called missing; a directory without a journal
 * warned about its configuration before saying it holds no journal.
 */
class EmptyJournalReplayTest {
    @TempDir
    Path dir;

    @Test
    void aRunOfAnEmptyInputReplaysToTheSameEmptyOutput() throws IOException {
        final Path input = Files.createFile(dir.resolve("empty.jsonl"));
        final Path data = dir.resolve("data");
        final Path run = dir.resolve("run.jsonl");
        assertEquals(0, CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(), "--out", run.toString()).exitCode());
        final Path replayed = dir.resolve("replay.jsonl");
        final CommandRun replay = CommandRun.ringfence("replay", "--data", data.toString(), "--out", replayed.toString());
        assertEquals(0, replay.exitCode(), replay.err());
        assertEquals(Files.readString(run), Files.readString(replayed));
        assertTrue(replay.err().contains("holds no events"), replay.err());
    }

    @Test
    void aFileOrADirectoryWithoutAJournalIsRefusedSayingWhat() throws IOException {
        final Path file = Files.createFile(dir.resolve("afile"));
        final CommandRun onFile = CommandRun.ringfence("replay", "--data", file.toString());
        assertEquals(2, onFile.exitCode());
        assertTrue(onFile.err().contains("not a directory"), onFile.err());
        final Path empty = Files.createDirectories(dir.resolve("nothing"));
        final CommandRun onEmpty = CommandRun.ringfence("replay", "--data", empty.toString());
        assertEquals(2, onEmpty.exitCode());
        assertTrue(onEmpty.err().contains("holds no journal"), onEmpty.err());
        assertFalse(onEmpty.err().contains("no configuration is recorded"), "the real error only: " + onEmpty.err());
    }
}

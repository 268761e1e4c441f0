package io.ringfence.tools.journal;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code journal} opens a journal with the roll cycle its directory recorded (soak trial: with
 * {@code rollCycle: FIVE_MINUTELY} every dump warned three times of overriding FAST_DAILY, a roll
 * cycle nobody configured).
 */
class JournalCommandRollCycleTest {
    @TempDir
    Path dir;

    @Test
    void dumpsAJournalOfAnotherRollCycleWithoutWarnings() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of(
            "{\"type\":\"inventory\",\"time\":\"2026-01-05T10:00:00Z\",\"sku\":\"s\",\"warehouse\":\"w\",\"delta\":2}",
            "{\"type\":\"inventory\",\"time\":\"2026-01-05T10:00:01Z\",\"sku\":\"s\",\"warehouse\":\"w\",\"delta\":3}"));
        final Path config = dir.resolve("c.yaml");
        Files.writeString(config, "journal:\n  rollCycle: FIVE_MINUTELY\n");
        final Path data = dir.resolve("data");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(),
            "--out", dir.resolve("out.jsonl").toString(), "--config", config.toString());
        assertEquals(0, run.exitCode(), run.err());
        final CommandRun dump = CommandRun.ringfence("journal", "--data", data.toString());
        assertEquals(0, dump.exitCode(), dump.err());
        assertEquals(2, dump.out().lines().count(), dump.out());
        assertFalse(dump.err().contains("roll cycle") || dump.err().contains("roll length"), dump.err());
    }
}

package io.ringfence.tools.generate;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code generate}: the same seed gives the same bytes, the summary counts what was written, bad options are refused. */
class GenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheSameBytesForTheSameSeedAndSummariseWhatItWrote() throws IOException {
        final Path a = dir.resolve("a.jsonl");
        final Path b = dir.resolve("b.jsonl");
        final CommandRun first = CommandRun.ringfence("generate", "--events", "2000", "--seed", "9", "--out", a.toString());
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(0, CommandRun.ringfence("generate", "--events", "2000", "--seed", "9", "--out", b.toString()).exitCode());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));

        final List<String> lines = Files.readAllLines(a);
        assertEquals(2000, lines.size());
        final String summary = first.err();
        assertTrue(summary.startsWith("ringfence generate: 2,000 events (activity " + count(lines, "activity")
            + ", order " + count(lines, "order") + ", payment " + count(lines, "payment")
            + ", orderStatus " + count(lines, "orderStatus") + ", inventory " + count(lines, "inventory") + "), seed 9, 50,000 users"), summary);
        final String last = lines.get(lines.size() - 1);
        final String lastTime = last.substring(last.indexOf("\"time\":\"") + 8, last.indexOf('"', last.indexOf("\"time\":\"") + 8));
        assertTrue(summary.contains("event time 2026-01-05T00:00:00Z .. " + lastTime + " -> " + a), summary);
    }

    @Test
    void shouldRefuseBadOptionsNamingTheOptionAndWriteNothing() {
        final Path out = dir.resolve("bad.jsonl");
        assertRefused("--events is -1, must be 0 or more", "--events", "-1", "--out", out.toString());
        assertRefused("--users is 0, must be 1..10000000", "--events", "5", "--users", "0", "--out", out.toString());
        assertRefused("--gap-ms is 4000000.0, must be 0..3600000", "--events", "5", "--gap-ms", "4e6", "--out", out.toString());
        assertRefused("--gap-ms is NaN", "--events", "5", "--gap-ms", "NaN", "--out", out.toString());
        assertRefused("--start is 1969-12-31T23:59:59Z, must be after 1970-01-01T00:00:00Z", "--events", "5", "--start", "1969-12-31T23:59:59Z", "--out", out.toString());
        assertRefused("--start is 1970-01-01T00:00:00Z, must be after", "--events", "5", "--start", "1970-01-01T00:00:00Z", "--out", out.toString());
        assertRefused("--events 10000000 at --gap-ms 3600000.0 from --start 2026-01-05T00:00:00Z would run past 2106-02-07T06:28:15Z",
                "--events", "10000000", "--gap-ms", "3600000", "--out", out.toString());
        assertFalse(Files.exists(out), "a refused generate creates no file");
    }

    private static void assertRefused(final String message, final String... args) {
        final String[] command = new String[args.length + 1];
        command[0] = "generate";
        System.arraycopy(args, 0, command, 1, args.length);
        final CommandRun run = CommandRun.ringfence(command);
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(message), run.err());
    }

    private static long count(final List<String> lines, final String type) {
        return lines.stream().filter(l -> l.startsWith("{\"type\":\"" + type + "\"")).count();
    }
}

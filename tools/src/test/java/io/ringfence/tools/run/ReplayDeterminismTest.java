package io.ringfence.tools.run;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN §3: replaying a journal through a fresh engine gives byte-identical outputs, on a
 * 1,000,000-event generated workload (the acceptance size; {@code -Dringfence.determinism.events=N} changes it).
 */
class ReplayDeterminismTest {
    @TempDir
    Path dir;

    @Test
    void shouldReplayAGeneratedWorkloadToByteIdenticalOutputs() throws IOException, NoSuchAlgorithmException {
        final String events = System.getProperty("ringfence.determinism.events", "1000000");
        final Path input = dir.resolve("workload.jsonl");
        final Path data = dir.resolve("data");
        final Path out = dir.resolve("run.jsonl");
        final Path replayed = dir.resolve("replay.jsonl");
        assertEquals(0, CommandRun.ringfence("generate", "--events", events, "--seed", "7", "--out", input.toString()).exitCode());
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains(String.format("%,d events journaled, 0 lines rejected", Long.parseLong(events))), run.err());
        final CommandRun replay = CommandRun.ringfence("replay", "--data", data.toString(), "--out", replayed.toString());
        assertEquals(0, replay.exitCode(), replay.err());

        assertTrue(Files.size(out) > 100_000, "the workload produces plenty of window results");
        final String outputs = Files.readString(out);
        for (final String covered : new String[] {"\"type\":\"decision\"", "\"type\":\"windowResult\"",
            "\"type\":\"orderStatusPush\"", "\"type\":\"stockPush\"", "\"code\":\"INVALID_TRANSITION\""}) {
            assertTrue(outputs.contains(covered), "the compared outputs include " + covered);
        }
        assertEquals(Files.size(out), Files.size(replayed));
        assertEquals(sha256(out), sha256(replayed), "replay output differs from the run's");
    }

    private static String sha256(final Path file) throws IOException, NoSuchAlgorithmException {
        final MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}

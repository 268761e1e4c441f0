package io.ringfence.tools.server;

import io.ringfence.tools.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SRE backup trial (MEDIUM): a copy restored beside its running original, with the same absolute
 * {@code journal.archive}, placed its own (diverged) cycle file in the original's archive, and the original's archiving
 * then stopped with ERRORs. The second server is now refused at its start, naming the first. A real original server.
 */
class SharedArchiveTest {
    @TempDir
    Path dir;

    @Test
    void aSecondDataDirectoryIsRefusedTheArchiveOfARunningServer() throws Exception {
        final Path archive = Files.createDirectories(dir.resolve("archive"));
        final Path config = dir.resolve("archive.yaml");
        Files.writeString(config, "journal:\n  archive: " + archive + "\n");
        final Path original = dir.resolve("original");
        final Process p = new ProcessBuilder(ChildJvm.command("512m", "server", "--data", original.toString(), "--port", "0",
                "--warmup", "0s", "--config", config.toString())).redirectErrorStream(true).start();
        final StringBuilder seen = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("ringfence server listening on")) {
                seen.append(line).append('\n');
            }
            assertTrue(line != null, "the original did not start:\n" + seen);

            final Path restored = dir.resolve("restored");
            final Process second = new ProcessBuilder(ChildJvm.command("256m", "server", "--data", restored.toString(), "--port",
                    "0", "--warmup", "0s", "--config", config.toString())).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("second.out").toFile()).start();
            if (!second.waitFor(60, TimeUnit.SECONDS)) { // started: the defect; stopped so that the test ends
                second.destroyForcibly();
            }
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            final String said = Files.readString(dir.resolve("second.out"));
            assertEquals(1, second.exitValue(), said);
            assertTrue(said.contains("archive directory " + archive.toRealPath() + " is in use by another ringfence"
                    + " process (pid " + p.pid() + ", server, archive of " + original.toRealPath() + ", since "), said);
            assertTrue(said.contains("give each data directory its own journal.archive"), said);
            assertFalse(io.ringfence.journal.Journal.exists(restored), "refused before anything was written");
            ChildJvm.signal("TERM", p);
            while (in.readLine() != null) {
                // drained to its end
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}

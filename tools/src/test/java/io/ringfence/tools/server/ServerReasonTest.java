package io.ringfence.tools.server;

import io.ringfence.tools.io.RecordedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code server --reason}: kept in the header of the configuration a start puts in effect; a start under the same
 * settings puts none in effect, and says that its reason was not recorded rather than drop it (review LOW); a copy of
 * the directory without its recorded configuration is refused, not started under other settings. Real servers in child
 * JVMs.
 */
class ServerReasonTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheReasonOfTheStartThatPutTheSettingsInEffectAndSaysWhenOneIsNotRecorded() throws Exception {
        final Path data = dir.resolve("data");
        final String first = ShutdownSnapshotLineTest.stopAfter(data, "200", false, "--reason", "CHG-1 first start");
        assertFalse(first.contains("--reason was not recorded"), first);
        final Path recorded = data.resolve(RecordedConfig.FILE);
        assertEquals("CHG-1 first start", RecordedConfig.originOf(recorded)[1]);
        final byte[] before = Files.readAllBytes(recorded);

        final String again = ShutdownSnapshotLineTest.stopAfter(data, "100", false, "--reason", "CHG-2 same settings");
        assertTrue(again.contains("--reason was not recorded: no other configuration takes effect here (" + recorded
                + " has decided the same since sequence 1; its reason: CHG-1 first start)"), again);
        assertEquals(new String(before), Files.readString(recorded), "the file, its origin and its seal as they were");

        // SRE backup trial (HIGH): a restore without the recorded configuration started under the defaults, recorded them
        // as in effect after the journal, and replay and explain re-decided its history under them without a word
        final Path restored = dir.resolve("restored");
        io.ringfence.tools.io.Trees.copy(data, restored);
        Files.delete(restored.resolve(RecordedConfig.FILE));
        final Process p = new ProcessBuilder(io.ringfence.tools.ChildJvm.command("512m", "server", "--data", restored.toString(),
                "--port", "0", "--warmup", "0s")).redirectErrorStream(true).start();
        final String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), said);
        assertTrue(said.contains(restored + " holds a journal of 300 events but not ringfence-config.yaml, the configuration"
                + " that decided them (journal-seals.txt line ") && said.contains("Put the file back"), said);
        assertFalse(Files.exists(restored.resolve(RecordedConfig.FILE)), "nothing recorded in its place");
    }
}

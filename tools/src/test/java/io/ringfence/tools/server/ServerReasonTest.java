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
 * settings puts none in effect, and says that its reason was not recorded rather than drop it (review LOW). Real
 * servers in child JVMs.
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
    }
}

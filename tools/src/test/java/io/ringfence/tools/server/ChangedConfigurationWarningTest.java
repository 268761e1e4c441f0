package io.ringfence.tools.server;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.tools.io.RecordedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backfill trial (2026-12-06): `run --config` backfilled a directory with a deny list and an anomaly monitor, and `server`
 * started on it without --config decided under the defaults from then on without a word.
 */
class ChangedConfigurationWarningTest {
    @TempDir
    Path dir;

    @Test
    void namesTheSettingsAStartWouldChangeFromTheRecordedOnes() throws Exception {
        final Path data = Files.createDirectories(dir.resolve("backfilled"));
        final EngineConfig backfilled = EngineConfigLoader.defaults();
        backfilled.fraud.deny.users = List.of("u-bad");
        RecordedConfig.record(data, backfilled);

        final String warning = ServerCommand.changedFromRecorded(data, null, EngineConfigLoader.defaults());
        assertTrue(warning != null && warning.startsWith("ringfence server: warning: the defaults differ from the configuration"
            + " recorded in " + data.resolve(RecordedConfig.FILE)), String.valueOf(warning));
        assertTrue(warning.contains("in 1 setting") && warning.contains("  fraud.deny.users: [\"u-bad\"] -> []"), warning);
        assertTrue(warning.contains("replaying the whole journal, its archive included"), warning);

        final EngineConfig same = EngineConfigLoader.defaults();
        same.fraud.deny.users = List.of("u-bad");
        same.pipeline.waitStrategy = "sleeping"; // how it runs, not what it decides: no warning
        assertNull(ServerCommand.changedFromRecorded(data, null, same));
        assertNull(ServerCommand.changedFromRecorded(dir.resolve("fresh"), null, EngineConfigLoader.defaults()), "nothing recorded");
        // upgrade trial (LOW): a start without --config dropped journal.archive and the snapshot points, and only the deciding
        // settings were named
        same.journal.archive = "archive";
        same.snapshot.everyEvents = 25_000;
        RecordedConfig.record(data, same);
        final EngineConfig keepsLess = EngineConfigLoader.defaults();
        keepsLess.fraud.deny.users = List.of("u-bad");
        final String note = ServerCommand.changedFromRecorded(data, null, keepsLess);
        assertTrue(note != null && note.startsWith("ringfence server: note: the defaults differ from the configuration recorded in ")
                && note.contains("in how it keeps its files (journal, snapshots; not what it decides), 2 settings:\n")
                && note.contains("  journal.archive: archive -> ") && note.contains("  snapshot.everyEvents: 25000 -> "), note);
        final String both = ServerCommand.changedFromRecorded(data, null, EngineConfigLoader.defaults());
        assertTrue(both.contains("fraud.deny.users") && both.contains("\nand in how it keeps its files"), both);
    }
}

package io.ringfence.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalConfigTest {
    @TempDir
    Path dir;

    @Test
    void shouldApplyDefaults() {
        JournalConfig config = JournalConfig.of(dir);
        assertEquals(dir, config.directory());
        assertEquals("FAST_DAILY", config.rollCycle());
        assertEquals(1 << 20, config.maxPayloadBytes());
    }

    @Test
    void shouldNameDirectoryWhenMissing() {
        JournalException e = assertThrows(JournalException.class, () -> JournalConfig.builder().build());
        assertTrue(e.getMessage().contains("JournalConfig.directory"), e.getMessage());
    }

    @Test
    void shouldNameRollCycleAndValueWhenUnknown() {
        JournalException e = assertThrows(JournalException.class,
                () -> JournalConfig.builder(dir).rollCycle("FORTNIGHTLY").build());
        assertTrue(e.getMessage().contains("JournalConfig.rollCycle 'FORTNIGHTLY'"), e.getMessage());
        assertTrue(e.getMessage().contains("FAST_DAILY"), "lists the valid names: " + e.getMessage());
    }

    @Test
    void shouldAcceptTestRollCycles() {
        assertEquals("TEST_SECONDLY", JournalConfig.builder(dir).rollCycle("TEST_SECONDLY").build().rollCycle());
    }

    @Test
    void shouldNameMaxPayloadBytesWhenOutOfRange() {
        JournalException e = assertThrows(JournalException.class,
                () -> JournalConfig.builder(dir).maxPayloadBytes(-1).build());
        assertTrue(e.getMessage().contains("JournalConfig.maxPayloadBytes"), e.getMessage());
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void shouldRefuseToOpenWhenDirectoryIsAFile() throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-dir"));
        JournalException e = assertThrows(JournalException.class, () -> Journal.open(JournalConfig.of(file)));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void shouldCreateMissingDirectories() {
        Path nested = dir.resolve("a/b/journal");
        try (Journal journal = Journal.open(JournalConfig.of(nested))) {
            assertTrue(Files.isDirectory(nested));
            assertEquals(0, journal.lastSequence());
        }
    }
}

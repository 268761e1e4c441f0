package io.ringfence.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal only read (dump, replay, explain) in a directory that cannot be written, as on a
 * read-only mount or an evidence copy: read read-only, never written, never refused for it. The
 * directory's writability is injected because the suite may run as root, who writes anywhere;
 * a real read-only mount was checked by hand (docs/incident-analysis.md "Incident analysis").
 */
class JournalReadOnlyTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryRecordOfAnUnwritableDirectoryReadOnlyAndChangesNothingInIt() throws IOException {
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            Records.appendRange(journal.appender(), 1, 1_000);
        }
        final Map<String, Long> before = listing();
        try (Journal journal = Journal.open(JournalConfig.builder(dir).forReading().writableCheck(d -> false).build())) {
            assertTrue(journal.readOnly());
            assertEquals(1, journal.firstSequence());
            assertEquals(1_000, journal.lastSequence());
            final Records.Capture capture;
            try (JournalReader reader = journal.reader()) {
                capture = Records.readAll(reader);
            }
            assertEquals(1_000, capture.records.size());
            for (int i = 0; i < 1_000; i++) {
                assertEquals(i + 1, capture.records.get(i).sequence());
                capture.records.get(i).assertMatchesGenerated();
            }
            final JournalException refused = assertThrows(JournalException.class, journal::appender);
            assertTrue(refused.getMessage().contains("opened read-only"), refused.getMessage());
        }
        assertEquals(before, listing(), "no file created, grown or touched");
    }

    @Test
    void opensAWritableDirectoryForReadingAsBefore() {
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            Records.appendRange(journal.appender(), 1, 10);
        }
        try (Journal journal = Journal.open(JournalConfig.builder(dir).forReading().build())) {
            assertFalse(journal.readOnly(), "only a directory that cannot be written is read read-only");
            assertEquals(10, journal.lastSequence());
        }
    }

    @Test
    void refusesAnUnwritableDirectoryWithoutAJournalAndAWriterOnAnUnwritableOne() throws IOException {
        final JournalException empty = assertThrows(JournalException.class,
            () -> Journal.open(JournalConfig.builder(dir).forReading().writableCheck(d -> false).build()));
        assertTrue(empty.getMessage().contains("is not writable and holds no journal"), empty.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing created");
        }
        final JournalException writer = assertThrows(JournalException.class,
            () -> Journal.open(JournalConfig.builder(dir).writableCheck(d -> false).build()));
        assertTrue(writer.getMessage().endsWith("is not writable"), writer.getMessage());
    }

    @Test
    void readsACopyWhoseWriteBitsAreClearedReadOnlyEvenForRoot() throws IOException {
        try (Journal journal = Journal.open(JournalConfig.of(dir))) {
            Records.appendRange(journal.appender(), 1, 100);
        }
        final Map<String, Long> before = listing();
        final java.util.Set<java.nio.file.attribute.PosixFilePermission> readOnly =
            java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x");
        final java.util.Set<java.nio.file.attribute.PosixFilePermission> readOnlyFile =
            java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--");
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(f, readOnlyFile);
            }
        }
        Files.setPosixFilePermissions(dir, readOnly);
        try (Journal journal = Journal.open(JournalConfig.builder(dir).forReading().build())) {
            assertTrue(journal.readOnly(), "chmod -R a-w means read-only, also when root could write");
            assertEquals(100, journal.lastSequence());
        } finally {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertEquals(before, listing(), "nothing changed");
    }

    private Map<String, Long> listing() throws IOException {
        final Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(dir)) {
            for (final Path p : (Iterable<Path>) paths::iterator) {
                files.put(p.getFileName().toString() + " " + Files.size(p), Files.getLastModifiedTime(p).toMillis());
            }
        }
        return files;
    }
}

package io.ringfence.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator audit: cycle files moved away from a stopped server's journal. The newest missing left a journal 28,763 of
 * 60,000 events long that a server continued (sequences given out again), the oldest missing one read from 28,764 on; both
 * without a word. Both are refused, naming what is missing and what to do, by writers and readers alike; a journal that
 * does not start at sequence 1 is refused even without the list of the files its writer wrote.
 */
class JournalMissingCycleFileTest {
    @TempDir
    Path dir;

    private final SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000L * 1_000_000L);

    private JournalConfig config(final boolean reading) {
        final JournalConfig.Builder b = JournalConfig.builder(dir).rollCycle("TEST_SECONDLY").timeProvider(clock);
        return (reading ? b.forReading() : b).build();
    }

    /** Sequences 1..5, 6..12 and 13..16 in three cycle files; returns them oldest first. */
    private List<Path> threeCycles() throws IOException {
        try (Journal journal = Journal.open(config(false))) {
            Records.appendInThreeCycles(journal.appender(), clock);
        }
        clock.advanceMillis(1_000);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".cq4")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theNewestCycleFileMissingIsRefusedUntilTheMetadataIsDeleted() throws IOException {
        final List<Path> files = threeCycles();
        final Path away = Files.createTempDirectory("ringfence-away-");
        Files.move(files.get(2), away.resolve(files.get(2).getFileName()));
        for (final boolean reading : new boolean[] {false, true}) {
            final JournalException e = assertThrows(JournalException.class, () -> Journal.open(config(reading)).close());
            assertTrue(e.getMessage().contains("its cycle file " + files.get(2).getFileName() + " is missing: the journal's"
                + " writer wrote it") && e.getMessage().contains("put it back"), e.getMessage());
        }
        Files.delete(dir.resolve(Journal.CYCLE_LIST)); // the operator takes the loss, as the message says
        try (Journal journal = Journal.open(config(false))) {
            assertEquals(12, journal.lastSequence());
        }
        Files.delete(away.resolve(files.get(2).getFileName()));
        Files.delete(away);
    }

    @Test
    void theOldestCycleFileMissingIsRefused() throws IOException {
        final List<Path> files = threeCycles();
        Files.delete(files.get(0));
        final JournalException e = assertThrows(JournalException.class, () -> Journal.open(config(true)).close());
        assertTrue(e.getMessage().contains("its cycle file " + files.get(0).getFileName() + " is missing"), e.getMessage());
        Files.delete(dir.resolve(Journal.CYCLE_LIST)); // without the list: the journal still starts at 6
        final JournalException again = assertThrows(JournalException.class, () -> Journal.open(config(true)).close());
        assertTrue(again.getMessage().contains("it starts at sequence 6, not 1: the cycle files holding sequences 1..5 are"
            + " missing"), again.getMessage());
    }
}

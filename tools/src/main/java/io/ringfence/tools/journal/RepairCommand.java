package io.ringfence.tools.journal;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.journal.DataDirectoryLock;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalAppender;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalCorruptException;
import io.ringfence.journal.JournalReader;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.io.RecordedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code repair}: drops a journal's torn last record (a write cut by a power loss or a full disk),
 * so that a server can append again. The complete records are copied, byte for byte with their
 * sequences, ingest times and client sequences, into a new journal that replaces the old one; the
 * old files are kept in {@code DIR/damaged-TIME/}. Damage in the middle is never repaired (events
 * after it would be lost): the command refuses and names it.
 *
 * <p>The swap of the two sets of files is announced by {@link Journal#REPAIR_MARKER} in the
 * directory, which stops any writer from starting on a half-swapped directory.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Drops a journal's torn last record, so that a server can append again.",
                "",
                "A write cut by a power loss leaves a last record that does not verify, and a",
                "server refuses to append after it. The complete records of --data are kept",
                "exactly; the old journal files are moved to DIR/damaged-TIME/. Damage before",
                "the last record is not repaired. No server may be running on --data."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:repaired, or nothing to repair", "1:not repaired (damage in the middle, a server running, I/O)",
                "2:bad usage or no journal in --data"})
public final class RepairCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "data directory holding the journal")
    Path data;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(data)) {
            System.err.println("ringfence repair: " + data + ": no such data directory");
            return RingfenceMain.EXIT_USAGE;
        }
        try (DataDirectoryLock writing = DataDirectoryLock.acquire(data, "repair")) {
            if (Files.exists(data.resolve(Journal.REPAIR_MARKER))) {
                System.err.println("ringfence repair: " + data.resolve(Journal.REPAIR_MARKER) + " exists: an earlier repair"
                        + " stopped while swapping the journal files; it says which files are where: finish or undo the"
                        + " move by hand, then delete it");
                return RingfenceMain.EXIT_FAILURE;
            }
            final EngineConfig config = RecordedConfig.load(data, null);
            final String stamp = STAMP.format(Instant.now());
            final Path fresh = data.resolve(".repair-" + stamp);
            final long kept;
            final String dropped;
            try (Journal old = Journal.open(journalConfig(config, data))) {
                final long last = old.lastSequence();
                final JournalCorruptException torn = old.tornTail();
                if (torn == null) {
                    verify(old); // damage in the middle is named, not called sound
                    System.out.printf("ringfence repair: nothing to repair: every record of the journal in %s verifies"
                            + " (sequences 1..%,d)%n", data, last);
                    return RingfenceMain.EXIT_OK;
                }
                if (last > 0 && old.firstSequence() != 1) {
                    System.err.println("ringfence repair: the journal starts at sequence " + old.firstSequence() + ", not 1: not repaired");
                    return RingfenceMain.EXIT_FAILURE;
                }
                dropped = torn.getMessage();
                try {
                    kept = copy(old, last, fresh, config);
                } catch (final RuntimeException e) {
                    deleteTree(fresh); // the old journal is untouched
                    throw e;
                }
            }
            swap(fresh, data.resolve("damaged-" + stamp));
            System.out.printf("ringfence repair: dropped the torn last record (%s)%n  kept %,d events, sequences 1..%,d,"
                    + " byte for byte; the old journal files are in %s%n", dropped, kept, kept, data.resolve("damaged-" + stamp));
            return RingfenceMain.EXIT_OK;
        } catch (final JournalCorruptException e) {
            System.err.println("ringfence repair: not repaired: the journal is damaged before its last record, and dropping"
                    + " that record would lose the events after it: " + e.getMessage());
            return RingfenceMain.EXIT_FAILURE;
        }
    }

    /** Reads every record; a damaged one throws {@link JournalCorruptException}. */
    private static void verify(final Journal journal) {
        try (JournalReader reader = journal.reader()) {
            while (reader.next((seq, ingest, source, clientSeq, payload, offset, length) -> { })) {
                // to the end
            }
        }
    }

    private static JournalConfig journalConfig(final EngineConfig config, final Path dir) {
        return config.journal.toJournalConfig(dir, config.input.maxEventBytes);
    }

    /** Copies records 1..last into a new journal in {@code to}; throws if one before the last does not verify. */
    private static long copy(final Journal old, final long last, final Path to, final EngineConfig config) {
        long n = 0;
        try (Journal fresh = Journal.open(journalConfig(config, to)); JournalReader reader = old.reader()) {
            final JournalAppender appender = fresh.appender();
            if (last > 0) {
                reader.seek(1);
                while (reader.next(appender::append)) {
                    n++;
                }
            }
            if (n != last || fresh.lastSequence() != last) {
                throw new IllegalStateException("copied " + n + " records into " + to + " but the journal's last complete"
                        + " one is " + last + ": not repaired (the old journal is untouched)");
            }
        }
        return n;
    }

    /**
     * Moves the old journal files to {@code aside} and the new ones in, under the marker: a crash in
     * between leaves a directory no writer starts on (the marker says what to finish).
     */
    private void swap(final Path fresh, final Path aside) throws IOException {
        final Path marker = data.resolve(Journal.REPAIR_MARKER);
        Files.writeString(marker, "repair in progress: the old journal files go to " + aside + ", the repaired ones come"
                + " from " + fresh + " (files *.cq4, *.cq4t)\n");
        Files.createDirectories(aside);
        for (final Path f : journalFiles(data)) {
            Files.move(f, aside.resolve(f.getFileName()));
        }
        for (final Path f : journalFiles(fresh)) {
            Files.move(f, data.resolve(f.getFileName()));
        }
        try (Stream<Path> rest = Files.list(fresh)) {
            for (final Path f : (Iterable<Path>) rest::iterator) {
                Files.delete(f); // its lock file
            }
        }
        Files.delete(fresh);
        Files.delete(marker);
    }

    private static void deleteTree(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (final Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<Path> journalFiles(final Path dir) throws IOException {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (final Path f : (Iterable<Path>) list::iterator) {
                final String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && (name.endsWith(".cq4") || name.endsWith(".cq4t"))) {
                    files.add(f);
                }
            }
        }
        return files;
    }
}

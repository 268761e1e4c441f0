package io.ringfence.tools.journal;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.journal.DataDirectoryLock;
import io.ringfence.journal.Journal;
import io.ringfence.journal.JournalAppender;
import io.ringfence.journal.JournalConfig;
import io.ringfence.journal.JournalCorruptException;
import io.ringfence.journal.JournalException;
import io.ringfence.journal.JournalReader;
import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.io.RecordedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
            System.err.println("ringfence repair: " + data + (java.nio.file.Files.exists(data) ? ": not a directory (--data names the data directory a run or server wrote)" : ": no such data directory"));
            return RingfenceMain.EXIT_USAGE;
        }
        if (!Journal.exists(data) && !Files.exists(data.resolve(Journal.REPAIR_MARKER))) {
            System.err.println("ringfence repair: " + data + " holds no journal (no .cq4 file): nothing was changed");
            return RingfenceMain.EXIT_USAGE;
        }
        try (DataDirectoryLock writing = DataDirectoryLock.acquire(data, "repair")) {
            if (Files.exists(data.resolve(Journal.REPAIR_MARKER))) {
                System.err.println("ringfence repair: " + data.resolve(Journal.REPAIR_MARKER) + " exists: an earlier repair"
                        + " stopped while swapping the journal files; it says which files are where: finish or undo the"
                        + " move by hand, then delete it");
                return RingfenceMain.EXIT_FAILURE;
            }
            removeLeftoverCopies(data);
            final EngineConfig config = RecordedConfig.load(data, null, false);
            final String stamp = STAMP.format(Instant.now());
            final Path fresh = data.resolve(".repair-" + stamp);
            final long kept;
            final long skip;
            final String dropped;
            // for reading: a last cycle file without a header is read around (appending after it is refused), then set aside
            try (Journal old = Journal.open(JournalConfig.builder(data).rollCycle(config.journal.rollCycle)
                    .maxPayloadBytes(JournalConfig.MAX_PAYLOAD_BYTES_LIMIT).forReading().build())) {
                // the files moved to the archive are not copied back: the repaired journal continues them, as the old did
                final io.ringfence.journal.ArchivedCycles archived = io.ringfence.journal.ArchivedCycles.of(data);
                skip = archived.movedThrough();
                old.requireFrom(skip + 1, "repair");
                JournalCorruptException torn = old.tornTail(); // first: it reads the tail in full (zeroed index pages too)
                final long last = torn != null ? torn.sequence() - 1 : old.lastSequence();
                if (torn == null) {
                    torn = verify(old); // damage in the middle is named, not called sound
                }
                if (torn == null) {
                    System.out.printf("ringfence repair: nothing to repair: every record of the journal in %s verifies"
                            + " (sequences 1..%,d%s)%n", data, last, skip > 0 ? String.format(", 1..%,d of them in its archive", skip) : "");
                    return RingfenceMain.EXIT_OK;
                }
                if (last > 0 && old.firstSequence() > skip + 1) {
                    System.err.println("ringfence repair: the journal starts at sequence " + old.firstSequence() + ", not 1: not repaired");
                    return RingfenceMain.EXIT_FAILURE;
                }
                final JournalCorruptException unreadable = old.unreadableTail(); // a headerless file after a torn record
                dropped = torn.getMessage() + (unreadable != null && unreadable != torn ? "; and " + unreadable.getMessage() : "");
                try {
                    // in the roll cycle the journal keeps, whatever is configured: the archived files and the new ones are read
                    // as one journal (review: a repaired directory's files and its archive's could not be read together)
                    config.journal.rollCycle = old.rollCycle();
                    if (skip > 0) {
                        Files.createDirectories(fresh);
                        archived.copyMovedTo(fresh); // before the copy opens it: it appends from skip + 1
                    }
                    kept = copy(old, skip, last, fresh, config);
                } catch (final RuntimeException | Error e) {
                    io.ringfence.tools.io.Trees.delete(fresh); // the old journal is untouched
                    throw e;
                }
            }
            try {
                swap(fresh, data.resolve("damaged-" + stamp));
            } catch (final IOException e) {
                System.err.println("ringfence repair: the swap of the journal files stopped: " + e + "; "
                        + data.resolve(Journal.REPAIR_MARKER) + " lists every file and where it goes");
                return RingfenceMain.EXIT_FAILURE;
            }
            System.out.printf("ringfence repair: dropped the journal's damaged end (%s)%n  %s; the old journal files, the"
                    + " damaged end's included, are now in %s%n", dropped, kept == 0 ? "kept no event (the journal held no"
                    + " complete record before the damage)" : String.format("kept %,d events, sequences %,d..%,d, byte for byte",
                    kept, skip + 1, skip + kept) + (skip > 0 ? String.format(" (1..%,d stay in the journal's archive)", skip) : ""),
                    data.resolve("damaged-" + stamp));
            return RingfenceMain.EXIT_OK;
        } catch (final JournalCorruptException e) {
            System.err.println("ringfence repair: not repaired: the journal is damaged before its last record, and dropping"
                    + " that record would lose the events after it: " + e.getMessage()
                    + "\n  next: restore the journal from a backup or a replica; meanwhile `ringfence journal --skip-damaged`"
                    + " dumps every record that still verifies, and a server that starts from a snapshot after the damage"
                    + " goes on appending, but `replay` and `explain` of this journal stop at the damage");
            return RingfenceMain.EXIT_FAILURE;
        } catch (final JournalException | IllegalStateException | UncheckedIOException | Error e) {
            System.err.println("ringfence repair: not repaired (the journal in " + data + " is as it was): " + e.getMessage());
            return RingfenceMain.EXIT_FAILURE;
        }
    }

    /**
     * Deletes the {@code .repair-TIME} copies an earlier repair left when it was stopped before its swap (operator
     * trial: a killed repair left a 30 MB hidden copy of the journal that no later repair removed or mentioned). With
     * no {@link Journal#REPAIR_MARKER} (checked before) no swap had begun, so such a copy is not the journal.
     */
    private static void removeLeftoverCopies(final Path data) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(data)) {
            for (final Path copy : files.filter(p -> p.getFileName().toString().startsWith(".repair-") && Files.isDirectory(p)).toList()) {
                io.ringfence.tools.io.Trees.delete(copy);
                System.out.println("ringfence repair: removed " + copy + ", the copy an earlier repair left when it was stopped"
                        + " before swapping it in (the journal was not changed by it)");
            }
        }
    }

    /**
     * Reads every record; a damaged one throws {@link JournalCorruptException}. Returns what ends
     * the journal if it is not a complete record (an unfinished write), else null.
     */
    private static JournalCorruptException verify(final Journal journal) {
        try (JournalReader reader = journal.reader()) {
            while (reader.next((seq, ingest, source, clientSeq, payload, offset, length) -> { })) {
                // to the end
            }
            return reader.checkEnd();
        }
    }

    private static JournalConfig journalConfig(final EngineConfig config, final Path dir) {
        // the largest record any configuration could have journaled: an older, larger record must copy too
        return config.journal.toJournalConfig(dir, JournalConfig.MAX_PAYLOAD_BYTES_LIMIT, false);
    }

    /**
     * Copies records {@code skip + 1..last} into a new journal in {@code to} (the ones before are in the archive);
     * throws if one before the last does not verify.
     */
    private static long copy(final Journal old, final long skip, final long last, final Path to, final EngineConfig config) {
        long n = 0;
        try (Journal fresh = Journal.open(journalConfig(config, to)); JournalReader reader = old.reader()) {
            final JournalAppender appender = fresh.appender();
            if (last > skip) {
                reader.seek(skip + 1);
                while (reader.next(appender::append)) {
                    n++;
                }
            }
            if (n != last - skip || fresh.lastSequence() != last && last > skip) {
                throw new IllegalStateException("copied " + n + " records into " + to + " but the journal's last complete"
                        + " one is " + last + ": not repaired (the old journal is untouched)");
            }
        }
        forceFiles(to); // on disk before the old files move: the repair must survive the power loss it repairs after
        return n;
    }

    private static void forceFiles(final Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
            }
            forceDirectory(dir);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot force " + dir + " to disk: " + e, e);
        }
    }

    private static void forceDirectory(final Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Moves the old journal files to {@code aside} and the new ones in, under the marker (which
     * lists every file and its destination, and stops writers and readers alike): a crash in
     * between leaves a directory nothing opens, and the marker says what to finish.
     */
    private void swap(final Path fresh, final Path aside) throws IOException {
        final Path marker = data.resolve(Journal.REPAIR_MARKER);
        final List<Path> olds = Journal.files(data);
        final List<Path> news = Journal.files(fresh);
        final StringBuilder plan = new StringBuilder("ringfence repair is swapping the journal files of " + data
                + ". If this file is still here, it stopped midway; to finish by hand:\n");
        for (final Path f : olds) {
            plan.append("  old ").append(f).append(" -> ").append(aside.resolve(f.getFileName())).append('\n');
        }
        for (final Path f : news) {
            plan.append("  new ").append(f).append(" -> ").append(data.resolve(f.getFileName())).append('\n');
        }
        plan.append("then delete this file. The old files are the journal as it was, torn last record included.\n");
        Files.writeString(marker, plan);
        try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        forceDirectory(data);
        Files.createDirectories(aside);
        for (final Path f : olds) {
            Files.move(f, aside.resolve(f.getFileName()));
        }
        forceDirectory(aside);
        for (final Path f : news) {
            Files.move(f, data.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(data);
        io.ringfence.tools.io.Trees.delete(fresh); // its lock file
        Files.delete(marker);
        forceDirectory(data);
    }

}

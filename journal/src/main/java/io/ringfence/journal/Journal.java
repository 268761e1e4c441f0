package io.ringfence.journal;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A sequenced, append-only log of opaque records on Chronicle Queue, one excerpt per record
 * (layout in {@link JournalRecordDescriptor}). It knows nothing about what the payloads mean.
 *
 * <p>Sequences start at 1 and are contiguous. There is one writer ({@link #appender()}, used by one thread)
 * and any number of independent {@link #reader() readers} on any threads; readers also see records
 * appended by another process on the same directory. Only one process may append to a directory, and
 * only one journal in it: {@link #claimWriter} (taken by {@link #appender()} at the latest) holds the
 * directory's {@link DataDirectoryLock} until {@link #close()}.
 *
 * <p>Durability: an appended record is in the memory-mapped file and survives a crash of this process;
 * surviving an OS crash or power loss needs the pages synced to disk, which this class does not do.
 */
public final class Journal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final JournalConfig config;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer probeTailer;
    private final SequenceLocator probe;
    private final Set<JournalReader> readers = new LinkedHashSet<>();
    /** Present in a data directory while {@code repair} swaps its journal files: no writer starts then. */
    public static final String REPAIR_MARKER = "REPAIR-IN-PROGRESS";
    /** Directories (real paths) with an appending journal in this JVM. */
    private static final Set<Path> APPENDING = new java.util.HashSet<>();
    private DataDirectoryLock writerLock;
    /** The lock of the snapshot directory, held with the writer's; or null. */
    private DataDirectoryLock snapshotLock;
    private Path writerKey;
    private ChronicleJournalAppender appender;
    private PeriodicSync periodicSync;
    private volatile DiskSpaceGuard diskGuard; // read by the admin endpoint (diskFreeBytes)
    private volatile CycleFileWatch fileWatch;
    private JournalPretoucher pretoucher;
    private volatile JournalArchiver archiver; // read by the admin endpoint (archivedFiles)
    private volatile JournalSealer sealer; // read by the archiver's caller and the admin endpoint
    /** Releases this reader's hold on the directory's files ({@link JournalReaders}), or null. */
    private Runnable readerHold;
    private volatile boolean closed;
    /** Opened read-only ({@link JournalConfig.Builder#forReading()} on a directory that cannot be written). */
    private final boolean readOnly;
    /** The view Chronicle reads instead of the directory (its last cycle file has no header), or null. */
    private final JournalView view;
    /** What ends a journal read through {@link #view}: its unreadable last cycle file; or null. */
    private volatile JournalCorruptException unreadableTail;
    /** Chronicle's metadata file, which a read-only open needs to find. */
    private static final String METADATA_FILE = "metadata.cq4t";
    /** The cycle files the writer wrote, one name a line, added as it moves to each ({@link #refuseMissingCycleFiles}). */
    public static final String CYCLE_LIST = "journal-cycles.txt";

    private Journal(JournalConfig config, SingleChronicleQueue queue, boolean readOnly, JournalView view) {
        this.config = config;
        this.view = view;
        this.readOnly = readOnly;
        this.queue = queue;
        this.probeTailer = queue.createTailer();
        this.probeTailer.singleThreadedCheckDisabled(true);
        this.probe = new SequenceLocator(queue, probeTailer, config.directory());
    }

    /**
     * Opens (creating if needed) the journal in {@code config.directory()}.
     *
     * @throws JournalException if the directory cannot be created or used, or its last record is unreadable
     */
    public static Journal open(JournalConfig config) {
        if (config == null) {
            throw new JournalException("Journal.open: config is required but was null");
        }
        // a reader holds the directory's cycle files against the archiver's deletes from before it lists them
        final Runnable hold = config.forReading() && Files.isDirectory(config.directory())
                ? JournalReaders.share(config.directory()) : null;
        try {
            final Journal journal = openFiles(config);
            journal.readerHold = hold;
            return journal;
        } catch (final RuntimeException e) {
            if (hold != null) {
                hold.run();
            }
            throw e;
        }
    }

    private static Journal openFiles(final JournalConfig config) {
        Path directory = config.directory();
        if (Files.exists(directory.resolve(REPAIR_MARKER))) {
            throw new JournalException("journal " + directory + " is not opened: " + REPAIR_MARKER + " there says a"
                    + " `ringfence repair` is swapping its journal files, or stopped while doing so; that file says which"
                    + " files are where");
        }
        // a journal that is only read, in a directory that cannot be written (a read-only mount, evidence): opened read-only
        final boolean readOnly = config.forReading() && Files.isDirectory(directory)
                && (!config.writable(directory) || files(directory).stream().anyMatch(f -> !config.writable(f)));
        if (readOnly) {
            if (!exists(directory) || !Files.isRegularFile(directory.resolve(METADATA_FILE))) {
                throw new JournalException("journal directory " + directory.toAbsolutePath() + " is not writable and holds no"
                        + " journal to read (no .cq4 cycle file and " + METADATA_FILE + ")");
            }
            LOG.info("journal directory {} (or a file of its journal) is not writable: reading it read-only", directory);
        } else {
            prepareDirectory(directory, config);
            if (!config.forReading() && config.archiveDirectory() != null) {
                checkArchiveDirectory(config.archiveDirectory(), config.archiveMadeInParent(), directory);
                JournalReaders.prepare(directory);
            }
        }
        // a .cq4 file whose name is no cycle (a backup copy, old.cq4): Chronicle would fail on it with "Unable to parse"
        // naming neither the file nor what to do (operator trial)
        for (final Path f : files(directory)) {
            final String name = f.getFileName().toString();
            if (name.endsWith(".cq4") && !JournalConfig.isCycleName(name.substring(0, name.length() - 4))) {
                throw new JournalException("cannot open journal " + directory + ": " + f + " is not a cycle file of a journal"
                        + " (its name is not a date of any roll cycle, e.g. 20261205F.cq4): a copy or another program's file;"
                        + " move it out of the data directory (a journal's directory holds its cycle files and "
                        + METADATA_FILE + " only)");
            }
        }
        final ArchivedCycles archived = ArchivedCycles.of(directory);
        refuseMissingCycleFiles(directory, archived);
        // every cycle file's header, before Chronicle opens any: it waits forever on a file without one
        final CycleFileHeaders.Inspection headers = CycleFileHeaders.inspect(directory);
        if (headers.middle() != null) {
            final boolean first = files(directory).stream().filter(f -> f.getFileName().toString().endsWith(".cq4"))
                    .map(Path::getFileName).map(Path::toString).sorted().findFirst()
                    .map(n -> n.equals(String.valueOf(headers.middle().file().getFileName()))).orElse(false);
            throw new JournalException("cannot read journal " + directory + ": its cycle file " + headers.middle()
                    + ", and later cycle files follow it: damage in the middle of the journal, never skipped; " + (first
                    ? "it is the first cycle file, so no file before it is intact: if it is not this journal's (a file put"
                    + " there, dated before the journal's first day), move that file alone out of the directory; if it is,"
                    + " restore it from a backup or a replica (moving it and the files after it would leave no journal)"
                    : "the cycle files before it are intact: restore that file from a backup or a replica, or move it and every"
                    + " cycle file after it out of the directory to read the journal up to the file before it"));
        }
        final List<Path> fromArchive = archivedToRead(directory, config, readOnly, archived);
        final JournalView view = !headers.tail().isEmpty() ? viewWithoutTail(directory, config, readOnly, headers, fromArchive)
                : fromArchive.isEmpty() ? null : JournalView.of(concat(fromArchive, filesEndingWith(directory, ".cq4")));
        SingleChronicleQueue queue;
        try {
            queue = SingleChronicleQueueBuilder.binary(view != null ? view.directory() : directory)
                    .rollCycle(config.chronicleRollCycle())
                    .timeProvider(config.timeProvider())
                    .syncMode(config.sync() == JournalSync.BATCH ? SyncMode.SYNC : SyncMode.NONE)
                    .readOnly(readOnly)
                    .build();
        } catch (RuntimeException e) {
            if (view != null) {
                view.close();
            }
            throw new JournalException("cannot open Chronicle queue in journal directory " + directory
                    + ": " + e, e);
        }
        Journal journal = null;
        try {
            journal = new Journal(config, queue, readOnly, view);
            if (readOnly) {
                refuseCutFiles(queue, directory);
            }
            if (queue.rollCycle() != config.chronicleRollCycle()) {
                LOG.warn("journal {} was created with roll cycle {}; configured {} is ignored",
                        directory, queue.rollCycle(), config.rollCycle());
            }
            long last = journal.lastSequence();
            long first = journal.firstSequence();
            if (last > 0 && first != 1 && first > archived.through() + 1) {
                // operator audit: the first cycle files moved away left a journal read from 28,764 on, exit 0, no word, and
                // `replay` gave 4,369 outputs other than those answered
                throw new JournalException("cannot read journal " + directory + ": it starts at sequence " + first + ", not 1:"
                        + " the cycle files holding sequences 1.." + (first - 1) + " are missing (moved or deleted); a journal"
                        + " is read, moved and copied whole: put them back"
                        + (archived.isEmpty() ? "" : " (" + archived.path() + " records the files archived, sequences 1.."
                        + archived.through() + ")"));
            }
            if (first > 1) {
                LOG.info("journal {}: sequences 1..{} are in its archive ({}), not in the directory", directory, first - 1,
                        archived.path());
            }
            if (!headers.tail().isEmpty()) {
                final CycleFileHeaders.Unreadable lost = headers.tail().get(0);
                journal.unreadableTail = new JournalCorruptException("the journal's last cycle file " + lost
                        + (headers.tail().size() > 1 ? " (and " + (headers.tail().size() - 1) + " more after it)" : "")
                        + "; it holds no readable record: the journal is readable up to sequence " + last
                        + " (`ringfence repair` sets the file aside)", last + 1, -1, lost.file().toFile());
            }
            LOG.info("opened journal {} (roll cycle {}): sequences {}..{}", directory, queue.rollCycle(), first, last);
            JournalCorruptException torn = journal.tornTail();
            if (torn != null) {
                // info, not warn: whoever reads to the end says it once (commands on stderr, a writer refuses to append)
                LOG.info("{}", torn.getMessage());
            }
            if (config.sync() == JournalSync.PERIODIC && !config.forReading()) { // a reader has nothing to force
                journal.periodicSync = new PeriodicSync(directory, config.syncIntervalMillis());
            }
            if (config.sealEveryMillis() > 0 && !config.forReading() && !readOnly) {
                journal.sealer = JournalSealer.start(journal, config);
            }
            return journal;
        } catch (RuntimeException e) {
            if (journal != null) {
                journal.close();
            } else {
                queue.close();
                if (view != null) {
                    view.close();
                }
            }
            throw e instanceof JournalException ? e
                    : new JournalException("cannot read journal in " + directory + ": " + e, e);
        }
    }

    /**
     * The journal's archived cycle files alone ({@link ArchivedCycles}), read through a view: for a writer's start that
     * must replay events before its directory's first (a changed configuration re-decides the whole history; a start
     * whose snapshots after the archived range do not verify). Null when nothing is archived.
     *
     * @throws JournalException when an archived file is not where the record says, naming it and what to do
     */
    public static Journal openArchive(final JournalConfig config) {
        final Path directory = config.directory();
        final List<ArchivedCycles.Entry> moved = ArchivedCycles.of(directory).entries().stream()
                .filter(e -> !Files.exists(directory.resolve(e.name()))).toList();
        if (moved.isEmpty()) {
            return null;
        }
        for (final ArchivedCycles.Entry e : moved) {
            if (!Files.isRegularFile(e.file())) {
                throw new JournalException("journal " + directory + ": its events " + moved.get(0).firstSequence() + ".."
                        + moved.get(moved.size() - 1).lastSequence() + " are needed from its archive, but the archived cycle"
                        + " file " + e.name() + " is not at " + e.file() + " (" + directory.resolve(ArchivedCycles.FILE)
                        + " says it was moved there): mount or copy the archive there, or move the archived files back into "
                        + directory + " (the record lets them be there)");
            }
        }
        final JournalView view = JournalView.of(moved.stream().map(ArchivedCycles.Entry::file).toList());
        final SingleChronicleQueue queue;
        try {
            queue = SingleChronicleQueueBuilder.binary(view.directory()).rollCycle(config.chronicleRollCycle())
                    .timeProvider(config.timeProvider()).build();
        } catch (final RuntimeException e) {
            view.close();
            throw new JournalException("cannot open the archived cycle files of journal " + directory + ": " + e, e);
        }
        final Journal archive = new Journal(JournalConfig.builder(directory).rollCycle(config.rollCycle()).forReading().build(),
                queue, false, view);
        try {
            if (archive.firstSequence() != 1) {
                throw new JournalException("the archived cycle files of journal " + directory + " start at sequence "
                        + archive.firstSequence() + ", not 1 (" + directory.resolve(ArchivedCycles.FILE) + ")");
            }
        } catch (final RuntimeException e) {
            archive.close();
            throw e;
        }
        return archive;
    }

    /**
     * A view without the cycle files at the end that have no readable header, for a journal that is only read; a
     * writer is refused (appending after such a file would bury it mid-journal), as is a read-only directory (where
     * Chronicle reads its own listing of cycles, the unreadable one included).
     */
    private static JournalView viewWithoutTail(final Path directory, final JournalConfig config, final boolean readOnly,
                                               final CycleFileHeaders.Inspection headers, final List<Path> fromArchive) {
        final String what = "its last cycle file " + headers.tail().get(0) + (headers.tail().size() > 1
                ? " (and " + (headers.tail().size() - 1) + " more after it)" : "");
        if (!config.forReading()) {
            throw new JournalException("cannot append to journal " + directory + ": " + what + "; appending after it"
                    + " would bury it mid-journal (`ringfence repair --data " + directory + "` sets it aside, nothing is"
                    + " deleted, and keeps every record before it)");
        }
        if (readOnly) {
            throw new JournalException("cannot read journal " + directory + " in place: " + what + ", and the directory"
                    + " cannot be written, so Chronicle would wait for that header forever: copy the data directory to a"
                    + " writable place and read it there (the records before that file read; `ringfence repair` there"
                    + " sets the file aside)");
        }
        LOG.warn("journal {}: {}; reading the cycle files before it", directory, what);
        return JournalView.of(concat(fromArchive, headers.readable()));
    }

    private static List<Path> concat(final List<Path> a, final List<Path> b) {
        final List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The archived cycle files a reader reads before the directory's own ({@link ArchivedCycles}): every one recorded
     * and no longer in the directory, when all of them are where the record says; none for a writer (it appends after
     * the directory's files and reads the archive only for a start that needs it, {@link #openArchive}), and none with
     * a WARN when some are not there (the journal then reads from the directory's first file).
     */
    private static List<Path> archivedToRead(final Path directory, final JournalConfig config, final boolean readOnly,
                                             final ArchivedCycles archived) {
        if (!config.forReading() || archived.isEmpty()) {
            return List.of();
        }
        final List<ArchivedCycles.Entry> moved = archived.entries().stream()
                .filter(e -> !Files.exists(directory.resolve(e.name()))).toList();
        if (moved.isEmpty()) {
            return List.of();
        }
        final List<ArchivedCycles.Entry> absent = moved.stream().filter(e -> !Files.isRegularFile(e.file())).toList();
        final String range = "sequences 1.." + archived.through();
        if (!absent.isEmpty()) {
            LOG.warn("journal {}: {} of its archived cycle files are not where {} says ({}{}): the journal is read from the"
                    + " directory's first file, without {} (mount or copy the archive there to read them)", directory,
                    absent.size(), archived.path(), absent.get(0).file(), absent.size() > 1 ? ", ..." : "", range);
            return List.of();
        }
        if (readOnly) {
            LOG.warn("journal {}: the directory cannot be written, so its archived cycle files ({}) are not read with it;"
                    + " copy the directory to a writable place to read them", directory, range);
            return List.of();
        }
        return moved.stream().map(ArchivedCycles.Entry::file).toList();
    }

    /**
     * Refuses a journal missing a cycle file its writer wrote: {@value #CYCLE_LIST} lists each file as the writer moves to it
     * (operator audit: with the newest of two cycle files moved away a stopped server recovered 28,763 of 60,000 events, set
     * the snapshots beyond aside as foreign, gave out sequences from 28,764 again and wrote them into a new file of the
     * missing one's name; `journal` dumped the rest, exit 0, no word). A directory with no cycle file at all is left to
     * the start's own check (snapshots beside an empty journal).
     */
    private static void refuseMissingCycleFiles(final Path directory, final ArchivedCycles archived) {
        for (final Path f : filesEndingWith(directory, CycleFileRescue.RESCUED_SUFFIX)) {
            // operator audit: a server started on the other file with the rescued copy beside it, 283 answered events missing
            final String name = f.getFileName().toString();
            throw new JournalException("cannot read journal " + directory + ": " + f + " is the copy of a cycle file that was"
                    + " replaced under a running server (it holds what the server wrote): put it in place of "
                    + name.substring(0, name.length() - CycleFileRescue.RESCUED_SUFFIX.length()) + " (move the file there now"
                    + " aside first), or move it out of the data directory if that file is the journal's own");
        }
        final Path list = directory.resolve(CYCLE_LIST);
        if (!Files.isRegularFile(list)) {
            return; // a journal of a build before the list, or none written yet
        }
        final List<String> missing = new ArrayList<>();
        boolean any = false;
        try {
            for (final String name : new LinkedHashSet<>(Files.readAllLines(list))) {
                if (name.isBlank()) {
                    continue;
                }
                if (Files.exists(directory.resolve(name.trim()))) {
                    any = true;
                } else if (!archived.archived(name.trim())) {
                    missing.add(name.trim());
                }
            }
        } catch (final IOException | RuntimeException e) {
            LOG.warn("cannot read {} ({}): the journal's cycle files are not checked against it", list, e.toString());
            return;
        }
        if (!missing.isEmpty() && any) {
            throw new JournalException("cannot read journal " + directory + ": " + (missing.size() == 1 ? "its cycle file "
                    + missing.get(0) + " is" : missing.size() + " of its cycle files (" + String.join(", ", missing) + ") are")
                    + " missing: the journal's writer wrote " + (missing.size() == 1 ? "it" : "them") + " (" + list + " lists"
                    + " each file it wrote), so the events in " + (missing.size() == 1 ? "it" : "them") + " are not there (moved"
                    + " or deleted); a journal is read, moved and copied whole: put " + (missing.size() == 1 ? "it" : "them")
                    + " back. If they are lost for good, delete " + list + " to take the journal as its files are (a server then"
                    + " sets aside the snapshots beyond its end and gives out the missing sequences again)");
        }
    }

    /**
     * Refuses a read-only journal with a cycle file shorter than its header says (cut short: a copy or a disk that ran
     * out): such a file is mapped read-only, and reading past its end would crash the JVM (SIGBUS).
     */
    private static void refuseCutFiles(final SingleChronicleQueue queue, final Path directory) {
        final int first = queue.firstCycle();
        final int last = queue.lastCycle();
        if (last < 0 || first > last) {
            return;
        }
        for (final Long cycle : queue.listCyclesBetween(first, last)) {
            final var store = queue.storeForCycle(cycle.intValue(), queue.epoch(), false, null);
            if (store == null) {
                continue;
            }
            final long writePosition;
            final java.io.File file;
            try {
                writePosition = store.writePosition();
                file = store.file();
            } finally {
                queue.closeStore(store);
            }
            if (file == null) {
                continue;
            }
            final long needed = ChronicleExcerpts.endOfExcerptAt(file, writePosition);
            if (needed > file.length()) {
                throw new JournalException("cannot read journal " + directory + " in place: its cycle file " + file + " is "
                        + file.length() + " bytes long but its header says it holds data up to byte " + needed + ": the"
                        + " file was cut short (a copy or a disk that ran out, or damage); the directory cannot be written,"
                        + " so the file is mapped read-only and reading past its end would crash: copy the data directory"
                        + " to a writable place and read it there (the records before the cut read; `ringfence repair`"
                        + " there keeps them)");
            }
        }
    }

    /**
     * Says at the start, not at the first snapshot, when the archive cannot take files: archiving is housekeeping, so the
     * journal opens (an archive disk mounted later is used then), but the data directory keeps growing until it can.
     */
    private static void checkArchiveDirectory(final Path archive, final boolean madeInParent, final Path directory) {
        final String problem = JournalArchiver.unusable(archive, madeInParent);
        if (problem != null) {
            LOG.warn("journal {}: {}; old cycle files stay in the data directory until it can take them (each snapshot tries"
                    + " again)", directory, problem);
        }
    }

    private static void prepareDirectory(Path directory, JournalConfig config) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new JournalException("journal directory " + directory.toAbsolutePath()
                    + " exists but is not a directory");
        }
        try {
            PrivateDirectories.create(directory);
        } catch (IOException | RuntimeException e) {
            throw new JournalException("cannot create journal directory " + directory.toAbsolutePath() + ": " + e, e);
        }
        if (!config.writable(directory)) {
            throw new JournalException("journal directory " + directory.toAbsolutePath() + " is not writable");
        }
    }

    /**
     * Whether {@code directory} holds journal files at all (a {@code .cq4} cycle file), checked
     * without opening it: opening creates Chronicle's metadata file in the directory.
     */
    public static boolean exists(final Path directory) {
        return files(directory).stream().anyMatch(f -> f.getFileName().toString().endsWith(".cq4"));
    }

    /**
     * The journal's files in {@code directory}: Chronicle's cycle files ({@code *.cq4}) and its
     * metadata ({@code *.cq4t}), by name; empty when there is no such directory. What {@code run
     * --fresh} deletes and {@code repair} swaps.
     */
    private static List<Path> filesEndingWith(final Path directory, final String suffix) {
        final List<Path> found = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().forEach(found::add);
        } catch (final IOException e) {
            return found; // listed again, with a message, by the checks after
        }
        return found;
    }

    public static List<Path> files(final Path directory) {
        final List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            files.filter(f -> {
                final String name = f.getFileName().toString();
                return (name.endsWith(".cq4") || name.endsWith(".cq4t") || name.equals(CYCLE_LIST)
                        || name.equals(ArchivedCycles.FILE)) && Files.isRegularFile(f);
            }).sorted().forEach(found::add);
        } catch (IOException e) {
            throw new JournalException("cannot list journal directory " + directory + ": " + e, e);
        }
        return found;
    }

    /** Sequence of the last complete record, 0 when the journal is empty. */
    public synchronized long lastSequence() {
        ensureOpen();
        return probe.lastSequence();
    }

    /** Sequence of the first record, 0 when the journal is empty (or holds only a damaged last record). */
    public synchronized long firstSequence() {
        ensureOpen();
        return probe.lastSequence() == 0 ? 0 : probe.firstSequence();
    }

    /**
     * Refuses a replay that must start at {@code sequence} when the journal, as opened, begins after it: its first events
     * were moved to the archive ({@link ArchivedCycles}) and the archive was not readable here (a WARN at open said
     * why). A replay from there would decide from a state that lacks them.
     *
     * @param what the command or step, for the message
     */
    public synchronized void requireFrom(final long sequence, final String what) {
        final long first = firstSequence();
        if (first > 1 && sequence < first) {
            throw new JournalException(what + " needs the journal's events from sequence " + sequence + ", but the journal in "
                    + config.directory() + " begins at " + first + " here: events 1.." + (first - 1) + " were moved to its"
                    + " archive (" + config.directory().resolve(ArchivedCycles.FILE) + " says where), which cannot be read"
                    + " (see the warning above): mount or copy the archive there, or move the archived files back into the"
                    + " data directory");
        }
    }

    /**
     * The journal's last record when it does not verify (a tail cut mid-write), as of the last look at the
     * end ({@link #lastSequence()}, {@link #open}); null when the journal ends in a complete record. Such a
     * journal reads up to the record before; it cannot be appended to (see {@link #appender()}).
     */
    public synchronized JournalCorruptException tornTail() {
        ensureOpen();
        probe.lastSequence(true);
        return probe.tornTail() != null ? probe.tornTail() : unreadableTail;
    }

    /**
     * The journal's last cycle file(s) without a readable header, read around (see {@link #open}); null when none. Also
     * when the last readable file ends in a damaged record, which {@link #tornTail()} names first.
     */
    public JournalCorruptException unreadableTail() {
        return unreadableTail;
    }

    /** Whether the excerpt at {@code chronicleIndex} is the journal's damaged last record (looks again). */
    synchronized boolean isTornTail(long chronicleIndex) {
        ensureOpen();
        probe.lastSequence(true);
        return probe.tornTail() != null && probe.tornTailIndex() == chronicleIndex;
    }

    /**
     * Checks, without claiming the directory, that a writer could append to this journal: what a server checks before
     * its warm-up, so that a damaged end is reported at once rather than after it.
     *
     * @throws JournalException as {@link #appender()} would for a damaged end, or for a journal opened only to be read
     */
    public synchronized void checkAppendable() {
        ensureOpen();
        if (readOnly || view != null) {
            throw new JournalException("journal " + config.directory() + " was opened only to be read: no writer can append to it");
        }
        refuseTornTail();
    }

    /**
     * The journal's last cycle file (the newest *.cq4 by name: Chronicle names them by cycle), watched from the appender's
     * creation: a restarted writer goes on writing it in its cycle, and until this process appends it was not watched
     * (review: a restarted, quiet server's file deleted then was gone for good, and a shutdown snapshot covered it).
     */
    private void watchLastFile(final AppendPosition position) {
        try (java.util.stream.Stream<Path> files = Files.list(config.directory())) {
            files.filter(p -> p.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX) && Files.isRegularFile(p))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString()))
                    .ifPresent(last -> {
                        final Object key = CycleFileWatch.keyOf(last);
                        if (key != null && key != CycleFileWatch.UNKNOWN) {
                            position.lastFile(last.toFile(), key);
                        }
                    });
        } catch (final IOException e) {
            LOG.debug("cannot list {} for its last cycle file: {}", config.directory(), e.toString());
        }
    }

    /** @throws JournalException if the journal ends in a damaged record: appending after it would bury the damage mid-journal */
    private void refuseTornTail() {
        probe.lastSequence(true);
        JournalCorruptException torn = probe.tornTail();
        if (torn != null) {
            throw new JournalException("cannot append to journal " + config.directory() + ": it ends in a damaged"
                    + " record, and appending after it would bury the damage mid-journal (`ringfence repair --data "
                    + config.directory() + "` drops it and keeps every complete record); " + torn.getMessage(), torn);
        }
    }

    /**
     * The journal's single appender (the same instance on every call), to be used by one thread.
     * Its next expected sequence is {@code lastSequence() + 1} as of the first call.
     *
     * @throws JournalException if the journal ends in a damaged record ({@link #tornTail()}): appending
     *                                 after it would leave that damage in the middle of the journal
     */
    public synchronized JournalAppender appender() {
        ensureOpen();
        if (appender == null) {
            claimWriter("journal writer");
            long last = probe.lastSequence();
            refuseTornTail();
            final AppendPosition position = new AppendPosition();
            if (config.minFreeBytes() > 0) {
                diskGuard = new DiskSpaceGuard(config.usableBytes(), config.minFreeBytes());
                if (diskGuard.low()) {
                    final JournalException full = ChronicleJournalAppender.diskLow(config.directory().toString(), last + 1,
                            diskGuard);
                    diskGuard.close();
                    diskGuard = null;
                    throw full;
                }
            }
            try {
                watchLastFile(position);
                fileWatch = new CycleFileWatch(position);
                // an empty directory whose earlier files are all in the archive (a repaired one) goes on after them
                final long next = last > 0 ? last + 1 : ArchivedCycles.of(config.directory()).through() + 1;
                appender = new ChronicleJournalAppender(queue, config, next, position, diskGuard, fileWatch);
            } catch (RuntimeException e) {
                if (diskGuard != null) {
                    diskGuard.close();
                    diskGuard = null;
                }
                if (fileWatch != null) {
                    fileWatch.close();
                    fileWatch = null;
                }
                throw e;
            }
            if (config.pretouch()) {
                pretoucher = new JournalPretoucher(position, config.pretouchAheadBytes(), config.pretouchIntervalMillis());
            }
        }
        return appender;
    }

    /**
     * Makes this journal its directory's one writer, before anything is written there (the engine
     * calls it right after opening, so recovery's snapshots are covered too); idempotent.
     *
     * @param purpose what this process is, for the message a second writer gets (e.g. "server")
     * @throws JournalException if another process writes the directory ({@link DataDirectoryLock}: holder named),
     *                          the journal ends in a damaged record (checked once the lock is held: no appending after it),
     *                          or another journal of this process appends to it
     */
    public synchronized void claimWriter(final String purpose) {
        ensureOpen();
        if (writerLock != null) {
            return;
        }
        if (readOnly || view != null) {
            throw new JournalException("journal " + config.directory() + " was opened " + (readOnly ? "read-only (its"
                    + " directory cannot be written)" : "for reading through a view of its cycle files (without an unreadable last one, or with its archived ones)")
                    + ": no "
                    + purpose + " can append to it");
        }
        final DataDirectoryLock lock = DataDirectoryLock.acquire(config.directory(), purpose);
        if (Files.exists(config.directory().resolve(REPAIR_MARKER))) {
            lock.close();
            throw new JournalException("journal " + config.directory() + " is not written: " + REPAIR_MARKER + " there says a"
                    + " `ringfence repair` stopped while swapping the journal files; see that file");
        }
        try {
            refuseTornTail(); // with the lock held, so no other writer's record is half-written: fail before recovery's replay
        } catch (JournalException e) {
            lock.close();
            throw e;
        }
        final Path key;
        try {
            key = config.directory().toRealPath();
        } catch (IOException e) {
            lock.close();
            throw new JournalException("cannot resolve journal directory " + config.directory() + ": " + e, e);
        }
        synchronized (APPENDING) {
            if (!APPENDING.add(key)) {
                lock.close();
                throw new JournalException("journal " + config.directory() + " already has a writer in this process:"
                        + " only one journal may append to a directory (close the other first)");
            }
        }
        writerLock = lock;
        writerKey = key;
    }

    /**
     * Claims, for this journal's writer, the directory its snapshots are written to
     * ({@link DataDirectoryLock#acquireSnapshotDirectory}); released on {@link #close()}. Call after
     * {@link #claimWriter}.
     */
    public synchronized void claimSnapshotDirectory(final Path directory, final String purpose) {
        ensureOpen();
        if (writerLock == null) {
            throw new IllegalStateException("claimWriter first: the snapshot directory is claimed for the journal's writer");
        }
        if (snapshotLock == null) {
            snapshotLock = DataDirectoryLock.acquireSnapshotDirectory(config.directory(), directory, purpose);
        }
    }

    /** The temporary view Chronicle reads instead of the directory (its last cycle file has no header), or null. */
    Path viewDirectory() {
        return view == null ? null : view.directory();
    }

    /** The pretoucher of the appending journal, or null (not appending yet, or {@code pretouch} off). */
    JournalPretoucher pretoucher() {
        return pretoucher;
    }

    /** A new reader positioned at the first record; the caller closes it (or closing the journal does). */
    public synchronized JournalReader reader() {
        ensureOpen();
        JournalReader reader = new JournalReader(this, queue);
        readers.add(reader);
        return reader;
    }

    /**
     * The {@link RecordFingerprint} of the record at {@code sequence}, or {@link RecordFingerprint#NONE}
     * when the journal does not hold it (or it does not read back). Reads with a reader of its own;
     * any thread.
     */
    public long recordFingerprint(final long sequence) {
        final long[] found = {RecordFingerprint.NONE};
        readRecord(sequence, "its fingerprint", (seq, ingest, source, clientSeq, payload, offset, length) ->
                found[0] = RecordFingerprint.of(seq, ingest, source, clientSeq, payload, offset, length));
        return found[0];
    }

    /**
     * The journaled ingest time, in epoch milliseconds, of the record with {@code sequence}, or {@code Long.MIN_VALUE}
     * when it cannot be read: the time a snapshot of that sequence counts in for its retention's periods.
     */
    public long ingestTimeMillis(final long sequence) {
        final long[] found = {Long.MIN_VALUE};
        readRecord(sequence, "its ingest time", (seq, ingest, source, clientSeq, payload, offset, length) ->
                found[0] = Math.floorDiv(ingest, 1_000L));
        return found[0];
    }

    /** Hands the record with {@code sequence} to {@code handler}, from the directory or the archive; logs why not. */
    private void readRecord(final long sequence, final String purpose, final JournalRecordHandler handler) {
        if (sequence < 1) {
            return;
        }
        if (archiveHolds(sequence)) {
            // a snapshot taken while a start replayed the archive (or one whose record went there): read it there
            try (Journal archive = openArchive(config)) {
                if (archive != null) {
                    archive.readRecord(sequence, purpose, handler);
                }
            } catch (final JournalException e) {
                LOG.warn("cannot read journal record {} in the journal's archive for {}: {}", sequence, purpose, e.getMessage());
            }
            return;
        }
        try (JournalReader reader = reader()) {
            if (reader.seek(sequence)) {
                reader.next((seq, ingest, source, clientSeq, payload, offset, length) -> {
                    if (seq == sequence) {
                        handler.onRecord(seq, ingest, source, clientSeq, payload, offset, length);
                    }
                });
            }
        } catch (JournalException e) {
            LOG.warn("cannot read journal record {} for {}: {}", sequence, purpose, e.getMessage());
        }
    }

    /** Whether {@code sequence} is before this journal's first, in files moved to its archive. */
    private synchronized boolean archiveHolds(final long sequence) {
        final long first = firstSequence();
        return first > 1 && sequence < first && view == null;
    }

    /**
     * The roll cycle the journal was created with and keeps (a configured other one is ignored), by the name a
     * configuration gives it ({@code FAST_DAILY}).
     */
    /**
     * The cycle file the writer was writing when it was found deleted, moved or replaced ({@code CycleFileWatch}), or null
     * while it is in place (or nothing appends). Any thread: the admin endpoint's health check.
     */
    public java.io.File lostFile() {
        final CycleFileWatch watch = fileWatch;
        return watch == null ? null : watch.lost();
    }

    /**
     * Free bytes of the journal's file system as the writer's disk guard last read them (every 100 ms), or -1 when nothing
     * appends, the reserve is off ({@code journal.minFreeMiB: 0}) or the last look failed. Any thread: the admin endpoint.
     */
    public long diskFreeBytes() {
        final DiskSpaceGuard guard = diskGuard;
        final long free = guard == null ? -1 : guard.free();
        return free == Long.MAX_VALUE ? -1 : free;
    }

    /** The free-disk reserve below which appends are refused ({@code journal.minFreeMiB}), in bytes. */
    public long diskReserveBytes() {
        return config.minFreeBytes();
    }

    public String rollCycle() {
        final net.openhft.chronicle.queue.RollCycle cycle = queue.rollCycle();
        return cycle instanceof Enum<?> named ? named.name() : cycle.toString();
    }

    /** The journal's data directory. */
    public Path directory() {
        return config.directory();
    }

    /** Whether this journal was opened read-only (see {@link JournalConfig.Builder#forReading()}). */
    public boolean readOnly() {
        return readOnly;
    }

    public JournalConfig config() {
        return config;
    }

    /** Closes the archiver, the sealer (sealing what is left), the appender, every reader still open, and the queue. Idempotent. */
    @Override
    public void close() {
        final JournalArchiver a;
        final JournalSealer s;
        synchronized (this) {
            a = archiver;
            archiver = null;
            s = sealer;
            sealer = null;
        }
        if (a != null) {
            a.close(); // outside the monitor: its thread reads the cycle files through this journal
        }
        if (s != null && !closed) {
            try {
                s.close(); // likewise; the last appends sealed
            } catch (final RuntimeException e) {
                LOG.error("journal {}: the last seal was not written: {}", config.directory(), e.toString());
            }
        }
        closeQueue();
    }

    private synchronized void closeQueue() {
        if (closed) {
            return;
        }
        closed = true;
        if (fileWatch != null) {
            fileWatch.look(); // a file deleted since the watch last looked (up to 100 ms ago): the last chance to copy it back
        }
        if (appender != null && appender.rescuePending()) {
            // a file deleted under a quiet server (no append came to refuse): copied back before the descriptors holding it close
            LOG.error("journal file {} was deleted, moved or replaced while the server wrote it; {}", fileWatch.lost(),
                appender.rescueIfLost());
        }
        List<JournalReader> open = new ArrayList<>(readers);
        readers.clear();
        for (JournalReader reader : open) {
            reader.closeFromJournal();
        }
        try {
            if (periodicSync != null) {
                periodicSync.close();
            }
            if (pretoucher != null) {
                pretoucher.close();
            }
            if (appender != null) {
                appender.close();
            }
            probeTailer.close();
            queue.close();
        } finally {
            if (view != null) {
                view.close();
            }
            if (diskGuard != null) {
                diskGuard.close();
                diskGuard = null; // diskFreeBytes() says -1 once closed
            }
            if (fileWatch != null) {
                fileWatch.close();
            }
            if (snapshotLock != null) {
                snapshotLock.close();
            }
            if (readerHold != null) {
                readerHold.run();
            }
            if (writerLock != null) {
                synchronized (APPENDING) {
                    APPENDING.remove(writerKey);
                }
                writerLock.close(); // last: nothing of this journal writes the directory any more
            }
        }
    }

    /** A cycle file of the journal's directory and the sequence of its first record (-1 when it holds none). */
    record CycleSpan(Path file, long firstSequence) {
    }

    /** The cycle files in the journal's directory, oldest first (the last is the writer's). */
    synchronized List<CycleSpan> cycleSpans() {
        ensureOpen();
        final List<CycleSpan> spans = new ArrayList<>();
        for (final long cycle : probe.cycles()) {
            final var store = queue.storeForCycle((int) cycle, queue.epoch(), false, null);
            if (store == null) {
                continue;
            }
            final java.io.File file;
            try {
                file = store.file();
            } finally {
                queue.closeStore(store);
            }
            spans.add(new CycleSpan(JournalView.original(file).toPath(), probe.firstSequenceOfCycle((int) cycle)));
        }
        return spans;
    }

    /** Has Chronicle list the directory's cycle files again (after the archiver moved some out). */
    synchronized void refreshCycleListing() {
        ensureOpen();
        queue.refreshDirectoryListing();
    }

    /**
     * Moves, in the background, the cycle files whose records all are at or before {@code sequence} (never the last) to
     * the {@link JournalConfig#archiveDirectory() archive}: the writer's caller says the oldest snapshot it keeps, so the
     * directory keeps what a start from any kept snapshot replays. Nothing when no archive is configured.
     */
    public void archiveThrough(final long sequence) {
        final JournalArchiver a;
        synchronized (this) {
            if (closed || config.archiveDirectory() == null || readOnly || config.forReading()) { // closed: the next start archives
                return;
            }
            if (archiver == null) {
                // never a file the sealer has not read: the writer does not read its archive, and its chain would stop there;
                // nor the file the sealer's reader is still in (its last sealed record the file's last): deleted under it,
                // Chronicle logged an ERROR ("the current cycle seems to have been deleted from under the queue", review
                // 2026-12-07); a record sealed after the file's last one puts it in the next. The sealer wakes the archiver
                // after each seal ({@link #sealed})
                archiver = new JournalArchiver(this, config.directory(), config.archiveDirectory(), config.archiveMadeInParent(), () -> {
                    final JournalSealer s = sealer;
                    return s == null ? Long.MAX_VALUE : s.sealedThrough() - 1;
                });
            }
            a = archiver;
        }
        a.requestThrough(sequence);
    }

    /** The sealer sealed more: the archiver may move files it held back. */
    void sealed() {
        final JournalArchiver a = archiver;
        if (a != null) {
            a.wake();
        }
    }

    /** The last sequence the writer's seals cover, or -1 when it does not seal. Any thread: the admin endpoint. */
    public long sealedThrough() {
        final JournalSealer s = sealer;
        return s == null ? -1 : s.sealedThrough();
    }

    /** Sealing passes of this process that failed. Any thread: the admin endpoint. */
    public long sealFailures() {
        final JournalSealer s = sealer;
        return s == null ? 0 : s.failures();
    }

    /** Cycle files this process moved to the archive (0 without one). Any thread: the admin endpoint. */
    public long archivedFiles() {
        final JournalArchiver a = archiver;
        return a == null ? 0 : a.moved();
    }

    /** Archiving passes of this process that failed; the data directory keeps those files. Any thread. */
    public long archiveFailures() {
        final JournalArchiver a = archiver;
        return a == null ? 0 : a.failures();
    }

    /** The same, now and on the caller's thread (tests; a command that archives); how many files were moved. */
    public int archiveNow(final long sequence) {
        if (config.archiveDirectory() == null) {
            throw new JournalException("journal " + config.directory() + " has no archive directory configured");
        }
        try (JournalArchiver once = new JournalArchiver(this, config.directory(), config.archiveDirectory(),
                config.archiveMadeInParent(), () -> Long.MAX_VALUE)) {
            return once.archiveThrough(sequence); // closed: the archive's lock it took is let go (review)
        }
    }

    synchronized void readerClosed(JournalReader reader) {
        readers.remove(reader);
    }

    void ensureOpen() {
        if (closed) {
            throw new JournalException("journal " + config.directory() + " is closed");
        }
    }
}

package io.ringfence.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves the writer's old cycle files to the archive directory ({@link JournalConfig#archiveDirectory()}) on a thread
 * of its own, so that a journal's directory holds what recovery and recent incident replays need, not its whole
 * history. Asked with a sequence (the oldest snapshot kept), it moves every cycle file whose records all precede or
 * equal it, never the writer's current (last) file.
 *
 * <p>A file is placed in the archive whole first (a hard link on the same file system, else a copy forced to disk,
 * under a temporary name renamed when complete), then recorded in {@link ArchivedCycles}, then deleted from the data
 * directory: a crash at any point leaves every event readable in one place or both. A file of that name already in
 * the archive with other content stops the archiving (another journal's archive): nothing is overwritten.
 */
final class JournalArchiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalArchiver.class);
    private static final String TEMPORARY = ".part";

    private final Journal journal;
    private final Path dataDirectory;
    private final Path archiveDirectory;
    /** {@link JournalConfig#archiveMadeInParent()}: the archive directory is made when its parent exists. */
    private final boolean madeInParent;
    private final AtomicLong requested = new AtomicLong();
    private final java.util.function.LongSupplier limit;
    private final Object lock = new Object();
    private Thread thread;
    private boolean closed;
    /** The sequence the last pass archived through; read by the thread only. */
    private long done;
    private volatile String stopped;
    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** The archive directory's lock, held for this journal from the first file placed there until {@link #close}. */
    private DataDirectoryLock archiveLock;

    JournalArchiver(final Journal journal, final Path dataDirectory, final Path archiveDirectory) {
        this(journal, dataDirectory, archiveDirectory, false, () -> Long.MAX_VALUE);
    }

    /**
     * @param limit the last sequence it may archive through whatever is asked: the sealer's, which reads the journal in
     *              the directory only ({@link #wake} when it moves on)
     */
    JournalArchiver(final Journal journal, final Path dataDirectory, final Path archiveDirectory, final boolean madeInParent,
                    final java.util.function.LongSupplier limit) {
        this.madeInParent = madeInParent;
        this.limit = limit;
        this.journal = journal;
        this.dataDirectory = dataDirectory;
        this.archiveDirectory = archiveDirectory;
    }

    /** Asks for every cycle file whose records all are at or before {@code sequence} to be archived, in the background. */
    void requestThrough(final long sequence) {
        requested.accumulateAndGet(sequence, Math::max);
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (thread == null) {
                thread = new Thread(this::run, "ringfence-journal-archiver");
                thread.setDaemon(true);
                thread.start();
            }
            lock.notifyAll();
        }
    }

    private void run() {
        while (true) {
            final long through;
            synchronized (lock) {
                while (!closed && Math.min(requested.get(), limit.getAsLong()) <= done) {
                    try {
                        lock.wait();
                    } catch (final InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                through = Math.min(requested.get(), limit.getAsLong());
            }
            try {
                archiveThrough(through);
            } catch (final RuntimeException e) {
                failures.incrementAndGet();
                LOG.error("journal {}: cycle files could not be archived to {} ({}); they stay in the data directory and the next"
                        + " snapshot tries again", dataDirectory, archiveDirectory, e.getMessage());
            }
            done = through;
        }
    }

    /**
     * Archives, now and on this thread, every cycle file (but the last) whose records are all at or before
     * {@code sequence}.
     *
     * @return how many files were moved
     */
    int archiveThrough(final long sequence) {
        if (stopped != null) {
            throw new JournalException("archiving stopped: " + stopped); // each snapshot says so again (and counts it)
        }
        final List<Journal.CycleSpan> spans = journal.cycleSpans();
        int count = 0;
        final ArchivedCycles archived = ArchivedCycles.of(dataDirectory);
        long after = archived.through(); // the last sequence of the files before the first span
        for (int i = 0; i + 1 < spans.size(); i++) {
            final Journal.CycleSpan span = spans.get(i);
            final long next = spans.get(i + 1).firstSequence();
            if (next < 0) {
                break; // an empty file after it: its end is not known from here; the next pass sees further
            }
            final long first = span.firstSequence() < 0 ? next : span.firstSequence();
            final long last = next - 1;
            if (last > sequence || closedNow()) {
                break;
            }
            if (last <= after && archived.archived(span.file().getFileName().toString())) {
                finishRecorded(span.file(), archived); // a crash came between its record and its delete
                count++;
                continue;
            }
            if (first != after + 1) {
                LOG.warn("journal {}: {} starts at sequence {}, not {} after the archived files: archiving stops here",
                        dataDirectory, span.file().getFileName(), first, after + 1);
                break;
            }
            try {
                archive(span.file(), first, last);
            } catch (final IOException e) {
                throw new JournalException("cannot move " + span.file() + " to " + archiveDirectory + ": " + e, e);
            }
            after = last;
            count++;
            moved.incrementAndGet();
        }
        if (count > 0) {
            journal.refreshCycleListing();
        }
        return count;
    }

    /**
     * Why {@code archive} cannot take files, or null. It is never created here: a directory on an archive disk that is
     * not mounted would be created on the disk below, which it was meant to relieve, and hidden once the disk is mounted.
     */
    static String unusable(final Path archive) {
        return unusable(archive, false);
    }

    /**
     * The same; with {@code madeInParent} ({@link JournalConfig#archiveMadeInParent()}) a missing {@code archive} is
     * made when its parent, the configured archive, exists and can be written (it is then on the archive's disk), and
     * the problems named are the parent's.
     */
    static String unusable(final Path archive, final boolean madeInParent) {
        if (madeInParent && !Files.isDirectory(archive)) {
            final String parent = unusable(archive.getParent(), false);
            if (parent != null) {
                return parent;
            }
            try {
                PrivateDirectories.createOne(archive);
            } catch (final IOException e) {
                if (!Files.isDirectory(archive)) { // another thread of this process made it meanwhile
                    return "its archive directory " + archive + " cannot be made in " + archive.getParent() + ": " + e;
                }
            }
            return null;
        }
        if (!Files.isDirectory(archive)) {
            return "its archive directory " + archive + " (journal.archive) does not exist: create it (ringfence does not, so"
                    + " that an archive disk that is not mounted is not filled in its place)";
        }
        if (!Files.isWritable(archive)) {
            return "its archive directory " + archive + " (journal.archive) cannot be written";
        }
        return null;
    }

    private void archive(final Path file, final long first, final long last) throws IOException {
        final String problem = unusable(archiveDirectory, madeInParent);
        if (problem != null) {
            throw new JournalException(problem);
        }
        claimArchive();
        final String name = file.getFileName().toString();
        final Path target = archiveDirectory.resolve(name);
        if (Files.exists(target)) {
            if (!sameContent(file, target)) {
                stopped = target + " is another file than the data directory's " + name;
                LOG.error("journal {}: the archive {} already holds a {} with other content (another journal's archive?):"
                        + " archiving stops, nothing is overwritten; give this journal an archive directory of its own",
                        dataDirectory, archiveDirectory, name);
                throw new JournalException(stopped);
            }
            // placed there by a pass a crash stopped before its record or its delete
        } else {
            place(file, target);
        }
        ArchivedCycles.append(dataDirectory, new ArchivedCycles.Entry(name, first, last, target), madeInParent);
        if (deleteUnlessRead(file)) {
            LOG.info("journal {}: cycle file {} (sequences {}..{}) archived to {}", dataDirectory, name, first, last, target);
        }
    }

    /**
     * Makes this journal the archive directory's one writer before it places a file there (a server took it at its start
     * when the directory existed then; this hold is one more of the same JVM's). Another data directory's writer holding
     * it fails the pass, naming that writer (each would place its own files under the other's names); the next pass
     * tries again.
     */
    private synchronized void claimArchive() {
        if (archiveLock == null) {
            archiveLock = DataDirectoryLock.acquireArchiveDirectory(dataDirectory, archiveDirectory, "journal archiver");
        }
    }

    /** Deletes an archived file from the data directory unless a reader has it open (it is then deleted at a later pass). */
    private boolean deleteUnlessRead(final Path file) throws IOException {
        if (JournalReaders.whileNoReader(dataDirectory, () -> Files.delete(file))) {
            ArchivedCycles.forceDirectory(dataDirectory);
            return true;
        }
        LOG.info("journal {}: cycle file {} is in the archive and recorded, and stays in the data directory too while a"
                + " reader ({}) has the journal open: deleted at a later pass", dataDirectory, file.getFileName(), JournalReaders.FILE);
        return false;
    }

    private void finishRecorded(final Path file, final ArchivedCycles archived) {
        final String name = file.getFileName().toString();
        final Path target = archived.entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow().file();
        try {
            if (!Files.isRegularFile(target) || !sameContent(file, target)) {
                throw new JournalException(file + " is recorded as archived to " + target + ", which is not there or differs:"
                        + " it is kept in the data directory");
            }
            if (deleteUnlessRead(file)) {
                LOG.info("journal {}: cycle file {} was archived to {} before; deleted from the data directory now",
                        dataDirectory, name, target);
            }
        } catch (final IOException e) {
            throw new JournalException("cannot finish archiving " + file + ": " + e, e);
        }
    }

    /** Puts a complete copy of {@code file} at {@code target}: linked, or copied and forced, then renamed. */
    private static void place(final Path file, final Path target) throws IOException {
        final Path part = target.resolveSibling(target.getFileName() + TEMPORARY);
        Files.deleteIfExists(part);
        try {
            Files.createLink(part, file);
        } catch (final IOException | UnsupportedOperationException e) { // another file system, or no hard links
            copySparse(file, part);
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (final FileAlreadyExistsException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        ArchivedCycles.forceDirectory(target.getParent());
    }

    /** Size of the blocks {@link #copySparse} writes or leaves as holes. */
    static final int BLOCK = 64 * 1024;

    /**
     * Copies {@code from} to a new {@code to}, forced to disk, leaving its all-zero blocks as holes: a cycle file is
     * sparse (Chronicle sizes it at its nominal length, 80 MiB, and writes what it holds), and a plain copy wrote every
     * byte (trial: 120 files of ~1 MB of events took 9,120 MB of the archive; a quiet hour's file 80 MiB).
     *
     * @return the bytes written (the blocks holding data)
     */
    static long copySparse(final Path from, final Path to) throws IOException {
        long written = 0;
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE)) {
            final long size = in.size();
            final java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(BLOCK);
            for (long at = 0; at < size; at += BLOCK) {
                block.clear();
                while (block.hasRemaining() && in.read(block, at + block.position()) > 0) {
                    // the whole block, or to the end of the file
                }
                block.flip();
                if (allZero(block)) {
                    continue; // a hole: not written
                }
                while (block.hasRemaining()) {
                    written += out.write(block, at + block.position());
                }
            }
            if (out.size() < size) {
                out.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1); // a trailing hole: a last zero byte sets the length
            }
            out.force(true);
        }
        return written;
    }

    private static boolean allZero(final java.nio.ByteBuffer block) {
        final byte[] bytes = block.array();
        final int end = block.limit();
        for (int i = 0; i < end; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameContent(final Path a, final Path b) throws IOException {
        return Files.size(a) == Files.size(b) && Files.mismatch(a, b) < 0;
    }

    private boolean closedNow() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Cycle files moved to the archive so far. */
    long moved() {
        return moved.get();
    }

    /** Background passes that failed (the archive missing, unwritable, full, or holding another journal's file). */
    long failures() {
        return failures.get();
    }

    /** Why archiving stopped for good, or null. */
    String stopped() {
        return stopped;
    }

    /** Looks again at what it may archive: the {@code limit} moved on. */
    void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Stops the thread; a file being copied is finished first (up to a minute). */
    @Override
    public void close() {
        final Thread t;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            t = thread;
        }
        if (t != null) {
            try {
                t.join(60_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (archiveLock != null) {
                archiveLock.close();
                archiveLock = null;
            }
        }
    }
}

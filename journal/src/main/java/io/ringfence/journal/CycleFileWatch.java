package io.ringfence.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Notices that the journal file being written was deleted or replaced under the server. The journal
 * is a memory-mapped file: after an {@code rm} of it the writer goes on storing into the unlinked
 * file, every append returns and its event is answered, and all of it vanishes when the process
 * ends (a restart then finds that roll cycle's events gone). A background thread
 * ({@code rf-journal-file}) looks at the writer's current file every {@value #EVERY_MILLIS} ms and
 * compares its file key (device and inode) with the one the writer saw as it moved to it; once the file is gone or
 * another, {@link #lost()} names it, and the appender refuses every later append (one volatile read
 * per append) after copying what it wrote back ({@link CycleFileRescue}).
 */
final class CycleFileWatch implements AutoCloseable {
    static final long EVERY_MILLIS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(CycleFileWatch.class);
    /** {@link #keyOf} could not tell. */
    static final Object UNKNOWN = new Object();

    private final AppendPosition writer;
    private final Thread thread;
    private Object key;
    private volatile File lost;
    private volatile boolean closed;

    CycleFileWatch(final AppendPosition writer) {
        this.writer = writer;
        this.thread = new Thread(this::run, "rf-journal-file");
        thread.setDaemon(true);
        thread.start();
    }

    /** The file the writer was writing when it was found deleted or replaced, or null while it is there. Any thread. */
    File lost() {
        return lost;
    }

    /** The key {@link #lost()} had while it was in place (null if unknown). Read after {@link #lost()} is non-null. */
    synchronized Object lostKey() {
        return key instanceof Boolean ? null : key;
    }

    /** One look; the thread's, the journal's close, and tests'. */
    synchronized void look() {
        final WrittenFile written = writer.written();
        if (written == null || lost != null) {
            return;
        }
        final Object now = keyOf(written.file().toPath());
        if (now == UNKNOWN) {
            return; // a look that failed for another reason than the file's absence: the next one decides
        }
        final Object opened = written.key(); // as the writer opened it: a file replaced before the first look is seen too
        if (now == null || opened != null && !opened.equals(now)) {
            key = opened;
            lost = written.file();
            LOG.error("journal file {} was {} while the server writes it: the next append (or the journal's close) copies"
                + " what was written back and the server stops; do not delete or move a running server's journal files",
                lost, now == null ? "deleted or moved away" : "replaced by another file");
        }
    }

    /**
     * A file's key (device and inode), {@code Boolean.TRUE} where the file system has none, null when it is not there,
     * {@link #UNKNOWN} when it could not be read for another reason (review: a transient failure to stat, EACCES or NFS's
     * ESTALE, read as "deleted" would stop the server).
     */
    static Object keyOf(final Path path) {
        try {
            final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            final Object fileKey = attributes.fileKey();
            return fileKey != null ? fileKey : Boolean.TRUE; // no file keys here: only a deletion is seen
        } catch (final java.nio.file.NoSuchFileException e) {
            return null;
        } catch (final IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(EVERY_MILLIS * 1_000_000L);
            if (!closed) {
                look();
            }
        }
    }

    /**
     * Stops the thread and waits for it: a look still running once the journal is closed saw the files of a scratch
     * journal deleted after it (new-user audit: {@code train} logged "journal file ... was deleted or moved away while
     * the server writes it" in 1 run of 3, with no server).
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

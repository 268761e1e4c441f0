package io.ringfence.journal;

import java.io.File;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where the journal's writer is: the queue file of its current roll cycle (and its file key, for the
 * {@link CycleFileWatch}) and the file offset just past its last excerpt. Written by the appending thread after every append (a release store, an
 * ordinary store on x86, no allocation; the file only when the cycle changes), read by the
 * {@link JournalPretoucher} on its own thread.
 */
final class AppendPosition {
    private static final VarHandle POSITION;

    static {
        try {
            POSITION = MethodHandles.lookup().findVarHandle(AppendPosition.class, "position", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile File file;
    /** The file being written and its key, one object so that a reader never pairs one file with another's key (review). */
    private volatile WrittenFile written;
    private volatile int cycle = Integer.MIN_VALUE;
    @SuppressWarnings("unused") // through POSITION
    private long position;

    /** Appending thread: the writer moved to another roll-cycle file (rare). */
    void file(final int cycle, final File file, final Object fileKey, final long position) {
        POSITION.setRelease(this, position);
        this.written = new WrittenFile(file, fileKey);
        this.file = file;
        this.cycle = cycle;
    }

    /** Appending thread: the roll cycle the position below belongs to, as last published. */
    int cycle() {
        return cycle;
    }

    /** Appending thread: the end of the last excerpt in the current file. */
    void position(final long position) {
        POSITION.setRelease(this, position);
    }

    /** The file being written and its key as the writer opened it, or null before anything is known of it. Any thread. */
    WrittenFile written() {
        return written;
    }

    /**
     * Before the first append of this process: the journal's last cycle file, which a restarted writer goes on writing in its
     * cycle (review: a restarted server's file was not watched until its first event, and deleted then, it was lost).
     */
    void lastFile(final File file, final Object fileKey) {
        if (written == null) {
            written = new WrittenFile(file, fileKey);
        }
    }

    /** The current cycle's queue file, null before the first append. Any thread. */
    File file() {
        return file;
    }

    /** The end of the last excerpt in {@link #file()} (possibly of the file before, for an instant after a roll). Any thread. */
    long position() {
        return (long) POSITION.getAcquire(this);
    }
}

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
    /** {@link #file}'s key (device and inode) as the writer opened it, or null when it could not be read; set before it. */
    private volatile Object fileKey;
    private volatile int cycle = Integer.MIN_VALUE;
    @SuppressWarnings("unused") // through POSITION
    private long position;

    /** Appending thread: the writer moved to another roll-cycle file (rare). */
    void file(final int cycle, final File file, final Object fileKey, final long position) {
        POSITION.setRelease(this, position);
        this.fileKey = fileKey;
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

    /** The key {@link #file()} had when the writer moved to it (read {@link #file()} first), or null. Any thread. */
    Object fileKey() {
        return fileKey;
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

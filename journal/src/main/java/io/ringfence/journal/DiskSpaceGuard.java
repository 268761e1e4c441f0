package io.ringfence.journal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Stops appending before the journal's disk is full. The journal is a memory-mapped file: when
 * the file system cannot supply a page, the write that touches it faults, and the JVM reports the
 * fault only at a later point of the writing thread, so an append can return, and its event be
 * answered, with part of its record never stored (measured on a full tmpfs: the acknowledged
 * event before the one that "failed" was torn). So free space is watched: a background thread
 * reads it every {@value #EVERY_MILLIS} ms, and once it is below the reserve every append is
 * refused before anything is written (one volatile read per append).
 *
 * <p>The reserve must exceed what the writer can write between two looks (the pretoucher only reads
 * ahead, which allocates nothing); the default 64 MiB covers 100 ms at 600 MB/s. Snapshots keep
 * it too ({@code SnapshotStore}).
 */
final class DiskSpaceGuard implements AutoCloseable {
    static final long EVERY_MILLIS = 100;

    private final LongSupplier usableBytes;
    private final long minFreeBytes;
    private final Thread thread;
    private volatile long free;
    private volatile boolean closed;

    /**
     * @param usableBytes the free bytes of the journal's file system (reads may throw; counted as unknown, not low)
     */
    DiskSpaceGuard(final LongSupplier usableBytes, final long minFreeBytes) {
        this.usableBytes = usableBytes;
        this.minFreeBytes = minFreeBytes;
        this.free = read();
        this.thread = new Thread(this::run, "rf-journal-disk");
        thread.setDaemon(true);
        thread.start();
    }

    /** The usable space of the file system holding {@code directory}. */
    static LongSupplier of(final Path directory) {
        final FileStore store;
        try {
            store = Files.getFileStore(directory); // once: looking it up reads the mount table each time
        } catch (final IOException e) {
            throw new JournalException("cannot find the file system of " + directory + ": " + e, e);
        }
        return () -> {
            try {
                return store.getUsableSpace();
            } catch (final IOException e) {
                throw new JournalException("cannot read the free space of " + directory + ": " + e, e);
            }
        };
    }

    /** Whether free space is below the reserve (as of the last look). */
    boolean low() {
        return free < minFreeBytes;
    }

    long free() {
        return free;
    }

    long minFree() {
        return minFreeBytes;
    }

    private long read() {
        try {
            return usableBytes.getAsLong();
        } catch (final RuntimeException e) {
            return Long.MAX_VALUE; // unknown: never refuse on a failed look
        }
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(EVERY_MILLIS * 1_000_000L);
            free = read();
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}

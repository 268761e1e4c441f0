package io.ringfence.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Brings the pages of the queue file ahead of the writer into the page cache before the writer
 * gets there, so its appends do not stall on page faults ({@code journal.pretouch}).
 *
 * <p>Why: Chronicle grows a queue file with {@code setLength}, so the region past the writer is a
 * hole. The writer's first store into a page of it faults, and the kernel serves that fault with a
 * readahead of the whole window (8 MiB on this disk): 2,048 fresh page-cache pages, each costing
 * 3-5 µs of first touch on this VM, so one append in every 8 MiB took 22-35 ms. Open-source
 * Chronicle's {@code pretouch()} does nothing.
 *
 * <p>How, and why it cannot damage the journal: a daemon thread ({@code rf-journal-pretouch},
 * lowest priority) wakes every {@code pretouchInterval}, reads where the writer is
 * ({@link AppendPosition}) and <em>reads</em> the file with {@code pread} from the page after the
 * writer's up to {@code pretouchAhead} bytes beyond it, never past the file's current size. A read
 * of a hole fills page-cache pages with zeros and marks them up to date; the writer's later fault
 * finds them there. Nothing is written, nothing is mapped (so a file truncated under it by
 * Chronicle's shrinking after a roll only shortens a read), and the file never grows. It parks
 * between passes and never spins.
 */
final class JournalPretoucher implements AutoCloseable {
    static final int PAGE = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(JournalPretoucher.class);
    private static final int READ_BYTES = 256 * 1024;

    private final AppendPosition writer;
    private final long aheadBytes;
    private final long intervalNanos;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(READ_BYTES);
    private final AtomicLong pagesTouched = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long touchedUpTo;
    private volatile File file;
    private FileChannel channel;

    JournalPretoucher(final AppendPosition writer, final long aheadBytes, final long intervalMillis) {
        this.writer = writer;
        this.aheadBytes = aheadBytes;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.thread = new Thread(this::run, "rf-journal-pretouch");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                pass();
            } catch (final IOException | RuntimeException e) {
                // a file rolled away or deleted under us: look again next time
                LOG.debug("journal pretouch pass failed: {}", e.toString());
                closeChannel();
            }
            LockSupport.parkNanos(intervalNanos);
        }
        closeChannel();
    }

    /** One pass: reads the pages from just past the writer to {@code aheadBytes} beyond it, or to the file's end. */
    void pass() throws IOException {
        final File current = writer.file();
        if (current == null) {
            return;
        }
        if (!current.equals(file)) {
            closeChannel();
            channel = FileChannel.open(current.toPath(), StandardOpenOption.READ);
            file = current;
            touchedUpTo = 0;
        }
        final long position = writer.position();
        final long from = Math.max(touchedUpTo, pageAfter(position));
        final long to = Math.min(position + aheadBytes, channel.size());
        long at = from;
        while (running && at < to) {
            scratch.clear().limit((int) Math.min(READ_BYTES, to - at));
            final int n = channel.read(scratch, at);
            if (n <= 0) {
                break; // the file ended (shrunk after a roll)
            }
            at += n;
            touchedUpTo = at;
            pagesTouched.addAndGet((n + PAGE - 1) / PAGE);
        }
        passes.incrementAndGet();
    }

    /** The start of the page after the one holding {@code position}: the writer's own page is left alone. */
    static long pageAfter(final long position) {
        return (position / PAGE + 1) * PAGE;
    }

    /** How far the current file has been read (a file offset); 0 before the first pass over it. */
    long touchedUpTo() {
        return touchedUpTo;
    }

    /** The queue file being read ahead, null before the first pass (or after a failed one). */
    File touchingFile() {
        return file;
    }

    /** Pages read ahead of the writer so far. */
    long pagesTouched() {
        return pagesTouched.get();
    }

    /** Passes completed. */
    long passes() {
        return passes.get();
    }

    /** Whether the thread is still running. */
    boolean alive() {
        return thread.isAlive();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (final IOException ignored) {
                // read-only channel: nothing to lose
            }
            channel = null;
            file = null;
        }
    }

    /** Stops the thread and waits for it (a pass in progress ends at its next read). */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.ringfence.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link JournalSync#PERIODIC}: a daemon thread ({@code rf-journal-sync}) that every interval
 * fsyncs the journal's queue files changed since its last pass, and the directory (new roll-cycle
 * files). On Linux an fsync writes back the file's pages dirtied through Chronicle's shared memory
 * map too, so this needs no access to the appender and costs the journal stage nothing.
 */
final class PeriodicSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicSync.class);

    private final Path directory;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private long lastPassMillis;

    PeriodicSync(final Path directory, final long intervalMillis) {
        this.directory = directory;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        thread = new Thread(this::run, "rf-journal-sync");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(intervalNanos);
            if (running) {
                pass();
            }
        }
        pass(); // what was appended up to close
    }

    /** Forces every queue file modified since the previous pass (with a second of slack), then the directory. */
    private void pass() {
        final long started = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.cq4")) {
            for (final Path file : files) {
                if (Files.getLastModifiedTime(file).toMillis() >= lastPassMillis - 1_000) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
            }
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            } catch (final IOException | UnsupportedOperationException e) {
                LOG.debug("cannot force directory {}: {}", directory, e.toString());
            }
            lastPassMillis = started;
        } catch (final IOException e) {
            LOG.warn("periodic journal sync of {} failed: {}", directory, e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

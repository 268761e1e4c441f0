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
    /** Each queue file's modification time as the last pass saw it: a file whose time moved is forced, whatever the clock did. */
    private final java.util.Map<Path, Long> seen = new java.util.HashMap<>();

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

    /**
     * Forces every queue file modified since the previous pass, then the directory. Modified: its time is within a second
     * of the previous pass or later, or differs from what the previous pass saw (a wall clock stepped back, e.g. by NTP,
     * left every new time below the previous pass's, and nothing was forced until the clock caught up: journal review of
     * 2026-12-06). A file that cannot be forced is said and the others are forced all the same.
     */
    void pass() {
        final long started = System.currentTimeMillis();
        final java.util.Map<Path, Long> now = new java.util.HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.cq4")) {
            for (final Path file : files) {
                try {
                    final long modified = Files.getLastModifiedTime(file).toMillis();
                    now.put(file, modified);
                    final Long before = seen.get(file);
                    if (before == null || before != modified || modified >= lastPassMillis - 1_000) {
                        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                            ch.force(true);
                        }
                    }
                } catch (final IOException e) {
                    now.remove(file); // forced again at the next pass
                    LOG.warn("periodic journal sync could not force {}: {}", file, e.toString());
                }
            }
        } catch (final IOException e) {
            LOG.warn("periodic journal sync could not list {}: {}", directory, e.toString());
            return;
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (final IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {}: {}", directory, e.toString());
        }
        seen.clear();
        seen.putAll(now);
        lastPassMillis = started;
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

package io.ringfence.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Readers of a journal's directory ({@code journal}, {@code replay}, {@code explain} in processes of their own) hold a
 * shared lock on {@value #FILE} while they read, and the {@link JournalArchiver} deletes a cycle file from the
 * directory only under the exclusive one: a reader lists the files when it opens, and one deleted under it ended its
 * read there as a damaged journal (review: 3 of 3 dumps during a load stopped at "the excerpt after it is incomplete").
 * A file the archiver could not delete stays in both places (which reads as before) until a later pass.
 *
 * <p>File locks belong to the whole JVM, so this process's readers share one lock, counted.
 */
final class JournalReaders {
    static final String FILE = "journal-readers.lock";
    private static final Map<Path, Held> HELD = new HashMap<>();

    private JournalReaders() {
    }

    /** One process's shared lock on a directory's file, and how many readers use it. */
    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        int readers;

        Held(final FileChannel channel, final FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    /**
     * Takes (or joins this process's) shared lock for a reader of {@code directory}; null when there is no lock file to
     * take it on (no writer with an archive has opened the directory).
     */
    static Runnable share(final Path directory) {
        final Path key = directory.toAbsolutePath().normalize();
        synchronized (HELD) {
            Held held = HELD.get(key);
            if (held == null) {
                final Path file = key.resolve(FILE);
                if (!Files.isRegularFile(file)) {
                    return null; // no archiving writer has started on this directory: nothing deletes its files
                }
                try {
                    final FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                    held = new Held(channel, channel.lock(0, Long.MAX_VALUE, true)); // waits out an archiver's delete
                } catch (final IOException | RuntimeException e) {
                    // review: a reader of another user (the file is 0600 under umask 077) read unprotected, without a word
                    org.slf4j.LoggerFactory.getLogger(JournalReaders.class).warn("journal {}: cannot hold its files against the"
                            + " server's archiving ({}: {}): a cycle file the server archives while this reads may end the"
                            + " read early as damage; read again, or as the server's user", key, file, e.toString());
                    return null;
                }
                HELD.put(key, held);
            }
            held.readers++;
            final Held h = held;
            return () -> release(key, h);
        }
    }

    private static void release(final Path key, final Held held) {
        synchronized (HELD) {
            if (--held.readers > 0) {
                return;
            }
            HELD.remove(key);
            try {
                held.lock.release();
                held.channel.close();
            } catch (final IOException e) {
                // closing the channel releases the lock in any case
            }
        }
    }

    /**
     * Creates the lock file of a directory a writer archives from, when it opens: readers take their hold only where it
     * is, so a directory nothing archives from gets no such file.
     */
    static void prepare(final Path directory) {
        try {
            final Path file = directory.resolve(FILE);
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        } catch (final IOException e) {
            // the archiver's first delete creates it
        }
    }

    /** A deletion the archiver makes only while no reader holds the directory. */
    @FunctionalInterface
    interface Deletion {
        void run() throws IOException;
    }

    /**
     * Runs {@code deletion} under the exclusive lock when no reader (of any process) holds the shared one.
     *
     * @return false, without running it, when a reader does
     */
    static boolean whileNoReader(final Path directory, final Deletion deletion) throws IOException {
        final Path key = directory.toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.containsKey(key)) {
                return false; // a reader of this process
            }
            try (FileChannel channel = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                final FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (final OverlappingFileLockException e) {
                    return false;
                }
                if (lock == null) {
                    return false; // another process reads
                }
                try {
                    deletion.run();
                } finally {
                    lock.release();
                }
                return true;
            }
        }
    }
}

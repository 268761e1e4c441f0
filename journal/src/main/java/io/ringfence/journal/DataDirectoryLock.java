package io.ringfence.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * The one-writer rule of a data directory, enforced: an exclusive operating-system lock on
 * {@value #FILE_NAME} in the directory, held by the process that appends to its journal, writes
 * its snapshots or deletes its files. Chronicle Queue itself lets several processes append to one
 * queue; two ringfence writers there would each number their records from the same sequence and
 * leave a journal no replay can trust, so a second writer is refused at start with who holds it.
 *
 * <p>The lock dies with its process (also on {@code kill -9}), so nothing is left to clean up;
 * the file stays and says who held it last. Readers ({@code journal}, {@code explain},
 * {@code replay}) never take it: they may read while a server writes.
 *
 * <p>Within one JVM the lock is counted, not exclusive (a command holds it for its whole run and
 * the engine it starts takes it again): operating-system file locks belong to the process, and
 * closing any other channel to the file would release them, so this class keeps one channel per
 * directory per JVM. A second appending {@link Journal} in the same JVM is refused by the journal.
 */
public final class DataDirectoryLock implements AutoCloseable {
    /** The lock file's name in the data directory. */
    public static final String FILE_NAME = "ringfence.lock";
    private static final String SNAPSHOTS_OF = ", snapshots of ";
    private static final String ARCHIVE_OF = ", archive of ";

    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path key;
    private boolean closed;

    private DataDirectoryLock(final Path key) {
        this.key = key;
    }

    /**
     * Takes the data directory's writer lock (creating the directory if needed), or throws if
     * another process holds it.
     *
     * @param purpose what this process is, written into the lock file for the message another writer gets (e.g. "server")
     * @throws DataDirectoryInUseException naming the directory and the holder (pid, what, since when) if another process holds it
     * @throws JournalException            why the lock could not be taken otherwise
     */
    public static DataDirectoryLock acquire(final Path directory, final String purpose) {
        return acquire(directory, null, purpose, "data directory", "only one process may write a data directory; stop that one,"
                + " or give this one another --data");
    }

    /**
     * Takes the lock of the snapshot directory of a data directory, for that data directory alone.
     * Two engines whose data directories share one snapshot directory (an absolute or {@code ..}
     * {@code snapshot.dir}, or one naming the other's {@code snapshots}) would each set aside the
     * other's snapshots as foreign and prune them by sequence: the second is refused instead.
     *
     * @throws DataDirectoryInUseException naming the directory and the holder if another process holds it
     */
    public static DataDirectoryLock acquireSnapshotDirectory(final Path dataDirectory, final Path snapshotDirectory,
                                                             final String purpose) {
        final Path data = keyOf(dataDirectory, "data directory");
        final Path snapshots = keyOf(snapshotDirectory, "snapshot directory");
        if (snapshots.equals(data)) {
            return acquire(data, purpose); // snapshot.dir: . : the data directory's own lock covers its snapshots
        }
        return acquire(snapshots, data, purpose + SNAPSHOTS_OF + data, "snapshot directory",
                "it writes another data directory's snapshots there, and each would set aside or prune the other's;"
                        + " give each data directory its own snapshot.dir (a relative one lies inside its data directory)");
    }

    /**
     * Takes the lock of the journal archive of a data directory ({@code journal.archive}), for that data directory alone,
     * or returns null when the archive directory does not exist (it is never created: an archive disk not mounted yet;
     * the archiver takes the lock before its first move). Two writers archiving into one directory (a restored copy
     * beside its running original) would each place their own, diverged, cycle files under the same names, and the one
     * that came second would stop archiving: the second is refused instead.
     *
     * @throws DataDirectoryInUseException naming the directory and the holder if another process holds it
     */
    public static DataDirectoryLock acquireArchiveDirectory(final Path dataDirectory, final Path archiveDirectory,
                                                            final String purpose) {
        if (!Files.isDirectory(archiveDirectory) || !Files.isWritable(archiveDirectory)) {
            return null; // not there or read-only: the server starts and warns, and each archiving pass tries again (review)
        }
        final Path data = keyOf(dataDirectory, "data directory");
        return acquire(keyOf(archiveDirectory, "archive directory"), data, purpose + ARCHIVE_OF + data, "archive directory",
                "it archives another data directory's journal there, and each would place its own cycle files under the"
                        + " other's names; give each data directory its own journal.archive (a restored copy beside its"
                        + " original too)");
    }

    /**
     * @param owner the data directory a snapshot directory is held for, or null for a data directory's own
     *              lock; a hold in this JVM for another owner is refused too
     */
    private static DataDirectoryLock acquire(final Path directory, final Path owner, final String purpose, final String kind,
                                             final String advice) {
        final Path key = keyOf(directory, kind);
        synchronized (HELD) {
            final Held held = HELD.get(key);
            if (held != null) {
                if (!java.util.Objects.equals(owner, held.owner)) {
                    throw new DataDirectoryInUseException(kind + " " + key + " is in use by this process as "
                            + (held.owner == null ? "a data directory" : "the " + held.kind + " of " + held.owner) + ": " + advice);
                }
                held.count++;
                return new DataDirectoryLock(key);
            }
            HELD.put(key, Held.take(key, owner, purpose, kind, advice));
            return new DataDirectoryLock(key);
        }
    }

    /** Whether this JVM holds the lock of {@code directory} (tests, diagnostics). */
    public static boolean heldHere(final Path directory) {
        final Path key = keyOf(directory);
        synchronized (HELD) {
            return HELD.containsKey(key);
        }
    }

    /** Releases this hold; the lock itself goes when the last hold in this JVM is closed. Idempotent. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            final Held held = HELD.get(key);
            if (held != null && --held.count == 0) {
                HELD.remove(key);
                held.release();
            }
        }
    }

    private static Path keyOf(final Path directory) {
        return keyOf(directory, "data directory");
    }

    private static Path keyOf(final Path directory, final String kind) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new JournalException("cannot lock " + kind + " " + directory.toAbsolutePath() + " for writing: it is a file,"
                    + " not a directory");
        }
        try {
            PrivateDirectories.create(directory);
            return directory.toRealPath();
        } catch (final IOException | RuntimeException e) {
            throw new JournalException("cannot lock " + kind + " " + directory.toAbsolutePath()
                    + " for writing: it cannot be created or resolved: " + e, e);
        }
    }

    /** The one channel and lock of a directory in this JVM. */
    private static final class Held {
        private final FileChannel channel;
        private final FileLock lock;
        /** The data directory whose snapshots are held here, or null (a data directory's own lock). */
        private final Path owner;
        /** What the directory is ("data directory", "snapshot directory", "archive directory"). */
        private final String kind;
        private int count = 1;

        private Held(final FileChannel channel, final FileLock lock, final Path owner, final String kind) {
            this.channel = channel;
            this.lock = lock;
            this.owner = owner;
            this.kind = kind;
        }

        static Held take(final Path directory, final Path owner, final String purpose, final String kind, final String advice) {
            final Path file = directory.resolve(FILE_NAME);
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                final FileLock lock = channel.tryLock();
                if (lock == null) {
                    final String holder = readHolder(channel);
                    channel.close(); // this JVM holds no lock on the file, so closing releases nothing
                    throw new DataDirectoryInUseException(kind + " " + directory + " is in use by another ringfence process ("
                            + holder + "): " + advice);
                }
                if (owner != null && !directory.startsWith(owner)) { // one inside its data directory goes with it (copies too)
                    final String holder = readHolder(channel);
                    final Path before = previousOwner(holder);
                    if (before != null && !before.equals(owner) && Files.isDirectory(before)
                            && !(kind.startsWith("archive") && holder.contains(ARCHIVE_OF) && !archivesInto(before, directory))) {
                        lock.release();
                        channel.close();
                        throw new DataDirectoryInUseException(kind + " " + directory + " holds the " + (holder.contains(ARCHIVE_OF)
                                ? "archived journal" : "snapshots") + " of data directory "
                                + before + " (its " + FILE_NAME + " says so; not in use now: delete that file to hand the"
                                + " directory over" + (holder.contains(ARCHIVE_OF) ? "" : ", which sets the other's snapshots aside")
                                + "): " + advice);
                    }
                }
                final byte[] who = ("pid " + ProcessHandle.current().pid() + ", " + purpose + ", since "
                        + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n").getBytes(StandardCharsets.UTF_8);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(who), 0);
                return new Held(channel, lock, owner, kind);
            } catch (final java.nio.channels.OverlappingFileLockException e) {
                // this JVM locks the same file under another path (a bind mount, a hard link): closing this
                // channel would release that lock, so it is left open
                throw new DataDirectoryInUseException(kind + " " + directory + " is already written by this process"
                        + " under another path: only one writer per " + kind);
            } catch (final IOException e) {
                closeQuietly(channel);
                throw new JournalException("cannot lock " + kind + " " + directory + " for writing (" + file + "): " + e, e);
            } catch (final RuntimeException e) {
                closeQuietly(channel);
                throw e;
            }
        }

        /**
         * Whether the journal of data directory {@code other} has archived files into {@code archive} (its record names one
         * there). A copy of an archive restored beside its original carries the original's lock file: it is the copy's
         * own once the original's record names none of its files (review: the restore the advice asks for was refused).
         */
        private static boolean archivesInto(final Path other, final Path archive) {
            try {
                for (final ArchivedCycles.Entry e : ArchivedCycles.of(other).entries()) {
                    final Path parent = e.file().toAbsolutePath().normalize().getParent();
                    if (parent != null && (parent.equals(archive) || Files.exists(parent) && Files.isSameFile(parent, archive))) {
                        return true;
                    }
                }
                return false;
            } catch (final IOException | RuntimeException e) {
                return true; // its record does not read: taken as naming this archive, refused as before
            }
        }

        /**
         * The data directory a snapshot or archive directory's lock file last named ({@code ..., snapshots of DIR, since
         * ...} or {@code ..., archive of DIR, since ...}), or null.
         */
        private static Path previousOwner(final String holder) {
            final String marker = holder.contains(SNAPSHOTS_OF) ? SNAPSHOTS_OF : ARCHIVE_OF;
            final int at = holder.indexOf(marker);
            final int end = holder.lastIndexOf(", since ");
            if (at < 0 || end < at + marker.length()) {
                return null;
            }
            try {
                return Path.of(holder.substring(at + marker.length(), end));
            } catch (final java.nio.file.InvalidPathException e) {
                return null;
            }
        }

        private static String readHolder(final FileChannel channel) throws IOException {
            final ByteBuffer b = ByteBuffer.allocate(512);
            channel.read(b, 0);
            final String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? "it has not said who it is yet" : text;
        }

        void release() {
            try {
                lock.release();
            } catch (final IOException e) {
                // closing the channel releases it too
            } finally {
                closeQuietly(channel);
            }
        }

        private static void closeQuietly(final FileChannel channel) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (final IOException ignored) {
                    // nothing held through it any more
                }
            }
        }
    }
}

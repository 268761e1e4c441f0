package io.ringfence.journal.snapshot;

import io.ringfence.journal.JournalException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

import static io.ringfence.journal.snapshot.SnapshotDescriptor.BYTE_ORDER;
import static io.ringfence.journal.snapshot.SnapshotDescriptor.CONTENT_LENGTH_OFFSET;
import static io.ringfence.journal.snapshot.SnapshotDescriptor.CRC_COVERED_HEADER_LENGTH;
import static io.ringfence.journal.snapshot.SnapshotDescriptor.CRC_OFFSET;
import static io.ringfence.journal.snapshot.SnapshotDescriptor.DIGEST_LENGTH;
import static io.ringfence.journal.snapshot.SnapshotDescriptor.DIGEST_OFFSET;
import static io.ringfence.journal.snapshot.SnapshotDescriptor.HEADER_LENGTH;
import static io.ringfence.journal.snapshot.SnapshotDescriptor.MAGIC;
import static io.ringfence.journal.snapshot.SnapshotDescriptor.MAGIC_OFFSET;
import static io.ringfence.journal.snapshot.SnapshotDescriptor.SEQUENCE_OFFSET;
import static io.ringfence.journal.snapshot.SnapshotDescriptor.VERSION;
import static io.ringfence.journal.snapshot.SnapshotDescriptor.VERSION_OFFSET;

/**
 * The snapshot files of one directory ({@link SnapshotDescriptor}). A write goes to a temporary
 * file, is forced to disk, renamed atomically into place and the directory forced, so a crash at
 * any moment leaves either the complete new file or none (a leftover temporary file is deleted at
 * the next open); then the snapshots of its configuration its {@link SnapshotRetention} does not keep are deleted (all
 * but the newest {@code retain}, and the first of recent hours and days). Reading verifies
 * the whole file before anything of it is used.
 *
 * <p>Not thread-safe: one writer thread (the engine's snapshot agent), reads before it starts.
 */
public final class SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

    private final Path directory;
    private final int retain;
    private final SnapshotRetention retention;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(BYTE_ORDER);
    private final CRC32C crc = new CRC32C();
    /** Bytes of content copied, checksummed and written at a time. */
    private static final int CHUNK = 1 << 20;
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
    private final long minFreeBytes;
    private final java.util.function.ToLongFunction<Path> freeSpace;

    /**
     * Opens (creating) the directory and deletes temporary files a crash left behind.
     *
     * @param retain complete snapshots kept after each write (at least 1)
     */
    public SnapshotStore(final Path directory, final int retain) {
        this(directory, retain, 0);
    }

    /**
     * @param minFreeBytes a snapshot that would leave less free disk than this is not written (the
     *                     journal's reserve, {@code journal.minFreeMiB}: a snapshot must not take the
     *                     space the journal appends into); 0 = no check
     */
    public SnapshotStore(final Path directory, final int retain, final long minFreeBytes) {
        this(directory, retain, minFreeBytes, SnapshotStore::usableSpaceOf);
    }

    /**
     * @param freeSpace how the free disk of {@code directory} is read (the file store's usable space; tests give a
     *                  disk of their own, which other writers to the machine's disk do not change under them)
     */
    public SnapshotStore(final Path directory, final int retain, final long minFreeBytes,
                         final java.util.function.ToLongFunction<Path> freeSpace) {
        this(directory, SnapshotRetention.newest(retain), minFreeBytes, freeSpace);
    }

    /** The same, keeping what {@code retention} keeps. */
    public SnapshotStore(final Path directory, final SnapshotRetention retention, final long minFreeBytes) {
        this(directory, retention, minFreeBytes, SnapshotStore::usableSpaceOf);
    }

    /** What the retention counts a snapshot's period by ({@link #timedBy}), or null: its file's write time. */
    private volatile java.util.function.LongUnaryOperator timeOf;
    /** {@link #timeOf}'s answers by sequence. */
    private final java.util.Map<Long, Long> timeBySequence = new java.util.concurrent.ConcurrentHashMap<>();
    /** When {@link #timeOf} last had no answer for a sequence: asked again after {@link #RETRY_UNKNOWN_MS}. */
    private final java.util.Map<Long, Long> unknownSince = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long RETRY_UNKNOWN_MS = 10 * 60_000L;

    public SnapshotStore(final Path directory, final SnapshotRetention retention, final long minFreeBytes,
                         final java.util.function.ToLongFunction<Path> freeSpace) {
        this.minFreeBytes = minFreeBytes;
        this.freeSpace = freeSpace;
        this.retention = retention;
        this.retain = retention.retain();
        this.directory = directory;
        try {
            io.ringfence.journal.PrivateDirectories.create(directory);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SnapshotDescriptor.TEMP_SUFFIX)) {
                for (final Path tmp : files) {
                    LOG.info("deleting {}: a snapshot write that did not finish", tmp);
                    Files.deleteIfExists(tmp);
                }
            }
            // writable now, not only at the first snapshot (which would fail in the background, with the server up)
            Files.delete(Files.createTempFile(directory, ".probe-", SnapshotDescriptor.TEMP_SUFFIX));
        } catch (final IOException e) {
            throw new JournalException("cannot use snapshot directory " + directory + " (snapshots are written there; check"
                    + " its permissions and attributes, or set snapshot.dir): " + e, e);
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * Counts each snapshot, for the periods its retention keeps the first of, in the period of {@code timeOf}'s answer
     * for its sequence (epoch ms; {@link SnapshotRetention#UNKNOWN} where it cannot say, for which the file's write time
     * counts): the server gives the journaled ingest time of the snapshot's last event. By write time alone, a start
     * under changed settings, which re-snapshots the whole journal at once, made one of its first, low-sequence
     * snapshots today's first (explain of today's orders replayed from there), and the journal's archive, which
     * follows the oldest snapshot kept, stood still for {@code retainDaily} days (e-2-e trial of 2026-12-07, MEDIUM).
     * Answers are remembered per sequence: a journal's record does not change.
     */
    public SnapshotStore timedBy(final java.util.function.LongUnaryOperator timeOf) {
        this.timeOf = timeOf;
        return this;
    }

    /**
     * The sequence of the oldest snapshot kept (of any configuration), or -1 when none: the journal before it is not
     * needed by a start from any of them, so it may go to the journal's archive.
     */
    public long oldestSequence() {
        final List<Path> all = list();
        return all.isEmpty() ? -1 : SnapshotDescriptor.sequenceOf(all.get(all.size() - 1).getFileName().toString());
    }

    /** The complete snapshot files (by name), newest sequence first. */
    public List<Path> list() {
        return listIn(directory);
    }

    /**
     * The complete snapshot files (by name) in {@code directory}, newest sequence first, without
     * opening a store: creates, deletes and writes nothing, so tools can look into the data
     * directory of a server that is running (an absent directory holds none).
     */
    public static List<Path> listIn(final Path directory) {
        final List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, SnapshotDescriptor.PREFIX + "*" + SnapshotDescriptor.SUFFIX)) {
            for (final Path p : files) {
                if (SnapshotDescriptor.sequenceOf(p.getFileName().toString()) >= 0 && Files.isRegularFile(p)) {
                    found.add(p); // a directory of that name is none
                }
            }
        } catch (final IOException e) {
            throw new JournalException("cannot list snapshot directory " + directory + ": " + e, e);
        }
        found.sort(Comparator.comparingLong((Path p) -> SnapshotDescriptor.sequenceOf(p.getFileName().toString())).reversed());
        return found;
    }

    /**
     * Why a tool that replays part of a journal found no snapshot to start from before {@code upTo}: what
     * {@code directory} holds instead (snapshots only after it; snapshots a server's start set aside as damaged,
     * of another journal or of a format this version cannot read), for its summary line, as the warnings of
     * that start went to the server's log. Read-only, like {@link #listIn}.
     */
    public static String whyNoneBefore(final Path directory, final long upTo) {
        if (!Files.isDirectory(directory)) {
            return "no snapshot directory " + directory;
        }
        int after = 0;
        int before = 0;
        final java.util.Map<String, Integer> aside = new java.util.TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, SnapshotDescriptor.PREFIX + "*")) {
            for (final Path p : files) {
                final String name = p.getFileName().toString();
                final long sequence = SnapshotDescriptor.sequenceOf(name);
                if (sequence >= 0) {
                    if (sequence > upTo) {
                        after++;
                    } else {
                        before++; // passed over by the loader, which said why on stderr
                    }
                    continue;
                }
                final int snap = name.indexOf(SnapshotDescriptor.SUFFIX + ".");
                if (snap > 0 && !name.endsWith(SnapshotDescriptor.TEMP_SUFFIX)) { // a write in progress is no snapshot yet
                    if (SnapshotDescriptor.sequenceOf(name.substring(0, snap + SnapshotDescriptor.SUFFIX.length())) > upTo) {
                        after++; // of no use here whatever its state
                        continue;
                    }
                    final String kind = name.substring(snap + SnapshotDescriptor.SUFFIX.length() + 1).replaceAll("\\.\\d+$", "");
                    aside.merge(kind, 1, Integer::sum);
                }
            }
        } catch (final IOException e) {
            return "cannot list snapshot directory " + directory + ": " + e;
        }
        final StringBuilder why = new StringBuilder("no usable snapshot in ").append(directory).append(" up to seq ")
            .append(String.format("%,d", upTo));
        final List<String> parts = new ArrayList<>();
        if (before > 0) {
            parts.add(before + " passed over (above)");
        }
        if (after > 0) {
            parts.add(after + " after it");
        }
        aside.forEach((kind, n) -> parts.add(n + " set aside as ." + kind + " by a server's start"));
        if (parts.isEmpty()) {
            parts.add("none written yet");
        }
        return why.append(": ").append(String.join(", ", parts)).toString();
    }

    /**
     * Writes a snapshot covering {@code sequence} (temporary file, force, atomic rename, directory
     * force), then prunes to the newest {@code retain}.
     *
     * @param record       the fingerprint of the journal record at {@code sequence} ({@code RecordFingerprint}; 0 = none)
     * @param content      the state, from its position to its limit (left unchanged)
     * @param beforeRename run after the temporary file is forced and before the rename (tests: a
     *                     crash in the middle of a write); null for none
     * @return the file written
     */
    public Path write(final long sequence, final byte[] digest, final long record, final ByteBuffer content,
                      final Runnable beforeRename) {
        return write(sequence, digest, record, new UnsafeBuffer(content, content.position(), content.remaining()),
                content.remaining(), beforeRename);
    }

    /**
     * The same for the first {@code length} bytes of {@code content}, which may be raw off-heap memory: copied to the
     * file through a buffer of {@value #CHUNK} bytes, its CRC taken a chunk at a time, so no single call covers the
     * whole content (a JVM waiting for a safepoint would wait for it: a CRC of 100 MB is one intrinsic call).
     */
    public Path write(final long sequence, final byte[] digest, final long record, final DirectBuffer content, final int length,
                      final Runnable beforeRename) {
        if (digest.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("digest must be " + DIGEST_LENGTH + " bytes, was " + digest.length);
        }
        recreateDeletedDirectory();
        header.clear();
        header.putInt(MAGIC_OFFSET, MAGIC);
        header.putShort(VERSION_OFFSET, VERSION);
        header.putShort(SnapshotDescriptor.FLAGS_OFFSET, (short) 0);
        header.putLong(SEQUENCE_OFFSET, sequence);
        header.put(DIGEST_OFFSET, digest);
        header.putLong(CONTENT_LENGTH_OFFSET, length);
        header.putLong(SnapshotDescriptor.RECORD_FINGERPRINT_OFFSET, record);
        header.putInt(CRC_OFFSET, 0);
        header.putInt(CRC_OFFSET + 4, 0);

        if (minFreeBytes > 0) {
            final long needs = HEADER_LENGTH + (long) length;
            long free = usableSpace();
            // room first from the snapshots the write would prune anyway: the oldest of this configuration beyond the
            // newest retain - 1, then those of another; the newest stays (operator trial: once the disk came near the
            // reserve no snapshot was written again, while deleting the oldest would have made room)
            if (free - needs < minFreeBytes) {
                // only when deleting them all would make room: a snapshot deleted for a write that then failed anyway was
                // one fewer to recover from (operator audit: retain 2 fell to 1 on a full tmpfs, and stayed there)
                final List<Path> room = roomCandidates(digest, sequence);
                long could = free;
                for (final Path path : room) {
                    could += sizeOf(path);
                }
                if (could - needs >= minFreeBytes) {
                    for (final Path victim : room) {
                        if (free - needs >= minFreeBytes) {
                            break;
                        }
                        LOG.info("snapshot {} deleted to make room for the next within the journal's reserve", victim);
                        delete(victim);
                        free = usableSpace();
                    }
                }
            }
            if (free - needs < minFreeBytes) {
                throw new JournalException(String.format("snapshot at sequence %,d not written to %s: it needs %,d bytes and"
                        + " the disk has %,d free, which would leave less than the journal's reserve (journal.minFreeMiB, %,d"
                        + " bytes)", sequence, directory, needs, free, minFreeBytes));
            }
        }
        final String name = SnapshotDescriptor.fileName(sequence);
        final Path target = directory.resolve(name);
        final Path tmp = directory.resolve(name + SnapshotDescriptor.TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                crc.reset();
                crc.update(header.array(), 0, CRC_COVERED_HEADER_LENGTH);
                long at = HEADER_LENGTH;
                for (long done = 0; done < length; done += CHUNK) {
                    final int n = (int) Math.min(CHUNK, length - done);
                    content.getBytes((int) done, chunk, 0, n);
                    chunk.limit(n).position(0);
                    crc.update(chunk);
                    chunk.position(0);
                    while (chunk.hasRemaining()) {
                        at += ch.write(chunk, at);
                    }
                }
                header.putInt(CRC_OFFSET, (int) crc.getValue());
                header.position(0).limit(HEADER_LENGTH);
                long h = 0;
                while (header.hasRemaining()) {
                    h += ch.write(header, h);
                }
                ch.force(true);
            }
            if (beforeRename != null) {
                beforeRename.run();
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } catch (final IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (final IOException ignored) {
                // the next open deletes it
            }
            throw new JournalException("cannot write snapshot " + target + ": " + e, e);
        }
        prune(digest);
        return target;
    }

    /**
     * The directory deleted under a running server (operator audit: every later snapshot failed, "cannot read the free
     * space", and a kill -9 then replayed the whole journal) is created again; only the directory itself, never a data
     * directory that is gone as well.
     */
    private void recreateDeletedDirectory() {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            io.ringfence.journal.PrivateDirectories.createOne(directory);
        } catch (final IOException e) {
            throw new JournalException("cannot write a snapshot: its directory " + directory + " is gone and cannot be created"
                    + " again: " + e, e);
        }
        LOG.warn("snapshot directory {} was deleted under the server: created again (the snapshots it held are lost)", directory);
    }

    /**
     * Deletes the snapshots of the configuration just written ({@code digest}) that its retention does not keep.
     * Snapshots of another configuration (a start under changed rules replays the whole journal and snapshots it
     * anew, at sequences below theirs) do not count against {@code retain}: while fewer than {@code retain} of this
     * configuration exist they are kept, and once there are that many they are deleted, as nothing can continue
     * them, but for the first of each recent calendar day and hour its retention keeps ({@link SnapshotRetention#keepReplaced}:
     * explain of an order they decided starts there). Before (operator trial), the old configuration's newer snapshots held every place, each snapshot of the
     * re-replay was pruned as soon as it was written, and a crash during that replay started it again from zero.
     */
    private void prune(final byte[] digest) {
        final List<Path> all = list();
        final List<Path> same = new ArrayList<>();
        for (final Path path : all) {
            if (Arrays.equals(digest, digestOf(path))) {
                same.add(path);
            }
        }
        final long now = System.currentTimeMillis();
        final boolean[] kept = kept(same, -1, now, false);
        for (int i = 0; i < same.size(); i++) {
            if (!kept[i]) {
                delete(same.get(i));
            }
        }
        if (same.size() >= retain) {
            // another configuration's, by digest (unknown, unreadable now: kept, not guessed at), newest first
            final java.util.Map<String, List<Path>> others = new java.util.LinkedHashMap<>();
            for (final Path path : all) {
                final byte[] other = digestOf(path);
                if (other != null && !Arrays.equals(digest, other)) {
                    others.computeIfAbsent(Arrays.toString(other), k -> new ArrayList<>()).add(path);
                }
            }
            for (final List<Path> group : others.values()) {
                final boolean[] keptToo = kept(group, -1, now, true);
                for (int i = 0; i < group.size(); i++) {
                    if (!keptToo[i]) {
                        delete(group.get(i));
                    }
                }
            }
        }
    }

    /**
     * What the retention keeps of {@code paths} (newest first; after a snapshot counted at {@code newMs} when it is not
     * -1, which is then index 0), as of {@code nowMs}: {@link SnapshotRetention#keep}, or {@link
     * SnapshotRetention#keepReplaced} for another configuration's. In a {@link #timedBy timed} store a snapshot whose time
     * cannot be told (its record in an archive not mounted now) is kept and left out of the choice: counted by its file's
     * time, the day a whole journal was re-snapshotted, it took the place of the real firsts of those days, which were
     * deleted for good (review: of firsts of 5 days, 3 went at one write with the archive away).
     */
    private boolean[] kept(final List<Path> paths, final long newMs, final long nowMs, final boolean replaced) {
        final long[] at = writtenAt(paths, newMs);
        int known = 0;
        for (final long t : at) {
            if (t != SnapshotRetention.UNKNOWN || timeOf == null) {
                known++;
            }
        }
        if (known == at.length) {
            return replaced ? retention.keepReplaced(at, nowMs) : retention.keep(at, nowMs);
        }
        final long[] knownAt = new long[known];
        final int[] index = new int[known];
        for (int i = 0, k = 0; i < at.length; i++) {
            if (at[i] != SnapshotRetention.UNKNOWN) {
                knownAt[k] = at[i];
                index[k++] = i;
            }
        }
        final boolean[] keptKnown = replaced ? retention.keepReplaced(knownAt, nowMs) : retention.keep(knownAt, nowMs);
        final boolean[] kept = new boolean[at.length];
        java.util.Arrays.fill(kept, true); // the unknown ones
        for (int k = 0; k < known; k++) {
            kept[index[k]] = keptKnown[k];
        }
        return kept;
    }

    /**
     * The times (ms) the retention counts {@code paths} by, after a snapshot counted at {@code newMs} when it is not -1: in
     * a {@link #timedBy timed} store its answer ({@link SnapshotRetention#UNKNOWN} where it has none), else write times.
     */
    private long[] writtenAt(final List<Path> paths, final long newMs) {
        final int first = newMs == -1 ? 0 : 1;
        final long[] at = new long[paths.size() + first];
        if (first == 1) {
            at[0] = newMs;
        }
        for (int i = 0; i < paths.size(); i++) {
            if (timeOf != null) {
                at[i + first] = timeOf(paths.get(i));
                continue;
            }
            try {
                at[i + first] = Files.getLastModifiedTime(paths.get(i)).toMillis();
            } catch (final IOException e) {
                at[i + first] = SnapshotRetention.UNKNOWN;
            }
        }
        return at;
    }

    private long timeOf(final Path path) {
        return timeOfSequence(SnapshotDescriptor.sequenceOf(path.getFileName().toString()));
    }

    private long timeOfSequence(final long sequence) {
        final java.util.function.LongUnaryOperator of = timeOf;
        if (of == null) {
            return SnapshotRetention.UNKNOWN;
        }
        final Long known = timeBySequence.get(sequence);
        final long nowMs = System.currentTimeMillis();
        if (known != null) {
            return known;
        }
        final Long missed = unknownSince.get(sequence);
        if (missed != null && nowMs - missed < RETRY_UNKNOWN_MS) {
            return SnapshotRetention.UNKNOWN; // asked again only now and then (review: each ask of an archived record opened it)
        }
        final long t = of.applyAsLong(sequence);
        if (timeBySequence.size() >= 4_096 || unknownSince.size() >= 4_096) {
            timeBySequence.clear();
            unknownSince.clear();
        }
        if (t != SnapshotRetention.UNKNOWN) {
            timeBySequence.put(sequence, t);
            unknownSince.remove(sequence);
        } else {
            unknownSince.put(sequence, nowMs);
        }
        return t;
    }

    private long usableSpace() {
        return freeSpace.applyAsLong(directory);
    }

    private static long usableSpaceOf(final Path directory) {
        try {
            return Files.getFileStore(directory).getUsableSpace();
        } catch (final IOException e) {
            throw new JournalException("cannot read the free space of snapshot directory " + directory + ": " + e, e);
        }
    }

    /**
     * The snapshots deleted first to make room for a new one, in that order: those of another configuration once this
     * one would hold {@code retain} with the new one, oldest first; then of {@code digest}'s beyond the newest
     * {@code retain - 1}, oldest first, those the write would prune anyway before those kept for incident replays (the
     * first of an hour or a day). Never the newest, nor this configuration's newest.
     */
    private List<Path> roomCandidates(final byte[] digest, final long sequence) {
        final List<Path> all = list();
        final List<Path> same = new ArrayList<>();
        final List<Path> other = new ArrayList<>();
        for (final Path path : all) {
            final byte[] d = digestOf(path);
            if (Arrays.equals(digest, d)) {
                same.add(path);
            } else if (d != null) {
                other.add(path);
            }
        }
        final List<Path> out = new ArrayList<>();
        if (same.size() + 1 >= retain) {
            for (int i = other.size() - 1; i >= 0; i--) {
                out.add(other.get(i));
            }
        }
        final long now = System.currentTimeMillis();
        final long newTime = timeOfSequence(sequence); // the new one counts by its event as the others do
        final boolean[] keptAfter = kept(same, newTime == SnapshotRetention.UNKNOWN ? now : newTime, now, false);
        for (final boolean spacedToo : new boolean[] {false, true}) {
            for (int i = same.size() - 1; i >= retain - 1; i--) {
                if (keptAfter[i + 1] == spacedToo) {
                    out.add(same.get(i));
                }
            }
        }
        if (!all.isEmpty()) {
            out.remove(all.get(0));
        }
        if (!same.isEmpty()) {
            // nor this configuration's newest (review: with another's newest, retain 1 deleted the only one a start
            // replaying under this configuration had, before a write that could still fail)
            out.remove(same.get(0));
        }
        return out;
    }

    private static long sizeOf(final Path path) {
        try {
            return Files.size(path);
        } catch (final IOException e) {
            return 0;
        }
    }

    private static void delete(final Path path) {
        try {
            Files.deleteIfExists(path);
            LOG.info("pruned snapshot {}", path);
        } catch (final IOException e) {
            LOG.warn("cannot delete old snapshot {}: {}", path, e.toString());
        }
    }

    /** The configuration digest in a snapshot's header, read without verifying the file; null when it cannot be read. */
    public static byte[] digestOf(final Path path) {
        final ByteBuffer head = ByteBuffer.allocate(DIGEST_OFFSET + DIGEST_LENGTH).order(BYTE_ORDER);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            while (head.hasRemaining()) {
                if (ch.read(head) < 0) {
                    return null;
                }
            }
        } catch (final IOException e) {
            return null;
        }
        if (head.getInt(MAGIC_OFFSET) != MAGIC) {
            return null;
        }
        final byte[] digest = new byte[DIGEST_LENGTH];
        head.get(DIGEST_OFFSET, digest);
        return digest;
    }

    private void forceDirectory() {
        // makes the rename itself durable; not every platform can open a directory (then the rename
        // is as durable as the file system makes it)
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (final IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {}: {}", directory, e.toString());
        }
    }

    /**
     * Reads and verifies a snapshot file.
     *
     * @throws SnapshotCorruptException naming the file and what is wrong (too short, bad magic or
     *                                  version, length not the file's, CRC mismatch, name and header disagree)
     */
    public static SnapshotFile read(final Path path) {
        // mapped, not read into the heap: restoring a 1.95 GB snapshot held a copy of it beside the state being rebuilt,
        // and a server whose heap held its running state could not restart from its own snapshot (trial at 1 M users)
        final ByteBuffer b;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.READ)) {
            final long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new SnapshotCorruptException(path, "the file has " + size + " bytes, more than a snapshot can hold ("
                        + Integer.MAX_VALUE + ")");
            }
            b = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, size).order(BYTE_ORDER);
        } catch (final NoSuchFileException e) {
            throw new SnapshotCorruptException(path, "it no longer exists", e);
        } catch (final IOException e) {
            throw new SnapshotCorruptException(path, "cannot read it: " + e, e);
        }
        final int fileLength = b.capacity();
        if (fileLength < SnapshotDescriptor.V1_HEADER_LENGTH) {
            throw new SnapshotCorruptException(path, "the file has " + fileLength + " bytes, less than the "
                    + SnapshotDescriptor.V1_HEADER_LENGTH + "-byte header (cut short)");
        }
        if (b.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new SnapshotCorruptException(path, String.format("magic is 0x%08x, not 0x%08x (not a ringfence snapshot)",
                    b.getInt(MAGIC_OFFSET), MAGIC));
        }
        final short version = b.getShort(VERSION_OFFSET);
        if (version != VERSION && version != SnapshotDescriptor.VERSION_1) {
            throw new SnapshotCorruptException(path, "format version " + version + " is not a supported one ("
                    + SnapshotDescriptor.VERSION_1 + " or " + VERSION + ")", false); // a newer version's: not damaged
        }
        final int headerLength = version == VERSION ? HEADER_LENGTH : SnapshotDescriptor.V1_HEADER_LENGTH;
        final int crcOffset = version == VERSION ? CRC_OFFSET : SnapshotDescriptor.V1_CRC_OFFSET;
        if (fileLength < headerLength) {
            throw new SnapshotCorruptException(path, "the file has " + fileLength + " bytes, less than the "
                    + headerLength + "-byte header (cut short)");
        }
        final long length = b.getLong(CONTENT_LENGTH_OFFSET);
        if (length != fileLength - (long) headerLength) {
            throw new SnapshotCorruptException(path, "header says " + length + " content bytes but the file holds "
                    + (fileLength - headerLength) + (length > fileLength - (long) headerLength ? " (cut short)" : ""));
        }
        final CRC32C check = new CRC32C();
        check.update(b.duplicate().position(0).limit(crcOffset));
        check.update(b.duplicate().position(headerLength).limit(headerLength + (int) length));
        final int stored = b.getInt(crcOffset);
        if ((int) check.getValue() != stored) {
            throw new SnapshotCorruptException(path, String.format("CRC32C 0x%08x does not match the stored 0x%08x (damaged)",
                    (int) check.getValue(), stored));
        }
        final long sequence = b.getLong(SEQUENCE_OFFSET);
        final long named = SnapshotDescriptor.sequenceOf(path.getFileName().toString());
        if (named >= 0 && named != sequence) {
            throw new SnapshotCorruptException(path, "its name says sequence " + named + " but its header says " + sequence);
        }
        final byte[] digest = new byte[DIGEST_LENGTH];
        b.get(DIGEST_OFFSET, digest);
        final long record = version == VERSION ? b.getLong(SnapshotDescriptor.RECORD_FINGERPRINT_OFFSET) : 0;
        final ByteBuffer content = b.duplicate().position(headerLength).limit(headerLength + (int) length).slice().order(BYTE_ORDER);
        return new SnapshotFile(path, sequence, digest, record, content);
    }
}

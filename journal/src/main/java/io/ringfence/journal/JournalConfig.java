package io.ringfence.journal;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.queue.rollcycles.SparseRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Immutable journal configuration. Build with {@link #builder(Path)} or {@link #of(Path)} (defaults);
 * {@link Builder#build()} validates every field once and names the field and the bad value on error.
 */
public final class JournalConfig {
    public static final String DEFAULT_ROLL_CYCLE = "FAST_DAILY";
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
    /** Upper bound for maxPayloadBytes: stays well below Chronicle's per-excerpt limit (a fraction of the block size). */
    public static final int MAX_PAYLOAD_BYTES_LIMIT = 8 << 20;
    /** Default {@code pretouchAheadBytes}: ~0.25 s of the fastest pipeline's journal, 5 s at 50 k events/s. */
    public static final long DEFAULT_PRETOUCH_AHEAD_BYTES = 32L << 20;
    public static final long DEFAULT_PRETOUCH_INTERVAL_MILLIS = 5;
    /** Free space below which appends are refused ({@link DiskSpaceGuard}). */
    public static final long DEFAULT_MIN_FREE_BYTES = 64L << 20;

    private final Path directory;
    private final String rollCycle;
    private final int maxPayloadBytes;
    private final RollCycle chronicleRollCycle;
    private final TimeProvider timeProvider;
    private final JournalSync sync;
    private final long syncIntervalMillis;
    private final boolean pretouch;
    private final long pretouchAheadBytes;
    private final long pretouchIntervalMillis;
    private final long minFreeBytes;
    private final LongSupplier usableBytes;
    private final boolean forReading;
    private final java.util.function.Predicate<Path> writable;
    private final Path archiveDirectory;
    private final boolean archiveMadeInParent;
    private final long sealEveryMillis;
    private final byte[] sealKey;
    private final RecordKeys recordKeys;
    private final int keyIndexShift;

    private JournalConfig(Builder builder, RollCycle chronicleRollCycle) {
        this.sealEveryMillis = builder.sealEveryMillis;
        this.sealKey = builder.sealKey;
        this.recordKeys = builder.recordKeys;
        this.keyIndexShift = builder.keyIndexShift;
        this.archiveDirectory = builder.archiveDirectory;
        this.archiveMadeInParent = builder.archiveMadeInParent;
        this.forReading = builder.forReading;
        this.writable = builder.writable;
        this.pretouch = builder.pretouch;
        this.pretouchAheadBytes = builder.pretouchAheadBytes;
        this.pretouchIntervalMillis = builder.pretouchIntervalMillis;
        this.sync = builder.sync;
        this.syncIntervalMillis = builder.syncIntervalMillis;
        this.directory = builder.directory;
        this.rollCycle = builder.rollCycle;
        this.maxPayloadBytes = builder.maxPayloadBytes;
        this.chronicleRollCycle = chronicleRollCycle;
        this.timeProvider = builder.timeProvider;
        this.minFreeBytes = builder.minFreeBytes;
        this.usableBytes = builder.usableBytes;
    }

    /** A configuration with all defaults for {@code directory}. */
    public static JournalConfig of(Path directory) {
        return builder(directory).build();
    }

    public static Builder builder(Path directory) {
        return new Builder().directory(directory);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The data directory holding the Chronicle queue files. */
    public Path directory() {
        return directory;
    }

    /** Whether the journal is only read: see {@link Builder#forReading()}. */
    public boolean forReading() {
        return forReading;
    }

    /**
     * Whether a file or directory may be written: the file system allows it and its permission bits say so. Root
     * may write a file without write bits, but a copy made read-only by {@code chmod -R a-w} means "do not change"
     * (new-user trial: readers run as root changed its metadata).
     */
    static boolean writableByPermissions(final Path path) {
        if (!java.nio.file.Files.isWritable(path)) {
            return false;
        }
        try {
            final java.util.Set<java.nio.file.attribute.PosixFilePermission> p = java.nio.file.Files.getPosixFilePermissions(path);
            return p.contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)
                    || p.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    || p.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
        } catch (final UnsupportedOperationException | java.io.IOException e) {
            return true; // no POSIX permissions here: the file system's answer stands
        }
    }

    /** Whether {@code directory} can be written (see {@link Builder#writableCheck}). */
    boolean writable(final Path directory) {
        return writable.test(directory);
    }

    /**
     * Where the writer moves cycle files whose every event precedes the oldest snapshot kept ({@link JournalArchiver}),
     * or null: the journal is kept whole in its directory.
     */
    public Path archiveDirectory() {
        return archiveDirectory;
    }

    /**
     * Whether {@link #archiveDirectory()} is a subdirectory of the configured archive that the writer makes itself when
     * its parent (the archive the operator created) exists ({@link Builder#archiveSubdirectory}).
     */
    public boolean archiveMadeInParent() {
        return archiveMadeInParent;
    }

    /** How often the writer seals its journal ({@link JournalSealer}); 0: it does not. */
    public long sealEveryMillis() {
        return sealEveryMillis;
    }

    /** What the sealer indexes each record by ({@link KeyIndex}), or null: no key index. */
    public RecordKeys recordKeys() {
        return recordKeys;
    }

    /** The key index's block: {@code 2^keyIndexShift} records. */
    public int keyIndexShift() {
        return keyIndexShift;
    }

    /** The key of the seals' HMACs ({@link JournalSeals}), or null: seals without one. */
    public byte[] sealKey() {
        return sealKey == null ? null : sealKey.clone();
    }

    /** Name of the Chronicle roll cycle, e.g. "FAST_DAILY". */
    public String rollCycle() {
        return rollCycle;
    }

    /** Largest payload accepted by {@link JournalAppender#append}. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** When appended bytes are forced to disk. */
    public JournalSync sync() {
        return sync;
    }

    /** Interval of {@link JournalSync#PERIODIC}. */
    public long syncIntervalMillis() {
        return syncIntervalMillis;
    }

    /** Whether a background thread reads the queue file ahead of the writer ({@link JournalPretoucher}). */
    public boolean pretouch() {
        return pretouch;
    }

    /** How far beyond the writer the pretoucher keeps the file in the page cache. */
    public long pretouchAheadBytes() {
        return pretouchAheadBytes;
    }

    /** How long the pretoucher parks between passes. */
    public long pretouchIntervalMillis() {
        return pretouchIntervalMillis;
    }

    /** Free space below which appends are refused; 0 = never. */
    public long minFreeBytes() {
        return minFreeBytes;
    }

    /** Where free space is read from: the directory's file system unless a test set another. */
    LongSupplier usableBytes() {
        return usableBytes != null ? usableBytes : DiskSpaceGuard.of(directory);
    }

    RollCycle chronicleRollCycle() {
        return chronicleRollCycle;
    }

    TimeProvider timeProvider() {
        return timeProvider;
    }

    @Override
    public String toString() {
        return "JournalConfig{directory=" + directory + ", rollCycle=" + rollCycle
                + ", maxPayloadBytes=" + maxPayloadBytes + ", pretouch=" + pretouch + '}';
    }

    public static final class Builder {
        private Path directory;
        private String rollCycle = DEFAULT_ROLL_CYCLE;
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private TimeProvider timeProvider = SystemTimeProvider.INSTANCE;
        private JournalSync sync = JournalSync.NONE;
        private long syncIntervalMillis = 1_000;
        private boolean pretouch = true;
        private long pretouchAheadBytes = DEFAULT_PRETOUCH_AHEAD_BYTES;
        private long pretouchIntervalMillis = DEFAULT_PRETOUCH_INTERVAL_MILLIS;
        private long minFreeBytes = DEFAULT_MIN_FREE_BYTES;
        private LongSupplier usableBytes;
        private boolean forReading;
        private java.util.function.Predicate<Path> writable = JournalConfig::writableByPermissions;
        private Path archiveDirectory;
        private boolean archiveMadeInParent;
        private long sealEveryMillis;
        private byte[] sealKey;
        private RecordKeys recordKeys;
        private int keyIndexShift = KeyIndex.DEFAULT_SHIFT;

        /**
         * Has the sealer write a {@link KeyIndex} of each record's {@code keys} in blocks of {@code 2^shift} records
         * (sealing on only); null keys (the default): none.
         */
        public Builder keyIndex(final RecordKeys keys, final int shift) {
            this.recordKeys = keys;
            this.keyIndexShift = shift;
            return this;
        }

        /**
         * Seals the journal every {@code everyMillis} ({@link JournalSealer}, {@link JournalSeals}), with HMACs under
         * {@code key} when not null; {@code everyMillis} 0 (the default) seals nothing.
         */
        public Builder seal(final long everyMillis, final byte[] key) {
            this.sealEveryMillis = everyMillis;
            this.sealKey = key == null ? null : key.clone();
            return this;
        }

        /** Moves old cycle files to {@code directory} ({@link JournalArchiver}); null (the default) keeps them in place. */
        public Builder archiveDirectory(final Path directory) {
            this.archiveDirectory = directory;
            this.archiveMadeInParent = false;
            return this;
        }

        /**
         * Moves old cycle files to {@code archive}'s subdirectory {@code name}, which the writer makes when {@code archive}
         * exists (the archive is the operator's: it is never made, so that a disk that is not mounted is not filled in its
         * place; a subdirectory of one that exists is on it): a second journal of a data directory, such as the answers
         * log, archived beside the events' journal. Null {@code archive}: none.
         */
        public Builder archiveSubdirectory(final Path archive, final String name) {
            this.archiveDirectory = archive == null ? null : archive.resolve(name);
            this.archiveMadeInParent = archive != null;
            return this;
        }

        private Builder() {
        }

        /** Whether a directory can be written, as {@link #forReading()} asks (tests: root may write anywhere). */
        public Builder writableCheck(final java.util.function.Predicate<Path> writable) {
            this.writable = java.util.Objects.requireNonNull(writable, "writable");
            return this;
        }

        /**
         * The journal is only read (dump, replay, explain): when its directory exists but cannot be
         * written (a read-only mount, a copy kept as evidence) it is opened read-only instead of refused,
         * and nothing is created in it. Such a journal has no writer.
         */
        public Builder forReading() {
            this.forReading = true;
            return this;
        }

        /**
         * Reads the queue file up to {@code aheadBytes} beyond the writer every {@code intervalMillis}
         * on a background thread, so appends do not stall on page faults; see {@link JournalPretoucher}.
         */
        public Builder pretouch(boolean enabled, long aheadBytes, long intervalMillis) {
            this.pretouch = enabled;
            this.pretouchAheadBytes = aheadBytes;
            this.pretouchIntervalMillis = intervalMillis;
            return this;
        }

        /**
         * Appends are refused while the journal's file system has less than {@code bytes} free
         * ({@link DiskSpaceGuard}); 0 turns the guard off.
         */
        public Builder minFreeBytes(long bytes) {
            this.minFreeBytes = bytes;
            return this;
        }

        /** Where free space is read from (tests: a full disk without filling one). */
        Builder usableBytes(LongSupplier usableBytes) {
            this.usableBytes = Objects.requireNonNull(usableBytes, "usableBytes");
            return this;
        }

        /** @param intervalMillis for {@link JournalSync#PERIODIC}; ignored otherwise */
        public Builder sync(JournalSync sync, long intervalMillis) {
            this.sync = Objects.requireNonNull(sync, "sync");
            this.syncIntervalMillis = intervalMillis;
            return this;
        }

        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        public Builder rollCycle(String rollCycle) {
            this.rollCycle = rollCycle;
            return this;
        }

        public Builder maxPayloadBytes(int maxPayloadBytes) {
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        /** Clock Chronicle uses to decide the roll cycle; tests use a SetTimeProvider to roll without sleeping. */
        Builder timeProvider(TimeProvider timeProvider) {
            this.timeProvider = Objects.requireNonNull(timeProvider, "timeProvider");
            return this;
        }

        /** Validates and builds; {@link JournalException} names the bad field and value. */
        public JournalConfig build() {
            if (directory == null) {
                throw new JournalException("JournalConfig.directory is required but was not set");
            }
            if (maxPayloadBytes < 0 || maxPayloadBytes > MAX_PAYLOAD_BYTES_LIMIT) {
                throw new JournalException("JournalConfig.maxPayloadBytes must be between 0 and "
                        + MAX_PAYLOAD_BYTES_LIMIT + " but was " + maxPayloadBytes);
            }
            if (sync == JournalSync.PERIODIC && syncIntervalMillis < 1) {
                throw new JournalException("JournalConfig.syncIntervalMillis must be at least 1 for periodic sync but was "
                        + syncIntervalMillis);
            }
            if (pretouch && (pretouchAheadBytes < JournalPretoucher.PAGE || pretouchAheadBytes > 1L << 30)) {
                throw new JournalException("JournalConfig.pretouchAheadBytes must be between " + JournalPretoucher.PAGE
                        + " (one page) and " + (1L << 30) + " (1 GiB of page cache) but was " + pretouchAheadBytes);
            }
            if (pretouch && (pretouchIntervalMillis < 1 || pretouchIntervalMillis > 10_000)) {
                throw new JournalException("JournalConfig.pretouchIntervalMillis must be between 1 and 10000 but was "
                        + pretouchIntervalMillis);
            }
            if (sealEveryMillis != 0 && (sealEveryMillis < 100 || sealEveryMillis > 3_600_000)) {
                throw new JournalException("JournalConfig.sealEveryMillis must be 0 (no seals) or between 100 and 3600000 but was "
                        + sealEveryMillis);
            }
            if (recordKeys != null && (keyIndexShift < KeyIndex.MIN_SHIFT || keyIndexShift > KeyIndex.MAX_SHIFT)) {
                throw new JournalException("JournalConfig.keyIndexShift must be between " + KeyIndex.MIN_SHIFT + " and "
                        + KeyIndex.MAX_SHIFT + " but was " + keyIndexShift);
            }
            if (sealKey != null && sealKey.length < 16) {
                throw new JournalException("JournalConfig.sealKey must be at least 16 bytes but was " + sealKey.length);
            }
            if (minFreeBytes < 0) {
                throw new JournalException("JournalConfig.minFreeBytes must be at least 0 but was " + minFreeBytes);
            }
            if (archiveDirectory != null && archiveDirectory.toAbsolutePath().normalize()
                    .equals(directory.toAbsolutePath().normalize())) {
                throw new JournalException("JournalConfig.archiveDirectory must be another directory than the journal's own ("
                        + directory + "): cycle files are moved out of it");
            }
            return new JournalConfig(this, resolveRollCycle(rollCycle));
        }
    }

    static RollCycle resolveRollCycle(String name) {
        if (name == null || name.isBlank()) {
            throw new JournalException("JournalConfig.rollCycle is required but was "
                    + (name == null ? "null" : "blank") + "; default is " + DEFAULT_ROLL_CYCLE);
        }
        List<String> known = new ArrayList<>();
        for (RollCycle[] family : rollCycleFamilies()) {
            for (RollCycle candidate : family) {
                String candidateName = ((Enum<?>) candidate).name();
                if (candidateName.equalsIgnoreCase(name)) { // fast_daily as FAST_DAILY, as the engine's other names
                    return candidate;
                }
                known.add(candidateName);
            }
        }
        throw new JournalException("JournalConfig.rollCycle '" + name
                + "' is not a Chronicle roll cycle; expected one of " + known);
    }

    private static RollCycle[][] rollCycleFamilies() {
        return new RollCycle[][]{
                RollCycles.values(), LargeRollCycles.values(), SparseRollCycles.values(),
                LegacyRollCycles.values(), TestRollCycles.values()};
    }

    /**
     * Whether {@code stem} (a {@code .cq4} file's name without it) names a cycle under some Chronicle roll cycle: a
     * journal keeps the roll cycle it was created with, which may not be the configured one, so any is accepted.
     */
    static boolean isCycleName(final String stem) {
        for (final java.time.format.DateTimeFormatter f : CYCLE_NAMES) {
            final java.text.ParsePosition at = new java.text.ParsePosition(0);
            if (f.parseUnresolved(stem, at) != null && at.getErrorIndex() < 0 && at.getIndex() == stem.length()) {
                return true;
            }
        }
        return false;
    }

    /** The file name patterns of every Chronicle roll cycle, compiled once (review: per file and open before). */
    private static final List<java.time.format.DateTimeFormatter> CYCLE_NAMES = cycleNames();

    private static List<java.time.format.DateTimeFormatter> cycleNames() {
        final java.util.Map<String, java.time.format.DateTimeFormatter> byPattern = new java.util.LinkedHashMap<>();
        for (final RollCycle[] family : rollCycleFamilies()) {
            for (final RollCycle candidate : family) {
                try {
                    byPattern.computeIfAbsent(candidate.format(), java.time.format.DateTimeFormatter::ofPattern);
                } catch (final RuntimeException e) {
                    // a pattern java.time does not read: none of its files is recognised by it
                }
            }
        }
        return List.copyOf(byPattern.values());
    }
}

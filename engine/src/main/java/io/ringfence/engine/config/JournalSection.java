package io.ringfence.engine.config;

import java.util.Set;

/**
 * The {@code journal:} section.
 *
 * <pre>
 * journal:
 *   rollCycle: FAST_DAILY    # Chronicle Queue roll cycle: FAST_HOURLY, FAST_DAILY, ...
 *   sync: none               # none | periodic | batch: when appended events are forced to disk (docs/recovery.md "Durability")
 *   syncEvery: 1s            # the interval of periodic
 *   pretouch: true           # a background thread reads the queue file ahead of the writer (no page-fault stalls)
 *   pretouchAheadMiB: 32     # how far ahead, 1..1024
 *   pretouchEvery: 5ms       # how often it looks where the writer is, 1ms..10s
 *   minFreeMiB: 64           # appends are refused below this much free disk (0 = never; docs/recovery.md "Durability")
 *   archive: null            # a directory (relative to the data directory, or absolute): cycle files whose events all
 *                            # precede the oldest snapshot kept are moved there, and the answers log's files of their
 *                            # answers to its subdirectory answers/; null keeps the journal whole in place
 *   sealEvery: 60s           # how often the writer seals its journal (journal-seals.txt, `ringfence verify`); 0s = never
 *   sealKey: null            # a file (relative to the configuration file's directory) of 16+ secret bytes, outside the data
 *                            # directory: each seal then carries an HMAC that only its holder can write
 *   keepAnswers: true        # the server keeps every answer it gives (Decision; Reject of a journaled event) in
 *                            # DATA/answers, a journal of its own (sealed as this one): what was sent, not re-decided
 * </pre>
 */
public final class JournalSection {
    private static final Set<String> KNOWN = Set.of("FAST_HOURLY", "FAST_DAILY", "HOURLY", "DAILY", "LARGE_DAILY",
            "LARGE_HOURLY", "HUGE_DAILY", "WEEKLY", "FIVE_MINUTELY", "TEN_MINUTELY", "TWENTY_MINUTELY",
            "HALF_HOURLY", "TWO_HOURLY", "FOUR_HOURLY", "SIX_HOURLY");
    public String rollCycle = "FAST_DAILY";
    public String sync = "none";
    public String syncEvery = "1s";
    public boolean pretouch = true;
    public int pretouchAheadMiB = 32;
    public String pretouchEvery = "5ms";
    public int minFreeMiB = 64;
    public String archive;
    public String sealEvery = "60s";
    public String sealKey;
    public boolean keepAnswers = true;

    public void validate(final String path) {
        if (rollCycle == null || !KNOWN.contains(rollCycle.toUpperCase(java.util.Locale.ROOT))) { // any case, as other names
            throw new ConfigException(path + ".rollCycle", rollCycle, "is not a roll cycle (one of " + new java.util.TreeSet<>(KNOWN) + ")");
        }
        journalSync(path);
        final long every = Durations.parseMicros(path + ".syncEvery", syncEvery);
        if (every < 1_000) {
            throw new ConfigException(path + ".syncEvery", syncEvery, "must be at least 1ms");
        }
        if (pretouchAheadMiB < 1 || pretouchAheadMiB > 1024) {
            throw new ConfigException(path + ".pretouchAheadMiB", pretouchAheadMiB,
                    "must be between 1 and 1024 (MiB of page cache kept ready ahead of the writer)");
        }
        if (minFreeMiB < 0 || minFreeMiB > 1 << 20) {
            throw new ConfigException(path + ".minFreeMiB", minFreeMiB,
                    "must be between 0 (no reserve) and 1048576 (MiB of free disk below which appends are refused)");
        }
        if (archive != null) {
            final java.nio.file.Path where;
            try {
                where = java.nio.file.Path.of(archive).normalize();
            } catch (final java.nio.file.InvalidPathException e) {
                throw new ConfigException(path + ".archive", archive, "is not a path (" + e.getReason() + ")");
            }
            if (archive.isBlank() || where.toString().isEmpty() || where.toString().equals(".")) {
                throw new ConfigException(path + ".archive", archive, "must name a directory other than the data directory"
                        + " (cycle files are moved out of it); leave it out to keep the journal whole in place");
            }
        }
        final long seal = Durations.parseMicros(path + ".sealEvery", sealEvery);
        if (seal != 0 && (seal < 100_000 || seal > 3_600_000_000L)) {
            throw new ConfigException(path + ".sealEvery", sealEvery, "must be 0s (no seals) or between 100ms and 1h");
        }
        if (sealKey != null && sealKey.isBlank()) {
            throw new ConfigException(path + ".sealKey", sealKey, "must name a file of 16 or more secret bytes; leave it out for"
                    + " seals without a key");
        }
        final long pretouchMicros = Durations.parseMicros(path + ".pretouchEvery", pretouchEvery);
        if (pretouchMicros < 1_000 || pretouchMicros > 10_000_000) {
            throw new ConfigException(path + ".pretouchEvery", pretouchEvery, "must be between 1ms and 10s");
        }
    }

    /** The validated {@code sync} setting. */
    public io.ringfence.journal.JournalSync journalSync(final String path) {
        if (sync != null) {
            switch (sync.toLowerCase(java.util.Locale.ROOT)) {
                case "none":
                    return io.ringfence.journal.JournalSync.NONE;
                case "periodic":
                    return io.ringfence.journal.JournalSync.PERIODIC;
                case "batch":
                    return io.ringfence.journal.JournalSync.BATCH;
                default:
                    break;
            }
        }
        throw new ConfigException(path + ".sync", sync, "is not a sync policy (none, periodic or batch)");
    }

    /** The journal's settings for {@code dataDir}, as its writer uses them (sealing as configured). */
    public io.ringfence.journal.JournalConfig toJournalConfig(final java.nio.file.Path dataDir, final int maxPayloadBytes) {
        return toJournalConfig(dataDir, maxPayloadBytes, true);
    }

    /**
     * The same; {@code sealing} false for a tool that opens the writer's journal without being its writer for long (a
     * check before the start, {@code repair}): it seals nothing, so it does not read the journal to do so.
     */
    public io.ringfence.journal.JournalConfig toJournalConfig(final java.nio.file.Path dataDir, final int maxPayloadBytes,
                                                              final boolean sealing) {
        return io.ringfence.journal.JournalConfig.builder(dataDir).rollCycle(rollCycle).maxPayloadBytes(maxPayloadBytes)
                .sync(journalSync("journal"), Durations.parseMicros("journal.syncEvery", syncEvery) / 1_000)
                .pretouch(pretouch, (long) pretouchAheadMiB << 20, Durations.parseMicros("journal.pretouchEvery", pretouchEvery) / 1_000)
                .minFreeBytes((long) minFreeMiB << 20)
                .archiveDirectory(archiveIn(dataDir))
                .seal(sealing ? Durations.parseMicros("journal.sealEvery", sealEvery) / 1_000 : 0, sealing ? sealKeyFor(dataDir) : null)
                .keyIndex(sealing ? new io.ringfence.engine.codec.IdKeys() : null, io.ringfence.journal.KeyIndex.DEFAULT_SHIFT)
                .build();
    }

    /**
     * The settings of the server's answers log in {@code answersDir} (inside {@code dataDir}): this journal's roll cycle,
     * sync, pretouch, disk reserve and seals; with {@code archive}, its old cycle files go to the archive's subdirectory
     * named as the log's ({@code answers}), made there when the archive exists.
     */
    public io.ringfence.journal.JournalConfig toAnswersConfig(final java.nio.file.Path dataDir,
                                                              final java.nio.file.Path answersDir, final int maxPayloadBytes) {
        return toAnswersConfig(dataDir, answersDir, maxPayloadBytes, true);
    }

    /** The same; {@code sealing} false for a copy that the writer's next open seals (as found). */
    public io.ringfence.journal.JournalConfig toAnswersConfig(final java.nio.file.Path dataDir, final java.nio.file.Path answersDir,
                                                              final int maxPayloadBytes, final boolean sealing) {
        return io.ringfence.journal.JournalConfig.builder(answersDir).rollCycle(rollCycle).maxPayloadBytes(maxPayloadBytes)
                .archiveSubdirectory(archiveIn(dataDir), answersDir.getFileName().toString())
                .sync(journalSync("journal"), Durations.parseMicros("journal.syncEvery", syncEvery) / 1_000)
                .pretouch(pretouch, (long) pretouchAheadMiB << 20, Durations.parseMicros("journal.pretouchEvery", pretouchEvery) / 1_000)
                .minFreeBytes((long) minFreeMiB << 20)
                .seal(sealing ? Durations.parseMicros("journal.sealEvery", sealEvery) / 1_000 : 0, sealing ? sealKeyFor(dataDir) : null)
                .build();
    }

    /** Takes a relative {@code sealKey} as relative to {@code dir} (the configuration file's), as {@code fraud.model}. */
    public void resolveSealKeyAgainst(final java.nio.file.Path dir) {
        try {
            if (sealKey != null && !sealKey.isBlank() && dir != null && !java.nio.file.Path.of(sealKey).isAbsolute()) {
                sealKey = dir.resolve(sealKey).normalize().toString();
            }
        } catch (final java.nio.file.InvalidPathException e) {
            // left as written: reading it says why
        }
    }

    /**
     * The seal key's bytes for a journal in {@code dataDir}, or null when none is configured.
     *
     * @throws ConfigException when the file does not read, is shorter than 16 bytes, or lies in the data directory (whoever
     *                         could change the journal could then read the key and write seals that pass)
     */
    public byte[] sealKeyFor(final java.nio.file.Path dataDir) {
        if (sealKey == null) {
            return null;
        }
        final java.nio.file.Path file;
        try {
            file = java.nio.file.Path.of(sealKey);
        } catch (final java.nio.file.InvalidPathException e) {
            throw new ConfigException("journal.sealKey", sealKey, "is not a path (" + e.getReason() + ")");
        }
        try {
            final java.nio.file.Path real = file.toRealPath();
            final java.nio.file.Path data = java.nio.file.Files.isDirectory(dataDir) ? dataDir.toRealPath()
                    : dataDir.toAbsolutePath().normalize();
            if (real.startsWith(data)) {
                throw new ConfigException("journal.sealKey", sealKey, "is inside the data directory " + dataDir + ": whoever can"
                        + " change the journal could read it and write seals that pass; keep it elsewhere, readable by the"
                        + " server's user only");
            }
            final byte[] key = java.nio.file.Files.readAllBytes(real);
            if (key.length < 16) {
                throw new ConfigException("journal.sealKey", sealKey, "holds " + key.length + " bytes; a key needs 16 or more"
                        + " (e.g. `head -c 32 /dev/urandom > FILE`)");
            }
            return key;
        } catch (final java.io.IOException e) {
            throw new ConfigException("journal.sealKey", sealKey, "cannot be read (" + e + ")");
        }
    }

    /** The archive directory for {@code dataDir}, or null; refused when it is the data directory itself (absolute). */
    private java.nio.file.Path archiveIn(final java.nio.file.Path dataDir) {
        if (archive == null) {
            return null;
        }
        final java.nio.file.Path where = dataDir.resolve(archive);
        if (where.toAbsolutePath().normalize().equals(dataDir.toAbsolutePath().normalize())) {
            throw new ConfigException("journal.archive", archive, "is the data directory " + dataDir + ": cycle files are moved"
                    + " out of it, to a directory of their own");
        }
        return where;
    }
}

package io.ringfence.engine.config;

import java.util.Set;

/**
 * The {@code journal:} section.
 *
 * <pre>
 * journal:
 *   rollCycle: FAST_DAILY    # Chronicle Queue roll cycle: FAST_HOURLY, FAST_DAILY, ...
 *   sync: none               # none | periodic | batch: when appended events are forced to disk (README "Durability")
 *   syncEvery: 1s            # the interval of periodic
 * </pre>
 */
public final class JournalSection {
    private static final Set<String> KNOWN = Set.of("FAST_HOURLY", "FAST_DAILY", "HOURLY", "DAILY", "LARGE_DAILY",
            "LARGE_HOURLY", "HUGE_DAILY", "WEEKLY", "FIVE_MINUTELY", "TEN_MINUTELY", "TWENTY_MINUTELY",
            "HALF_HOURLY", "TWO_HOURLY", "FOUR_HOURLY", "SIX_HOURLY");
    public String rollCycle = "FAST_DAILY";
    public String sync = "none";
    public String syncEvery = "1s";

    public void validate(final String path) {
        if (rollCycle == null || !KNOWN.contains(rollCycle)) {
            throw new ConfigException(path + ".rollCycle", rollCycle, "is not a roll cycle (one of " + new java.util.TreeSet<>(KNOWN) + ")");
        }
        journalSync(path);
        final long every = Durations.parseMicros(path + ".syncEvery", syncEvery);
        if (every < 1_000) {
            throw new ConfigException(path + ".syncEvery", syncEvery, "must be at least 1ms");
        }
    }

    /** The validated {@code sync} setting. */
    public io.ringfence.journal.JournalSync journalSync(final String path) {
        if (sync != null) {
            switch (sync) {
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

    /** The journal's settings for {@code dataDir}. */
    public io.ringfence.journal.JournalConfig toJournalConfig(final java.nio.file.Path dataDir, final int maxPayloadBytes) {
        return io.ringfence.journal.JournalConfig.builder(dataDir).rollCycle(rollCycle).maxPayloadBytes(maxPayloadBytes)
                .sync(journalSync("journal"), Durations.parseMicros("journal.syncEvery", syncEvery) / 1_000).build();
    }
}

package io.ringfence.engine.config;

import java.util.Set;

/**
 * The {@code journal:} section.
 *
 * <pre>
 * journal:
 *   rollCycle: FAST_DAILY    # Chronicle Queue roll cycle: FAST_HOURLY, FAST_DAILY, ...
 * </pre>
 */
public final class JournalSection {
    private static final Set<String> KNOWN = Set.of("FAST_HOURLY", "FAST_DAILY", "HOURLY", "DAILY", "LARGE_DAILY",
            "LARGE_HOURLY", "HUGE_DAILY", "WEEKLY", "FIVE_MINUTELY", "TEN_MINUTELY", "TWENTY_MINUTELY",
            "HALF_HOURLY", "TWO_HOURLY", "FOUR_HOURLY", "SIX_HOURLY");
    public String rollCycle = "FAST_DAILY";

    public void validate(final String path) {
        if (rollCycle == null || !KNOWN.contains(rollCycle)) {
            throw new ConfigException(path + ".rollCycle", rollCycle, "is not a roll cycle (one of " + new java.util.TreeSet<>(KNOWN) + ")");
        }
    }
}

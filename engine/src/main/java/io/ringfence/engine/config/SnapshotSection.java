package io.ringfence.engine.config;

/**
 * The {@code snapshot:} section (docs/recovery.md "Snapshots and recovery").
 *
 * <pre>
 * snapshot:
 *   enabled: true
 *   everyEvents: 1000000   # after every event whose sequence is a multiple of this; 0 = not by count
 *   everyEventTime: 1h     # after the first event of each new period of journaled ingest time; 0s = not by time
 *   retain: 3              # newest snapshots kept
 *   retainHourly: 0        # and the first snapshot of each of the last N hours (UTC) that have one
 *   retainDaily: 7         # and the first snapshot of each of the last N days (UTC) that have one
 *   dir: snapshots         # relative to the data directory
 *   writer: engine         # engine: the business thread serialises its state between two events (pauses it);
 *                          # replica: a second engine on its own thread follows the journal and writes them
 * </pre>
 *
 * A snapshot is also written on clean shutdown.
 */
public final class SnapshotSection {
    public boolean enabled = true;
    public long everyEvents = 1_000_000;
    public String everyEventTime = "1h";
    public int retain = 3;
    /** The first snapshot of each of the last this many hours is kept too (explain and replay of older events start there). */
    public int retainHourly = 0;
    /** The first snapshot of each of the last this many days is kept too. */
    public int retainDaily = 7;
    public String dir = "snapshots";
    public String writer = "engine";

    public void validate(final String path) {
        if (everyEvents < 0) {
            throw new ConfigException(path + ".everyEvents", everyEvents, "must be 0 (not by count) or a positive number of events");
        }
        final long micros = everyEventTimeMicros(path);
        if (micros != 0 && micros < 1_000_000L) {
            throw new ConfigException(path + ".everyEventTime", everyEventTime, "must be 0s (not by time) or at least 1s");
        }
        if (retain < 1 || retain > 1000) {
            throw new ConfigException(path + ".retain", retain, "must be between 1 and 1000 (the newest snapshots kept)");
        }
        if (retainHourly < 0 || retainHourly > 10_000) {
            throw new ConfigException(path + ".retainHourly", retainHourly, "must be between 0 and 10000 (hours whose first"
                    + " snapshot is kept besides the newest, for explain and replay of older events; 0 = none)");
        }
        if (retainDaily < 0 || retainDaily > 10_000) {
            throw new ConfigException(path + ".retainDaily", retainDaily, "must be between 0 and 10000 (days whose first"
                    + " snapshot is kept besides the newest, for explain and replay of older events; 0 = none)");
        }
        if (dir == null || dir.isBlank()) {
            throw new ConfigException(path + ".dir", dir, "must name a directory (relative to the data directory, or absolute)");
        }
        if (!"engine".equalsIgnoreCase(writer) && !"replica".equalsIgnoreCase(writer)) {
            throw new ConfigException(path + ".writer", writer, "must be engine (the live engine serialises its state) or replica"
                    + " (a second engine following the journal writes the snapshots; the live one never pauses for them)");
        }
    }

    /** True when a replica engine, not the live one, writes the snapshots ({@code writer: replica}). */
    public boolean byReplica() {
        return "replica".equalsIgnoreCase(writer);
    }

    /** Which snapshots are kept after each write. */
    public io.ringfence.journal.snapshot.SnapshotRetention retention() {
        return new io.ringfence.journal.snapshot.SnapshotRetention(retain, retainHourly, retainDaily);
    }

    public long everyEventTimeMicros(final String path) {
        return Durations.parseMicros(path + ".everyEventTime", everyEventTime);
    }
}

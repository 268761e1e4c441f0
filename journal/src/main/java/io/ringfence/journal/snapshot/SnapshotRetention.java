package io.ringfence.journal.snapshot;

/**
 * Which snapshots of one configuration are kept: the newest {@code retain}, and besides them the first snapshot of
 * each of the last {@code hourly} UTC hours and of each of the last {@code daily} UTC days that have one, by the time
 * each counts in: the journaled ingest time of its last event where the store is told it
 * ({@link SnapshotStore#timedBy}, a server), else the time its file was written. The newest few are what a restart recovers from; the spaced ones are where {@code explain} and a
 * filtered {@code replay} of last week's events start, so an old incident replays at most an hour or a day of journal
 * instead of the journal from its first event (before, {@code retain: 3} kept the last two or three hours only).
 *
 * <p>The first of each period, not the last: a snapshot taken before every event of its hour or day can start the
 * replay of any of them. Each file counts in the period of its own time, so one with a time in the past (a clock set
 * back) moves only itself; a time after now counts as now (it cannot take a period of the future, but can stand for
 * today, taking the place of today's real first), and an unknown one as its newer neighbour's (a timed store keeps
 * those out of the choice instead). The periods kept are the newest that hold a snapshot, not calendar ones.
 */
public final class SnapshotRetention {
    static final long HOUR_MS = 3_600_000L;
    static final long DAY_MS = 24 * HOUR_MS;

    private final int retain;
    private final int hourly;
    private final int daily;

    /**
     * @param retain newest snapshots kept (at least 1)
     * @param hourly hours, newest first, whose first snapshot is kept (0 = none)
     * @param daily  UTC days, newest first, whose first snapshot is kept (0 = none)
     */
    public SnapshotRetention(final int retain, final int hourly, final int daily) {
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be at least 1, was " + retain);
        }
        if (hourly < 0 || daily < 0) {
            throw new IllegalArgumentException("hourly and daily must be 0 or more, were " + hourly + " and " + daily);
        }
        this.retain = retain;
        this.hourly = hourly;
        this.daily = daily;
    }

    /** Only the newest {@code retain}. */
    public static SnapshotRetention newest(final int retain) {
        return new SnapshotRetention(retain, 0, 0);
    }

    public int retain() {
        return retain;
    }

    public int hourly() {
        return hourly;
    }

    public int daily() {
        return daily;
    }

    /** A write time that could not be read. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    /**
     * Which of {@code writtenAtMs} (write times, epoch ms, of one configuration's snapshots, newest sequence first;
     * {@link #UNKNOWN} where unreadable) are kept, as of {@code nowMs}.
     */
    public boolean[] keep(final long[] writtenAtMs, final long nowMs) {
        final long[] at = times(writtenAtMs, nowMs);
        final boolean[] kept = new boolean[at.length];
        for (int i = 0; i < at.length && i < retain; i++) {
            kept[i] = true;
        }
        keepFirstOfPeriods(at, HOUR_MS, hourly, Long.MIN_VALUE, kept);
        keepFirstOfPeriods(at, DAY_MS, daily, Long.MIN_VALUE, kept);
        return kept;
    }

    /**
     * Which of another configuration's snapshots ({@code writtenAtMs} as for {@link #keep}) are kept once this one has
     * {@code retain} of its own: none can be continued by a start, but {@code explain} of an order that configuration
     * decided starts from them. The first of each of the last {@code daily} calendar days and {@code hourly} calendar
     * hours, as of {@code nowMs}, so that they go as their days pass (its newest periods never change once it is
     * replaced). Before, a start under changed settings deleted every one of them (e-2-e trial: a week of daily
     * snapshots, and explain of an order decided the day before the change replayed the journal from its start).
     */
    public boolean[] keepReplaced(final long[] writtenAtMs, final long nowMs) {
        final long[] at = times(writtenAtMs, nowMs);
        final boolean[] kept = new boolean[at.length];
        keepFirstOfPeriods(at, HOUR_MS, hourly, Math.floorDiv(nowMs, HOUR_MS) - hourly + 1, kept);
        keepFirstOfPeriods(at, DAY_MS, daily, Math.floorDiv(nowMs, DAY_MS) - daily + 1, kept);
        return kept;
    }

    /** The times the periods go by: an unreadable one as its newer neighbour's, none after {@code nowMs}. */
    private static long[] times(final long[] writtenAtMs, final long nowMs) {
        final long[] at = new long[writtenAtMs.length];
        for (int i = 0; i < at.length; i++) {
            final long t = writtenAtMs[i] == UNKNOWN ? (i == 0 ? nowMs : at[i - 1]) : writtenAtMs[i];
            at[i] = Math.min(t, nowMs);
        }
        return at;
    }

    /**
     * Marks the oldest (by sequence) of {@code at} in each of the newest {@code periods} periods of {@code periodMs} that
     * hold one, of those from {@code minPeriod} on (the calendar window of a replaced configuration's; MIN_VALUE: any).
     */
    private static void keepFirstOfPeriods(final long[] at, final long periodMs, final int periods, final long minPeriod,
                                           final boolean[] kept) {
        if (periods == 0) {
            return;
        }
        final java.util.TreeMap<Long, Integer> firstOfPeriod = new java.util.TreeMap<>();
        for (int i = 0; i < at.length; i++) { // newest sequence first: the last index seen in a period is its first
            final long p = Math.floorDiv(at[i], periodMs);
            if (p >= minPeriod) {
                firstOfPeriod.put(p, i);
            }
        }
        int k = 0;
        for (final int i : firstOfPeriod.descendingMap().values()) {
            if (k++ == periods) {
                break;
            }
            kept[i] = true;
        }
    }
}

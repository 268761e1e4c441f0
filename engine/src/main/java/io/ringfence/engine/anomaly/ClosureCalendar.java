package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.ConfigException;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/**
 * The dates a shop is known to be closed (Christmas, bank holidays), in its local time: an
 * operator states them in advance ({@code closed:} in a detector's configuration) so that the
 * detector neither learns nor alerts on those intervals. An interval is closed when its middle
 * falls on a closed local date ({@link AnomalyDetector}).
 *
 * <p>Built once at start-up into sorted, merged {@code [from, until)} ranges of epoch
 * microseconds (the zone's rules turn local midnights into instants); {@link #isClosed} is a
 * binary search: deterministic and allocation-free.
 */
public final class ClosureCalendar {
    /** Entries at most in one {@code closed:} list. */
    public static final int MAX_ENTRIES = 1_000;
    /** The calendar of a shop that never closes. */
    public static final ClosureCalendar NONE = new ClosureCalendar(new long[0], new long[0]);

    private static final long MICROS = 1_000_000L;

    private final long[] from;
    private final long[] until;

    private ClosureCalendar(final long[] from, final long[] until) {
        this.from = from;
        this.until = until;
    }

    /**
     * Parses and validates a {@code closed:} list: each entry a local date {@code 2011-04-29} or an
     * inclusive range {@code 2010-12-24..2011-01-03}.
     *
     * @param field where the list is in the configuration, for error messages
     * @throws ConfigException naming the entry, its value and what is wrong
     */
    public static ClosureCalendar from(final List<String> entries, final ZoneId zone, final String field) {
        if (entries == null || entries.isEmpty()) {
            return NONE;
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new ConfigException(field, entries.size() + " entries", "lists at most " + MAX_ENTRIES + " dates or date ranges");
        }
        final long[][] ranges = new long[entries.size()][];
        for (int i = 0; i < ranges.length; i++) {
            final String entry = entries.get(i);
            final String where = field + "[" + i + "]";
            if (entry == null) {
                throw new ConfigException(where, null, "is not a date or date range (yyyy-MM-dd or yyyy-MM-dd..yyyy-MM-dd)");
            }
            final int dots = entry.indexOf("..");
            final LocalDate first = date(where, entry, dots < 0 ? entry : entry.substring(0, dots));
            final LocalDate last = dots < 0 ? first : date(where, entry, entry.substring(dots + 2));
            if (last.isBefore(first)) {
                throw new ConfigException(where, entry, "ends before it starts");
            }
            ranges[i] = new long[] {
                first.atStartOfDay(zone).toEpochSecond() * MICROS, last.plusDays(1).atStartOfDay(zone).toEpochSecond() * MICROS};
        }
        Arrays.sort(ranges, (a, b) -> Long.compare(a[0], b[0]));
        final long[] from = new long[ranges.length];
        final long[] until = new long[ranges.length];
        int n = 0;
        for (final long[] r : ranges) {
            if (n > 0 && r[0] <= until[n - 1]) {
                until[n - 1] = Math.max(until[n - 1], r[1]);
            } else {
                from[n] = r[0];
                until[n] = r[1];
                n++;
            }
        }
        return new ClosureCalendar(Arrays.copyOf(from, n), Arrays.copyOf(until, n));
    }

    private static LocalDate date(final String where, final String entry, final String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (final DateTimeException e) {
            throw new ConfigException(where, entry, "is not a date or date range (yyyy-MM-dd or yyyy-MM-dd..yyyy-MM-dd, local dates of timeZone)");
        }
    }

    /** True when the instant {@code micros} (epoch µs, UTC; an interval's middle) falls on a closed date. */
    public boolean isClosed(final long startMicros) {
        int lo = 0;
        int hi = from.length - 1;
        while (lo <= hi) {
            final int mid = (lo + hi) >>> 1;
            if (startMicros < from[mid]) {
                hi = mid - 1;
            } else if (startMicros >= until[mid]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Closed ranges after merging overlapping and adjacent entries. */
    public int ranges() {
        return from.length;
    }

    @Override
    public String toString() {
        return from.length + " closed range" + (from.length == 1 ? "" : "s");
    }
}

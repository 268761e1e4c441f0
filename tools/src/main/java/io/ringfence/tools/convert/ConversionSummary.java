package io.ringfence.tools.convert;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a conversion did: rows read, the source records they formed (e.g. invoices), events
 * written, and source records skipped per reason (in a stable, documented order).
 *
 * @param format       the {@code --format} name
 * @param rowsRead     data rows read, without the header
 * @param recordNoun   what the source groups rows into, plural ("invoices")
 * @param records      how many of those
 * @param eventNoun    what was written, plural ("orders")
 * @param eventsWritten how many events were written
 * @param skipped      reason key → records skipped for it, every reason present even when 0
 * @param details      format-specific facts appended to the line (e.g. labels, time span), or null
 */
public record ConversionSummary(String format, long rowsRead, String recordNoun, long records,
                                String eventNoun, long eventsWritten, Map<String, Long> skipped, String details) {

    public ConversionSummary {
        skipped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
    }

    public ConversionSummary(final String format, final long rowsRead, final String recordNoun, final long records,
                             final String eventNoun, final long eventsWritten, final Map<String, Long> skipped) {
        this(format, rowsRead, recordNoun, records, eventNoun, eventsWritten, skipped, null);
    }

    public long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line for stderr, e.g. {@code 541909 rows, 25900 invoices -> 19960 orders; skipped: ...}. */
    public String toLine() {
        final String skips = skipped.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return format + ": " + rowsRead + " rows read, " + records + " " + recordNoun + ", "
                + eventsWritten + " " + eventNoun + " written; " + recordNoun + " skipped: "
                + (skips.isEmpty() ? "none" : skips)
                + (details == null ? "" : "; " + details);
    }
}

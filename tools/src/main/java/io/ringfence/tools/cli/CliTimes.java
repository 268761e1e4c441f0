package io.ringfence.tools.cli;

import io.ringfence.engine.model.Times;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times a person types on the command line ({@code --from}, {@code --to}, {@code --until}): a date
 * ({@code 2026-01-05}, 00:00 UTC) or an ISO-8601 date-time with a zone, in the forms people write:
 * seconds optional ({@code 2026-01-05T10:00Z}), lower-case {@code t}/{@code z}, offsets as
 * {@code +02}, {@code +0200} or {@code +02:00}, a region after the offset or in its place, as
 * {@link ZonedDateTime#toString()} prints it ({@code 2026-01-05T10:00+01:00[Europe/Berlin]},
 * {@code 2026-01-05T10:00[Europe/Berlin]}: the region's offset at that local time; a time the clocks skip is moved
 * on by the gap, one they repeat takes the earlier offset). Event times on the wire stay strict ({@link Times}).
 */
public final class CliTimes {
    /** What the messages say is accepted. */
    public static final String FORMS = "a date such as 2026-01-05 (00:00 UTC) or a time with a zone such as 2026-01-05T10:00:00Z,"
            + " 2026-01-05T10:00Z, 2026-01-05T11:00+01:00 or 2026-01-05T11:00[Europe/Berlin]";
    private static final Pattern SHORT_OFFSET = Pattern.compile(
            "^(.*T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)([+-]\\d{2})(\\d{2})?(\\[.*])?$");
    /** ISO_ZONED_DATE_TIME with the offset optional before the region (ISO_ZONED_DATE_TIME itself requires it). */
    private static final DateTimeFormatter ZONED = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .appendLiteral('[').parseCaseSensitive().appendZoneRegionId().appendLiteral(']')
            .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT).withChronology(IsoChronology.INSTANCE);

    private CliTimes() {
    }

    /**
     * Epoch microseconds of {@code text}; digits below the microsecond round down (as event times do).
     *
     * @throws IllegalArgumentException naming the option, the text and the accepted forms
     */
    public static long parseMicros(final String option, final String text) {
        final String t = text.strip();
        if (t.length() == 10) {
            try {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
            } catch (final DateTimeParseException e) {
                throw new IllegalArgumentException(option + " '" + text + "' is not a valid date: " + FORMS);
            }
        }
        final String normal = normalise(t);
        try {
            return Times.parseMicros(option, normal);
        } catch (final IllegalArgumentException strict) {
            try {
                return micros(normal.contains("[")
                        ? ZonedDateTime.parse(normal, ZONED).toInstant()
                        : OffsetDateTime.parse(normal, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
            } catch (final DateTimeParseException | ArithmeticException e) {
                final String why = strict.getMessage() == null ? "" : strict.getMessage();
                final String region = region(normal);
                final String what = region != null && !knownRegion(region) ? "a time with a known region (" + region + " is not one)"
                        : why.contains("has no zone") || (region == null && !normal.matches(".*(Z|[+-]\\d{2}(:?\\d{2})?)$"))
                        ? "a time with a zone (add Z, an offset such as +01:00 or a region such as [Europe/London])"
                        : why.contains("not a valid date") ? "a valid date" : why.contains("not a valid time of day") ? "a valid time of day"
                        : why.contains("offset out of range") ? "a time with an offset within ±18:00" : "a time";
                throw new IllegalArgumentException(option + " '" + text + "' is not " + what + ": " + FORMS);
            }
        }
    }

    /** The text between a closing {@code [...]}'s brackets, if it ends with one and it is not empty. */
    private static String region(final String t) {
        final int open = t.lastIndexOf('[');
        return open >= 0 && t.endsWith("]") && t.length() - open > 2 ? t.substring(open + 1, t.length() - 1) : null;
    }

    private static boolean knownRegion(final String region) {
        try {
            ZoneId.of(region);
            return true;
        } catch (final DateTimeException e) {
            return false;
        }
    }

    /** Upper-case {@code T} and {@code Z}; {@code +02} and {@code +0200} as {@code +02:00}. */
    private static String normalise(final String t) {
        String s = t;
        if (s.length() > 10 && s.charAt(10) == 't') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        if (s.endsWith("z")) {
            s = s.substring(0, s.length() - 1) + 'Z';
        }
        final Matcher m = SHORT_OFFSET.matcher(s);
        if (m.matches()) {
            s = m.group(1) + m.group(2) + ":" + (m.group(3) == null ? "00" : m.group(3)) + (m.group(4) == null ? "" : m.group(4));
        }
        return s;
    }

    private static long micros(final java.time.Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }
}

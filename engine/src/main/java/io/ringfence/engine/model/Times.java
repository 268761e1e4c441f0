package io.ringfence.engine.model;

import java.time.Instant;

/**
 * Event times at the edge: ISO-8601 text to epoch microseconds (UTC) and back.
 *
 * <h2>Accepted input</h2>
 * {@code YYYY-MM-DDThh:mm:ss[.f{1,6}](Z|+hh:mm|-hh:mm)}, for example {@code 2011-12-09T12:50:00Z},
 * {@code 2011-12-09T12:50:00.123456Z} or {@code 2011-12-09T13:50:00+01:00} (converted to UTC).
 * <ul>
 *   <li>The zone is required: a local time such as {@code 2011-12-09T12:50:00} is refused.</li>
 *   <li>Seconds are required; a fraction has 1 to 6 digits (finer than a microsecond is refused,
 *       not rounded). {@code T} and {@code Z} may be lower case, {@code t} and {@code z}, as RFC 3339 §5.6 allows
 *       ({@code 2011-12-09t12:50:00z} is the same instant; until 2026-12-07 they were refused).</li>
 *   <li>Dates are checked (2012-02-29 is accepted, 2011-02-29 is not); hours 00-23, no leap second
 *       60; offsets up to ±18:00 ({@code -00:00} is UTC).</li>
 *   <li>Years 0000-9999 of the proleptic Gregorian calendar, so times before 1970 are read and
 *       held as negative microseconds (an event's time must still be in the range the validator takes,
 *       1970 to 2106: {@code EventRules}).</li>
 * </ul>
 * Failures throw {@link IllegalArgumentException} with a complete human reason naming the field.
 *
 * <h2>Output</h2>
 * Always UTC with {@code Z}; the fraction is left out when the time is a whole second, and written
 * with 3 digits when it is a whole millisecond, else 6 (like {@link Instant#toString()}):
 * {@code 2011-12-09T12:50:00Z}, {@code 2011-12-09T12:50:00.120Z}, {@code 2011-12-09T12:50:00.123456Z}.
 * Years outside 0000-9999 (only reachable from values no parse produced) fall back to
 * {@link Instant#toString()}. Formatting into a caller's {@code char[]} allocates nothing.
 */
public final class Times {
    /** Longest text {@link #format(long, char[], int)} writes for years 0000-9999. */
    public static final int MAX_FORMATTED_LENGTH = 27;

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;
    private static final int MAX_QUOTED = 40;
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds. */
    private static final long MIN_SECOND = -62_167_219_200L;
    private static final long MAX_SECOND_EXCLUSIVE = 253_402_300_800L;

    private Times() {
    }

    /**
     * Parses an ISO-8601 date-time with a zone into epoch microseconds UTC.
     *
     * @param field the field name, for the message
     * @param text  the text
     * @throws IllegalArgumentException with a human reason when the text is not such a time
     */
    public static long parseMicros(final String field, final CharSequence text) {
        final int n = text.length();
        if (n < 19 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 2) || text.charAt(7) != '-'
            || !digits(text, 8, 2) || !isTimeSeparator(text.charAt(10)) || !digits(text, 11, 2) || text.charAt(13) != ':'
            || !digits(text, 14, 2) || text.charAt(16) != ':' || !digits(text, 17, 2)) {
            throw notIso(field, text);
        }
        final int year = number(text, 0, 4);
        final int month = number(text, 5, 2);
        final int day = number(text, 8, 2);
        final int hour = number(text, 11, 2);
        final int minute = number(text, 14, 2);
        final int second = number(text, 17, 2);
        int i = 19;
        long fraction = 0;
        if (i < n && text.charAt(i) == '.') {
            final int start = ++i;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
            }
            final int count = i - start;
            if (count == 0) {
                throw notIso(field, text);
            }
            if (count > 9) {
                throw new IllegalArgumentException("'" + field + "' has " + count
                    + " fractional digits, the most is 9 (nanoseconds; kept to the microsecond): " + quote(text));
            }
            // time is kept in microseconds: digits 7-9 (.NET's "o" format writes 7, Instant.toString up to 9) are dropped,
            // which rounds toward the past, as the first 6 digits alone would say
            final int kept = Math.min(count, 6);
            fraction = number(text, start, kept) * pow10(6 - kept);
        }
        if (i == n) {
            throw new IllegalArgumentException("'" + field + "' has no zone (add Z or an offset such as +01:00): " + quote(text));
        }
        final int offsetSeconds;
        final char z = text.charAt(i);
        if ((z == 'Z' || z == 'z') && i + 1 == n) {
            offsetSeconds = 0;
        } else if ((z == '+' || z == '-') && i + 6 == n && digits(text, i + 1, 2) && text.charAt(i + 3) == ':'
            && digits(text, i + 4, 2)) {
            final int oh = number(text, i + 1, 2);
            final int om = number(text, i + 4, 2);
            if (om > 59 || oh * 60 + om > 18 * 60) {
                throw new IllegalArgumentException("'" + field + "' has an offset out of range (at most ±18:00): " + quote(text));
            }
            offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            throw notIso(field, text);
        }
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            throw new IllegalArgumentException("'" + field + "' is not a valid date: " + quote(text));
        }
        if (hour > 23 || minute > 59 || second > 59) {
            throw new IllegalArgumentException("'" + field + "' is not a valid time of day: " + quote(text));
        }
        final long epochSecond = daysFromCivil(year, month, day) * SECONDS_PER_DAY
            + hour * 3600L + minute * 60L + second - offsetSeconds;
        return epochSecond * MICROS_PER_SECOND + fraction;
    }

    /** Formats epoch microseconds as ISO-8601 UTC text. */
    public static String format(final long micros) {
        final long second = Math.floorDiv(micros, MICROS_PER_SECOND);
        if (second < MIN_SECOND || second >= MAX_SECOND_EXCLUSIVE) {
            return Instant.ofEpochSecond(second, Math.floorMod(micros, MICROS_PER_SECOND) * 1000).toString();
        }
        final char[] chars = new char[MAX_FORMATTED_LENGTH];
        return new String(chars, 0, format(micros, chars, 0));
    }

    /**
     * Formats epoch microseconds into {@code dst} at {@code offset} without allocating.
     * Years outside 0000-9999 take the allocating {@link Instant#toString()} form, copied in.
     *
     * @param dst room for at least {@link #MAX_FORMATTED_LENGTH} chars after {@code offset}, or
     *            more for years outside 0000-9999 (up to 40)
     * @return the number of chars written
     */
    public static int format(final long micros, final char[] dst, final int offset) {
        final long second = Math.floorDiv(micros, MICROS_PER_SECOND);
        final int fraction = (int) Math.floorMod(micros, MICROS_PER_SECOND);
        if (second < MIN_SECOND || second >= MAX_SECOND_EXCLUSIVE) {
            final String text = Instant.ofEpochSecond(second, fraction * 1000L).toString();
            text.getChars(0, text.length(), dst, offset);
            return text.length();
        }
        final long days = Math.floorDiv(second, SECONDS_PER_DAY);
        final int secondOfDay = (int) Math.floorMod(second, SECONDS_PER_DAY);
        // civil_from_days (H. Hinnant), proleptic Gregorian, era of 400 years.
        final long z = days + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final long doe = z - era * 146_097;
        final long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        final long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        final long mp = (5 * doy + 2) / 153;
        final int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        final int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        final int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        int at = offset;
        at = put(dst, at, year, 4);
        dst[at++] = '-';
        at = put(dst, at, month, 2);
        dst[at++] = '-';
        at = put(dst, at, day, 2);
        dst[at++] = 'T';
        at = put(dst, at, secondOfDay / 3600, 2);
        dst[at++] = ':';
        at = put(dst, at, secondOfDay / 60 % 60, 2);
        dst[at++] = ':';
        at = put(dst, at, secondOfDay % 60, 2);
        if (fraction != 0) {
            dst[at++] = '.';
            at = fraction % 1000 == 0 ? put(dst, at, fraction / 1000, 3) : put(dst, at, fraction, 6);
        }
        dst[at++] = 'Z';
        return at - offset;
    }

    private static long daysFromCivil(final int year, final int month, final int day) {
        final int y = month <= 2 ? year - 1 : year;
        final int era = Math.floorDiv(y, 400);
        final int yoe = y - era * 400;
        final int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        final int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468;
    }

    private static int daysInMonth(final int year, final int month) {
        switch (month) {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4: case 6: case 9: case 11:
                return 30;
            default:
                return 31;
        }
    }

    private static int put(final char[] dst, final int at, final int value, final int width) {
        int v = value;
        for (int k = width - 1; k >= 0; k--) {
            dst[at + k] = (char) ('0' + v % 10);
            v /= 10;
        }
        return at + width;
    }

    private static boolean digits(final CharSequence text, final int from, final int count) {
        if (from + count > text.length()) {
            return false;
        }
        for (int k = from; k < from + count; k++) {
            if (!isDigit(text.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static int number(final CharSequence text, final int from, final int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            v = v * 10 + (text.charAt(k) - '0');
        }
        return v;
    }

    private static long pow10(final int exponent) {
        long p = 1;
        for (int k = 0; k < exponent; k++) {
            p *= 10;
        }
        return p;
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code T} between the date and the time, or {@code t} (RFC 3339 §5.6: "may alternatively be lower case"). */
    private static boolean isTimeSeparator(final char c) {
        return c == 'T' || c == 't';
    }

    private static IllegalArgumentException notIso(final String field, final CharSequence text) {
        return new IllegalArgumentException("'" + field + "' is not ISO-8601 with a zone: " + quote(text));
    }

    private static String quote(final CharSequence text) {
        final String s = text.toString();
        return "'" + (s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "..." : s) + "'";
    }
}

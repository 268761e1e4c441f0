package io.ringfence.engine.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimesTest {
    private static final long T0 = Instant.parse("2011-12-09T12:50:00Z").getEpochSecond() * 1_000_000L;

    private static long parse(final String text) {
        return Times.parseMicros("time", text);
    }

    private static String reject(final String text) {
        return assertThrows(IllegalArgumentException.class, () -> parse(text)).getMessage();
    }

    @Test
    void shouldParseUtcWithZ() {
        assertEquals(T0, parse("2011-12-09T12:50:00Z"));
        assertEquals(0, parse("1970-01-01T00:00:00Z"));
    }

    @Test
    void shouldParseFractionsUpToMicroseconds() {
        assertEquals(T0 + 100_000, parse("2011-12-09T12:50:00.1Z"));
        assertEquals(T0 + 123_000, parse("2011-12-09T12:50:00.123Z"));
        assertEquals(T0 + 123_456, parse("2011-12-09T12:50:00.123456Z"));
        assertEquals(T0 + 1, parse("2011-12-09T12:50:00.000001Z"));
    }

    @Test
    void shouldKeepSubMicrosecondFractionsToTheMicrosecondTowardThePast() {
        assertEquals(T0 + 123_456, parse("2011-12-09T12:50:00.1234567Z"), ".NET's round-trip format writes 7 digits");
        assertEquals(T0 + 123_456, parse("2011-12-09T12:50:00.123456999Z"), "Instant.toString writes up to 9");
        assertEquals(T0, parse("2011-12-09T13:50:00.0000009+01:00"));
        assertEquals(-1, parse("1969-12-31T23:59:59.999999999Z"), "toward the past before 1970 too");
    }

    @Test
    void shouldTakeLowerCaseTAndZAsRfc3339AllowsForTheSameInstant() {
        assertEquals(T0, parse("2011-12-09t12:50:00z"));
        assertEquals(T0, parse("2011-12-09t12:50:00Z"));
        assertEquals(T0, parse("2011-12-09T12:50:00z"));
        assertEquals(T0 + 123_456, parse("2011-12-09t12:50:00.123456z"));
        assertEquals(T0, parse("2011-12-09t13:50:00+01:00"));
        assertEquals("'time' has no zone (add Z or an offset such as +01:00): '2011-12-09t12:50:00'", reject("2011-12-09t12:50:00"));
        assertEquals("'time' is not a valid date: '2011-02-29t00:00:00z'", reject("2011-02-29t00:00:00z"));
    }

    @Test
    void shouldConvertExplicitOffsetsToUtc() {
        assertEquals(T0, parse("2011-12-09T13:50:00+01:00"));
        assertEquals(T0, parse("2011-12-09T07:20:00-05:30"));
        assertEquals(T0, parse("2011-12-09T12:50:00-00:00"));
        assertEquals(T0, parse("2011-12-10T02:50:00+14:00"));
        assertEquals(T0 + 5, parse("2011-12-09T13:50:00.000005+01:00"));
    }

    @Test
    void shouldAcceptLeapDaysOnlyInLeapYears() {
        assertEquals(Instant.parse("2012-02-29T00:00:00Z").getEpochSecond() * 1_000_000L, parse("2012-02-29T00:00:00Z"));
        assertEquals(Instant.parse("2000-02-29T23:59:59Z").getEpochSecond() * 1_000_000L, parse("2000-02-29T23:59:59Z"));
        assertEquals("'time' is not a valid date: '2011-02-29T00:00:00Z'", reject("2011-02-29T00:00:00Z"));
        assertEquals("'time' is not a valid date: '1900-02-29T00:00:00Z'", reject("1900-02-29T00:00:00Z"));
        assertEquals("'time' is not a valid date: '2011-04-31T00:00:00Z'", reject("2011-04-31T00:00:00Z"));
        assertEquals("'time' is not a valid date: '2011-13-01T00:00:00Z'", reject("2011-13-01T00:00:00Z"));
    }

    @Test
    void shouldAcceptTimesBefore1970AsNegativeMicros() {
        assertEquals(-1, parse("1969-12-31T23:59:59.999999Z"));
        assertEquals(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond() * 1_000_000L, parse("0001-01-01T00:00:00Z"));
        assertEquals("1969-12-31T23:59:59.999999Z", Times.format(-1));
    }

    @Test
    void shouldRejectLocalTimesWithoutZone() {
        assertEquals("'time' has no zone (add Z or an offset such as +01:00): '2011-12-09T12:50:00'", reject("2011-12-09T12:50:00"));
        assertEquals("'time' has no zone (add Z or an offset such as +01:00): '2011-12-09T12:50:00.5'", reject("2011-12-09T12:50:00.5"));
    }

    @Test
    void shouldRejectAnythingElseWithAClearMessage() {
        for (final String text : new String[] {"2011-12-09 12:50", "2011-12-09 12:50:00Z", "2011-12-09T12:50Z", "2011-12-09",
            "2011-12-09T12:50:00+0100", "2011-12-09T12:50:00+01",
            "2011-12-09T12:50:00.Z", "1323435000", "", "2011-12-09T12:50:00ZZ", "+2011-12-09T12:50:00Z",
            "2011-12-09T12:50:00 Z", "2011-12-09T12:50:00[Europe/London]", "2011-12-09x12:50:00Z", "2011-12-09T12:50:00zz",
            "2011-12-09T12:50:00x", "2011-12-09T12:50:00Zz", "2011-12-09 12:50:00z"}) {
            assertEquals("'time' is not ISO-8601 with a zone: '" + text + "'", reject(text), text);
        }
        assertEquals("'time' has 10 fractional digits, the most is 9 (nanoseconds; kept to the microsecond):"
            + " '2011-12-09T12:50:00.1234567891Z'", reject("2011-12-09T12:50:00.1234567891Z"));
        assertEquals("'time' is not a valid time of day: '2011-12-09T24:00:00Z'", reject("2011-12-09T24:00:00Z"));
        assertEquals("'time' is not a valid time of day: '2016-12-31T23:59:60Z'", reject("2016-12-31T23:59:60Z"));
        assertEquals("'time' has an offset out of range (at most ±18:00): '2011-12-09T12:50:00+19:00'",
            reject("2011-12-09T12:50:00+19:00"));
        assertEquals("'time' has an offset out of range (at most ±18:00): '2011-12-09T12:50:00+01:60'",
            reject("2011-12-09T12:50:00+01:60"));
    }

    @Test
    void shouldFormatUtcTrimmingTheFraction() {
        assertEquals("2011-12-09T12:50:00Z", Times.format(T0));
        assertEquals("2011-12-09T12:50:00.123456Z", Times.format(T0 + 123_456));
        assertEquals("2011-12-09T12:50:00.120Z", Times.format(T0 + 120_000));
        assertEquals("2011-12-09T12:50:00.000001Z", Times.format(T0 + 1));
        assertEquals("1970-01-01T00:00:00Z", Times.format(0));
        assertEquals("2012-02-29T00:00:00Z", Times.format(parse("2012-02-29T00:00:00Z")));
    }

    @Test
    void shouldFormatOutOfRangeValuesLikeInstant() {
        assertEquals(Instant.EPOCH.plus(Long.MAX_VALUE, ChronoUnit.MICROS).toString(), Times.format(Long.MAX_VALUE));
        assertEquals(Instant.EPOCH.plus(Long.MIN_VALUE, ChronoUnit.MICROS).toString(), Times.format(Long.MIN_VALUE));
    }

    @Test
    void shouldAgreeWithJavaTimeOnRandomInstantsAndRoundTrip() {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        final long min = parse("0000-01-01T00:00:00Z");
        final long max = parse("9999-12-31T23:59:59.999999Z");
        for (int i = 0; i < 20_000; i++) {
            final long micros = random.nextLong(min, max + 1);
            final String text = Times.format(micros);
            assertEquals(micros, parse(text), text);
            final Instant instant = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
            if (micros >= 0 || instant.getEpochSecond() > -62_135_596_800L) {
                assertEquals(instant.toString(), text);
            }
        }
    }
}

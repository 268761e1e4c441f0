package io.ringfence.tools.replay;

import io.ringfence.engine.model.Times;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** --from / --to bounds between two whole microseconds select as the exact bound would. */
class OutputSelectionTimeTest {
    private static final long T = Times.parseMicros("t", "2026-01-05T10:00:00Z");

    @Test
    void aBoundBelowAMicrosecondIsTheNextMicrosecondUp() {
        assertEquals(T, OutputSelection.time("--to", "2026-01-05T10:00:00Z"));
        assertEquals(T, OutputSelection.time("--to", "2026-01-05T10:00:00.000000000Z"));
        assertEquals(T + 1, OutputSelection.time("--to", "2026-01-05T10:00:00.0000005Z"),
                "an event at 10:00:00.000000 is before the bound, so --to (exclusive) keeps it");
        assertEquals(T + 123_457, OutputSelection.time("--from", "2026-01-05T10:00:00.1234567Z"),
                "an event at .123456 is before the bound, so --from (inclusive) leaves it out");
        assertEquals(T + 123_456, OutputSelection.time("--from", "2026-01-05T10:00:00.123456000+00:00"));
    }

    @Test
    void readsAZonedTimeAsZonedDateTimePrintsIt() {
        // new-user trial: 2011-06-07T00:00[Europe/London] was refused as "not a time with a zone"
        final long londonMidnight = Times.parseMicros("t", "2011-06-06T23:00:00Z");
        assertEquals(londonMidnight, OutputSelection.time("--from", "2011-06-07T00:00[Europe/London]"), "a region, no offset");
        assertEquals(londonMidnight, OutputSelection.time("--from", "2011-06-07T00:00+01:00[Europe/London]"), "ZonedDateTime.toString()");
        assertEquals(londonMidnight, OutputSelection.time("--from", "2011-06-07t00:00:00.000+01[Europe/London]"));
        assertEquals(T, OutputSelection.time("--to", "2026-01-05T10:00[UTC]"));
        assertEquals(T, OutputSelection.time("--to", java.time.Instant.ofEpochSecond(T / 1_000_000L)
            .atZone(java.time.ZoneId.of("America/New_York")).toString()));
        final IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> OutputSelection.time("--from", "2011-06-07T00:00[Europe/Londn]"));
        assertEquals("--from '2011-06-07T00:00[Europe/Londn]' is not a time with a known region (Europe/Londn is not one): "
            + io.ringfence.tools.cli.CliTimes.FORMS, unknown.getMessage());
        final IllegalArgumentException empty = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> OutputSelection.time("--from", "2011-06-07T00:00[]"));
        org.junit.jupiter.api.Assertions.assertTrue(empty.getMessage().startsWith("--from '2011-06-07T00:00[]' is not a time with a"),
            empty.getMessage());
    }

    @Test
    void readsTheFormsPeopleTypeAndNamesThemWhenRefusing() {
        // analyst trial: these were refused as "not ISO-8601 with a zone"
        assertEquals(T, OutputSelection.time("--from", "2026-01-05T10:00Z"), "no seconds");
        assertEquals(T, OutputSelection.time("--from", "2026-01-05t10:00:00z"), "lower case");
        assertEquals(T, OutputSelection.time("--from", "2026-01-05T12:00:00+02"), "an hour offset");
        assertEquals(T, OutputSelection.time("--from", "2026-01-05T12:00+0200"));
        assertEquals(T, OutputSelection.time("--from", "2026-01-05T11:00:00+01:00[Europe/Berlin]"), "a region after the offset");
        assertEquals(T - 10 * 3_600_000_000L, OutputSelection.time("--from", "2026-01-05"), "a date: 00:00 UTC");
        final IllegalArgumentException noZone = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> OutputSelection.time("--to", "2026-01-05T10:00:00"));
        assertEquals("--to '2026-01-05T10:00:00' is not a time with a zone (add Z, an offset such as +01:00 or a region such as [Europe/London]): "
            + io.ringfence.tools.cli.CliTimes.FORMS, noZone.getMessage());
        final IllegalArgumentException date = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> OutputSelection.time("--from", "2015-02-30"));
        org.junit.jupiter.api.Assertions.assertTrue(date.getMessage().startsWith("--from '2015-02-30' is not a valid date"), date.getMessage());
        for (final String[] bad : new String[][] {
            {"2026-02-30T10:00:00Z", "is not a valid date"}, {"2026-01-05T10:00", "is not a time with a zone"},
            {"2026-01-05T25:00:00Z", "is not a valid time of day"}, {"2026-01-05T10:00:00+19:00", "within ±18:00"},
            {"+1000000-01-01T00:00Z", "is not"}}) {
            final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> OutputSelection.time("--from", bad[0]), bad[0]);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}

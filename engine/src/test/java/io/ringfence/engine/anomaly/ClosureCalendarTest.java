package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClosureCalendarTest {
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private static long micros(final String instant) {
        return Instant.parse(instant).getEpochSecond() * 1_000_000L;
    }

    @Test
    void shouldCloseWholeLocalDatesInSummerTime() {
        // 2011-08-29 in London is 2011-08-28T23:00Z .. 2011-08-29T23:00Z (BST)
        final ClosureCalendar c = ClosureCalendar.from(List.of("2011-08-29"), LONDON, "closed");
        assertFalse(c.isClosed(micros("2011-08-28T22:00:00Z")));
        assertTrue(c.isClosed(micros("2011-08-28T23:00:00Z")));
        assertTrue(c.isClosed(micros("2011-08-29T22:00:00Z")));
        assertFalse(c.isClosed(micros("2011-08-29T23:00:00Z")));
    }

    @Test
    void shouldCloseInclusiveRangesAndMergeOverlaps() {
        final ClosureCalendar c = ClosureCalendar.from(List.of("2011-01-02..2011-01-03", "2010-12-24..2011-01-02", "2011-05-02"),
            LONDON, "closed");
        assertEquals(2, c.ranges(), "the two Christmas entries overlap");
        assertFalse(c.isClosed(micros("2010-12-23T23:59:59Z")));
        assertTrue(c.isClosed(micros("2010-12-24T00:00:00Z")));
        assertTrue(c.isClosed(micros("2011-01-03T23:00:00Z")));
        assertFalse(c.isClosed(micros("2011-01-04T00:00:00Z")));
        assertTrue(c.isClosed(micros("2011-05-02T12:00:00Z")));
        assertFalse(c.isClosed(micros("2011-05-03T12:00:00Z")));
        assertFalse(ClosureCalendar.NONE.isClosed(0));
        assertTrue(ClosureCalendar.from(null, LONDON, "closed") == ClosureCalendar.NONE);
    }

    @Test
    void shouldRefuseBadEntriesNamingTheEntryAndWhy() {
        assertMessage("a.closed[1]: '2011-13-01' is not a date or date range (yyyy-MM-dd or yyyy-MM-dd..yyyy-MM-dd, local dates of timeZone)",
            List.of("2011-01-01", "2011-13-01"));
        assertMessage("a.closed[0]: '2011-01-05..2011-01-04' ends before it starts", List.of("2011-01-05..2011-01-04"));
        assertMessage("a.closed[0]: '2011-01-05..' is not a date or date range", List.of("2011-01-05.."));
        assertMessage("a.closed[0] is not a date or date range", Arrays.asList((String) null));
        final String[] many = new String[ClosureCalendar.MAX_ENTRIES + 1];
        Arrays.fill(many, "2011-01-01");
        assertMessage("a.closed: '1001 entries' lists at most 1000 dates or date ranges", List.of(many));
    }

    private static void assertMessage(final String start, final List<String> entries) {
        final ConfigException e = assertThrows(ConfigException.class, () -> ClosureCalendar.from(entries, LONDON, "a.closed"));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}

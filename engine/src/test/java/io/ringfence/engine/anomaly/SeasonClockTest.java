package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Season phases in local time, and the settings that choose them and the Poisson spread. */
class SeasonClockTest {
    private static final long HOUR = 3_600_000_000L;

    private static long micros(final String instant) {
        return Instant.parse(instant).getEpochSecond() * 1_000_000L;
    }

    @Test
    void shouldGiveTheSameWeeklyPhaseToTheSameLocalHourInWinterAndSummerTime() {
        final SeasonClock london = new SeasonClock(ZoneId.of("Europe/London"), HOUR, 168);
        // Monday 08:00 in London: 08:00Z in March before the change, 07:00Z in April after it
        final int winter = london.phase(micros("2011-03-21T08:00:00Z"));
        final int summer = london.phase(micros("2011-04-04T07:00:00Z"));
        assertEquals(winter, summer);
        final SeasonClock utc = new SeasonClock(ZoneOffset.UTC, HOUR, 168);
        assertEquals((utc.phase(micros("2011-03-21T08:00:00Z")) + 167) % 168, utc.phase(micros("2011-04-04T07:00:00Z")),
            "in UTC the shop's opening hour moves back one phase");
        assertEquals(0, utc.phase(0), "phase 0 is the epoch's hour (a Thursday 00:00)");
    }

    /**
     * Anomaly trial (HIGH): a daily interval took its phase from its start, so in a zone whose offset changes sign with
     * summer time (Atlantic/Azores: UTC-1, then UTC+0) a UTC day began on the previous local day in winter and on its own
     * in summer, and all summer a weekly daily monitor judged Fridays against Saturdays. By its middle, the same weekday.
     */
    @Test
    void shouldGiveADailyIntervalTheLocalDayItMostlyCoversWhateverTheOffset() {
        final long day = 24 * HOUR;
        for (final String zone : new String[] {"Atlantic/Azores", "America/New_York", "Europe/London", "Asia/Kolkata"}) {
            final SeasonClock clock = new SeasonClock(ZoneId.of(zone), day, 7);
            final int winterFriday = clock.phase(micros("2026-01-02T00:00:00Z"));
            assertEquals(winterFriday, clock.phase(micros("2026-07-03T00:00:00Z")), zone + ": a Friday in summer");
            assertEquals(winterFriday, clock.phase(micros("2026-11-06T00:00:00Z")), zone + ": a Friday after the change back");
            assertEquals((winterFriday + 1) % 7, clock.phase(micros("2026-07-04T00:00:00Z")), zone + ": the Saturday after");
        }
        final SeasonClock utc = new SeasonClock(ZoneOffset.UTC, day, 7);
        assertEquals(0, utc.phase(0), "phase 0 is the epoch's day (a Thursday)");
    }

    @Test
    void shouldSkipAPhaseWhenClocksGoForwardAndRepeatOneWhenTheyGoBack() {
        final SeasonClock london = new SeasonClock(ZoneId.of("Europe/London"), HOUR, 24);
        assertEquals(0, london.phase(micros("2011-03-27T00:00:00Z")));
        assertEquals(2, london.phase(micros("2011-03-27T01:00:00Z")), "01:00Z is 02:00 BST");
        assertEquals(1, london.phase(micros("2011-10-30T00:00:00Z")), "00:00Z is 01:00 BST");
        assertEquals(1, london.phase(micros("2011-10-30T01:00:00Z")), "01:00Z is 01:00 GMT");
        assertEquals(1, london.phase(micros("2011-03-27T00:00:00Z") - 23 * HOUR), "back before the change: the cache refreshes");
    }

    @Test
    void shouldRefuseABadTimeZoneOrPoissonSetting() {
        final ConfigException zone = assertThrows(ConfigException.class,
            () -> AnomalySpec.from(new AnomalyConfig().timeZone("Mars/Olympus"), "anomaly"));
        assertTrue(zone.getMessage().startsWith("anomaly.timeZone: 'Mars/Olympus' is not a time zone"), zone.getMessage());
        final ConfigException empty = assertThrows(ConfigException.class,
            () -> AnomalySpec.from(new AnomalyConfig().timeZone(""), "anomaly"));
        assertEquals("anomaly.timeZone: '' is not a time zone (e.g. UTC, Europe/London)", empty.getMessage());
        final ConfigException spread = assertThrows(ConfigException.class,
            () -> AnomalySpec.from(new AnomalyConfig().spread("gaussian"), "anomaly"));
        assertTrue(spread.getMessage().startsWith("anomaly.spread: 'gaussian' is not a spread"), spread.getMessage());
        final ConfigException linear = assertThrows(ConfigException.class,
            () -> AnomalySpec.from(new AnomalyConfig().spread("poisson").scale("linear"), "anomaly"));
        assertTrue(linear.getMessage().startsWith("anomaly.spread: 'poisson' needs scale log"), linear.getMessage());
        final ConfigException floor = assertThrows(ConfigException.class,
            () -> AnomalySpec.from(new AnomalyConfig().spread("poisson").poissonFloor(0), "anomaly"));
        assertTrue(floor.getMessage().startsWith("anomaly.poissonFloor: '0.0' must be a positive"), floor.getMessage());
        // audit: taken where it changes nothing (a rate's binomial spread, a mean's phase spread)
        final ConfigException unused = assertThrows(ConfigException.class,
            () -> AnomalySpec.from(new AnomalyConfig().poissonFloor(0.5), "anomaly"));
        assertTrue(unused.getMessage().startsWith("anomaly.poissonFloor: '0.5' applies to the poisson and compound spreads only"),
            unused.getMessage());
    }

    @Test
    void shouldScoreCountsByTheirPoissonSpreadNotByALogFloor() {
        final AnomalySpec spec = AnomalySpec.from(new AnomalyConfig().spread("poisson").seasonLength(1).gamma(0).warmupSeasons(1)
            .alpha(0.05).cusumLimit(Double.POSITIVE_INFINITY), "anomaly");
        final AnomalyDetector d = new AnomalyDetector(spec);
        for (int t = 0; t < 200; t++) {
            d.observe(t, 3 + (t % 3) - 1); // 2, 3, 4: mean 3, under-dispersed
        }
        final AnomalyResult zero = d.observe(200, 0);
        assertEquals(AnomalyResult.Status.NORMAL, zero.status(), "0 orders where 3 are expected happens 5% of the time: " + zero);
        final AnomalyResult spike = d.observe(201, 15);
        assertEquals(AnomalyResult.Status.STARTED, spike.status(), "15 where 3 are expected does not: " + spike);
        assertTrue(spike.low() >= 0 && spike.high() < 15 && spike.high() > 6, "band in orders: " + spike);
    }
}

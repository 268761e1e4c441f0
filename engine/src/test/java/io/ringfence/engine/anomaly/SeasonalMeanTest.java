package io.ringfence.engine.anomaly;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.ringfence.engine.anomaly.AnomalyResult.Status.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code forecast: seasonal-mean}: the trimmed mean of a phase's last seasons, on its own and under the detector. */
class SeasonalMeanTest {
    private static final long HOUR = 3_600_000_000L;
    private static final long START = 1_323_043_200_000_000L;

    @Test
    void shouldForecastTheTrimmedMeanOfThePhasesLastWindowOfSeasons() {
        final SeasonalMean mean = new SeasonalMean(2, 3, 0.0, 0.0, false);
        final SeasonalMean median = new SeasonalMean(2, 3, 0.5, 0.0, false);
        for (final double y : new double[] {10, 1, 20, 2, 90, 3, 30, 4}) { // phase 0: 10, 20, 90, 30; phase 1: 1..4
            mean.update(y);
            median.update(y);
        }
        assertEquals(0, mean.phase());
        assertEquals(3, mean.heldAt(0), "a window of three seasons");
        assertEquals((20 + 90 + 30) / 3.0, mean.forecast(), 1e-12, "10 left the window");
        assertEquals(30.0, median.forecast(), 0.0, "the median of 20, 90, 30");
        mean.update(0);
        median.update(0);
        assertEquals(3.0, mean.forecast(), 1e-12, "phase 1: 2, 3, 4");
        assertEquals(3.0, median.forecast(), 0.0);
    }

    @Test
    void shouldTrimTheSameCountAtEachEndAndNeverEverything() {
        final SeasonalMean quarter = new SeasonalMean(1, 8, 0.25, 0.0, false);
        final SeasonalMean median = new SeasonalMean(1, 4, 0.5, 0.0, false);
        for (final double y : new double[] {100, 1, 2, 3, 4, 5, 6, -50}) {
            quarter.update(y);
        }
        assertEquals(3.5, quarter.forecast(), 1e-12, "two trimmed at each end of 8: the mean of 2..5");
        for (final double y : new double[] {1, 7, 3, 100}) {
            median.update(y);
        }
        assertEquals(5.0, median.forecast(), 1e-12, "an even count: the mean of the middle two");
    }

    @Test
    void shouldAverageCountsNotTheirLogarithmsOnTheLogScale() {
        final SeasonalMean m = new SeasonalMean(1, 3, 0.0, 0.0, true);
        for (final double count : new double[] {0, 0, 3}) {
            m.update(Math.log1p(count));
        }
        assertEquals(Math.log1p(1.0), m.forecast(), 1e-12, "one order an hour expected, not e^(log 4 / 3) − 1");
    }

    @Test
    void shouldStoreNothingForSkippedIntervalsAndFallBackToTheMeanOfAllWhereAPhaseHasNone() {
        final SeasonalMean m = new SeasonalMean(3, 4, 0.0, 0.0, false);
        assertEquals(0.0, m.forecast(), 0.0, "nothing seen");
        m.update(6);
        m.skip(); // a closed date: phase 1 holds nothing
        m.update(12);
        assertTrue(m.initialised(), "a whole season has passed");
        assertEquals(0, m.heldAt(1));
        m.alignPhase(1);
        assertEquals(9.0, m.forecast(), 0.0, "no value at phase 1: the mean of everything learned");
        assertThrows(IllegalArgumentException.class, () -> m.alignPhase(3));
        assertThrows(IllegalArgumentException.class, () -> new SeasonalMean(168, 0, 0.0, 0.0, true));
        assertThrows(IllegalArgumentException.class, () -> new SeasonalMean(168, 6, 0.6, 0.0, true));
    }

    @Test
    void shouldScaleTheSeasonByRecentTotalsWithALevelRate() {
        final SeasonalMean flat = new SeasonalMean(2, 4, 0.0, 0.0, false);
        final SeasonalMean levelled = new SeasonalMean(2, 4, 0.0, 0.05, false);
        for (int season = 0; season < 12; season++) {
            final double y = season < 8 ? 10 : 20; // the level doubles for the last four seasons
            for (int p = 0; p < 2; p++) {
                flat.update(y);
                levelled.update(y);
            }
        }
        assertEquals(20.0, flat.forecast(), 1e-12, "four seasons of 20 held");
        assertEquals(1.0, flat.level(), 0.0);
        for (int p = 0; p < 4; p++) { // the season again, at 20: the window still holds 20s only, the level has lagged behind and catches up
            flat.update(20);
            levelled.update(20);
        }
        assertTrue(levelled.level() > 1.0, "recent observations above their seasonal values: " + levelled.level());
        assertEquals(levelled.level() * 20.0, levelled.forecast(), 1e-9);
    }

    /** A busy shop on a daily season: 10 orders an hour 08:00-18:00 (±1), none at night. */
    private static double orders(final int t) {
        final int hour = t % 24;
        return hour < 8 || hour >= 18 ? 0 : 10 + (t * 7 % 3) - 1;
    }

    private static AnomalyConfig daily() {
        return new AnomalyConfig().forecast("seasonal-mean").seasonLength(24).warmupSeasons(2).seasonWindow(4);
    }

    @Test
    void shouldNotLetAnOutageMoveTheSeasonThroughTheClip() {
        final AnomalyDetector robust = new AnomalyDetector(AnomalySpec.from(daily(), "a", AnomalySpec.Values.COUNTS));
        final AnomalyDetector unclipped = new AnomalyDetector(AnomalySpec.from(daily().clip(1e9), "a", AnomalySpec.Values.COUNTS));
        final int outage = 24 * 6 + 9;
        boolean started = false;
        for (int t = 0; t < 24 * 7; t++) {
            final double y = t >= outage && t < outage + 6 ? 0 : orders(t);
            started |= robust.observe(START + t * HOUR, y).status() == STARTED && t >= outage;
            unclipped.observe(START + t * HOUR, y);
        }
        assertTrue(started, "the outage was detected");
        final SeasonalMean held = (SeasonalMean) robust.forecaster();
        robust.forecaster().alignPhase(11);
        unclipped.forecaster().alignPhase(11);
        final double robustExpected = Math.expm1(robust.forecast());
        final double unclippedExpected = Math.expm1(unclipped.forecast());
        assertEquals(4, held.heldAt(11));
        // the last four 11:00 hours were 11, 11, 11 and the outage's 0
        assertTrue(robustExpected > 9.0, "11:00 after an outage, learned at the clip: " + robustExpected);
        assertEquals(33.0 / 4, unclippedExpected, 1e-9, "the same without the clip averages in the outage's 0");
    }

    @Test
    void shouldAlertOnASpikeAndASustainedDropThroughTheUnchangedSpreadsAndScan() {
        final AnomalySpec spec = AnomalySpec.from(daily(), "a", AnomalySpec.Values.COUNTS);
        final AnomalyDetector d = new AnomalyDetector(spec);
        int alerts = 0;
        for (int t = 0; t < 24 * 8 + 12; t++) {
            alerts += d.observe(START + t * HOUR, orders(t)).isAlert() ? 1 : 0;
        }
        assertEquals(0, alerts, "no alert on the regular series");
        final AnomalyResult spike = d.observe(START + (24 * 8 + 12) * HOUR, 50);
        assertEquals(STARTED, spike.status(), "five times the orders of 12:00: " + spike);
        assertEquals(9.0, spike.expected(), 1e-9, "the mean of the last four 12:00 hours, 9 orders each");

        final AnomalyDetector drop = new AnomalyDetector(spec);
        for (int t = 0; t < 24 * 8 + 9; t++) {
            drop.observe(START + t * HOUR, orders(t));
        }
        AnomalyResult r = null;
        for (int t = 24 * 8 + 9; t < 24 * 8 + 12 && (r == null || r.status() != STARTED); t++) {
            r = drop.observe(START + t * HOUR, 0.45 * orders(t));
        }
        assertEquals(STARTED, r.status(), "a drop to 45 % within three hours: " + r);
        assertEquals(AnomalyResult.Trigger.SCAN, r.trigger(), "the scan of summed counts sees it: " + r);
    }

    @Test
    void shouldKeepTheDigestOfConfigurationsThatDoNotSetTheForecast() throws Exception {
        final byte[] unset = io.ringfence.engine.snapshot.ConfigDigest.of(AnomalyTraffic.config(AnomalyTraffic.monitor("m", "count")), null);
        final io.ringfence.engine.config.EngineConfig median = AnomalyTraffic.config(AnomalyTraffic.monitor("m", "count"));
        median.anomalies.get(0).detector.forecast("seasonal-mean");
        assertFalse(java.util.Arrays.equals(unset, io.ringfence.engine.snapshot.ConfigDigest.of(median, null)),
            "a snapshot taken under the other forecast is not used");
        final String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(AnomalyTraffic.monitor("m", "count"));
        for (final String field : new String[] {"forecast", "seasonWindow", "seasonTrim", "levelRate"}) {
            assertFalse(json.contains(field), field + " unset is absent, so configurations from before keep their digest: " + json);
        }
    }

    @Test
    void shouldRefuseTheHoltWintersModelAccessorAndASnapshotOfAnotherWindow() {
        final AnomalyDetector d = new AnomalyDetector(AnomalySpec.from(daily(), "a", AnomalySpec.Values.COUNTS));
        for (int t = 0; t < 50; t++) {
            d.observe(START + t * HOUR, orders(t));
        }
        final IllegalStateException e = assertThrows(IllegalStateException.class, d::model);
        assertEquals("this detector forecasts with seasonal-mean, not Holt-Winters: use forecast()", e.getMessage());
        final StateWriter w = new StateWriter(1 << 14);
        d.writeState(w);
        assertTrue(d.stateBytesBound() >= w.position(), w.position() + " bytes over the bound " + d.stateBytesBound());
        assertTrue(d.stateBytesBound() < w.position() + 256, "the bound is close: " + d.stateBytesBound() + " for " + w.position());
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        final AnomalyDetector wider = new AnomalyDetector(AnomalySpec.from(daily().seasonWindow(5), "a", AnomalySpec.Values.COUNTS));
        final SnapshotFormatException refused = assertThrows(SnapshotFormatException.class, () -> wider.readState(new StateReader(bytes)));
        assertEquals("a seasonal mean of 24 phases × 4 seasons in the snapshot, 24 × 5 configured", refused.getMessage());
        final AnomalyDetector holtWinters = new AnomalyDetector(AnomalySpec.from(new AnomalyConfig().seasonLength(24), "a", AnomalySpec.Values.COUNTS));
        assertThrows(SnapshotFormatException.class, () -> holtWinters.readState(new StateReader(bytes.position(0))),
            "a Holt-Winters detector does not read a seasonal mean's state");
    }
}

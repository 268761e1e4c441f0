package io.ringfence.engine.anomaly;

import org.junit.jupiter.api.Test;

import static io.ringfence.engine.anomaly.AnomalyResult.Status.CONTINUING;
import static io.ringfence.engine.anomaly.AnomalyResult.Status.ENDED;
import static io.ringfence.engine.anomaly.AnomalyResult.Status.MISSING;
import static io.ringfence.engine.anomaly.AnomalyResult.Status.NORMAL;
import static io.ringfence.engine.anomaly.AnomalyResult.Status.STARTED;
import static io.ringfence.engine.anomaly.AnomalyResult.Status.WARMING_UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnomalyDetectorTest {
    /** Linear, no season, α = 0.5, warm-up 3 intervals, sigma floor 1, k = 3, clip 2.5, no CUSUM. */
    private static AnomalyConfig linear() {
        return new AnomalyConfig().scale("linear").seasonLength(1).gamma(0).alpha(0.5).warmupSeasons(3)
            .minSigma(1).minRelSigma(0).k(3).clip(2.5).cusumLimit(Double.POSITIVE_INFINITY).quietIntervals(3);
    }

    /**
     * Audit: on the log scale the relative floor was minRelSigma·log(1 + level), so a flat average order value of 1,000 EUR
     * moved ×2.5 for a day went unseen while a 20 EUR one alerted. A sigma of log(1 + y) is already relative: the floor is
     * minRelSigma itself, the same band for every level and currency.
     */
    @Test
    void shouldFloorALogScaleSigmaByTheSameRelativeBandAtEveryLevel() {
        for (final double level : new double[] {2, 20, 1_000, 200_000}) {
            final AnomalyDetector d = new AnomalyDetector(AnomalySpec.from(new AnomalyConfig().seasonLength(24), "a"));
            int firstAlert = -1;
            for (int t = 0; t < 24 * 9 && firstAlert < 0; t++) {
                final double y = t >= 24 * 8 ? level * 2.5 : level; // flat for a week and a day, then ×2.5
                if (d.observe(t, y).isAlert()) {
                    firstAlert = t;
                }
            }
            // within 2 intervals (at 2 EUR the absolute floor, minSigma, is the wider: the scan of two intervals catches it)
            assertTrue(firstAlert >= 24 * 8 && firstAlert <= 24 * 8 + 1, "a ×2.5 shift of a flat mean of " + level
                + " alerts within 2 intervals, not at " + firstAlert);
        }
    }

    /**
     * Review: a key first observed late (gaps before, e.g. a rate under minCount) was judged from its first modelled
     * interval, against one season of raw values. Its warm-up counts warmupSeasons from its first observation.
     */
    @Test
    void shouldWarmUpForWarmupSeasonsFromTheFirstObservation() {
        for (final String forecast : new String[] {"holt-winters", "seasonal-mean", "blend"}) {
            final AnomalyDetector d = new AnomalyDetector(AnomalySpec.from(new AnomalyConfig().forecast(forecast).scale("linear")
                .seasonLength(3).warmupSeasons(2).minSigma(1).minRelSigma(0).k(3).cusumLimit(Double.POSITIVE_INFINITY)
                .scanIntervals(1), "a"), 0);
            for (int t = 0; t < 7; t++) {
                assertEquals(MISSING, d.missing(t).status()); // more than the 6 intervals of warm-up, all gaps
            }
            for (int t = 7; t < 13; t++) {
                assertEquals(WARMING_UP, d.observe(t, 10).status(), forecast + ", interval " + t + ": two seasons from the first observation");
            }
            assertEquals(STARTED, d.observe(13, 100).status(), forecast);
        }
    }

    /** Rate audit: the scan summed two hours 11 hours apart across the night's gaps ("scan of the last 2 intervals"). */
    @Test
    void shouldScanConsecutiveIntervalsOnlyNotAcrossAGap() {
        for (final boolean gap : new boolean[] {false, true}) {
            final AnomalyDetector d = new AnomalyDetector(AnomalySpec.from(new AnomalyConfig().scale("linear").seasonLength(1).gamma(0)
                .alpha(0.001).warmupSeasons(3).minSigma(1).minRelSigma(0).k(3).clip(2.5).cusumLimit(Double.POSITIVE_INFINITY)
                .scanIntervals(2), "a"), 0);
            for (int t = 0; t < 40; t++) {
                d.observe(t, t % 2 == 0 ? 9 : 11); // errors of ±1: sigma about 1
            }
            assertFalse(d.observe(40, 12.4).isAlert(), "about 2.4 sigmas alone");
            if (gap) {
                assertEquals(MISSING, d.missing(41).status());
            }
            final AnomalyResult r = d.observe(42, 12.4);
            // together about (2.4 + 2.3) / √2 ≈ 3.3 > 3: a scan alert, of consecutive intervals only
            assertEquals(!gap, r.isAlert(), (gap ? "across a gap: " : "consecutive: ") + r.appendText(new StringBuilder()));
        }
    }

    @Test
    void shouldNotAlertDuringWarmUp() {
        final AnomalyDetector d = new AnomalyDetector(AnomalySpec.from(linear(), "a"));
        assertEquals(WARMING_UP, d.observe(0, 10).status());
        assertEquals(WARMING_UP, d.observe(1, 10).status());
        final AnomalyResult r = d.observe(2, 1_000);
        assertEquals(WARMING_UP, r.status());
        assertFalse(r.isAlert());
    }

    @Test
    void shouldRaiseOneAlertWhileAnAnomalyPersistsAndEndAfterQuietIntervals() {
        final AnomalyDetector d = new AnomalyDetector(AnomalySpec.from(linear(), "a"));
        for (int t = 0; t < 3; t++) {
            d.observe(t, 10); // errors 0: sigma is the floor, 1
        }
        AnomalyResult r = d.observe(3, 100);
        assertEquals(STARTED, r.status());
        assertTrue(r.isAlert());
        assertEquals(10.0, r.expected());
        assertEquals(1.0, r.sigma());
        assertEquals(7.0, r.low()); // 10 − 3·1
        assertEquals(13.0, r.high());
        assertEquals(90.0, r.score());
        assertEquals(3, r.anomalyStart());
        assertEquals("started: observed 100.0 above band [7.0, 13.0], expected 10.0, score 90.0 sigma",
            r.appendText(new StringBuilder()).toString());
        // robust learning: 100 counts as 10 + 2.5·1 = 12.5, l = 0.5·12.5 + 0.5·10 = 11.25 (not 55)
        assertEquals(11.25, d.model().level());
        r = d.observe(4, 100);
        assertEquals(CONTINUING, r.status());
        assertFalse(r.isAlert(), "de-duplicated while the anomaly persists");
        final double level = d.model().level();
        assertEquals(CONTINUING, d.observe(5, level).status());
        assertEquals(CONTINUING, d.observe(6, d.model().forecast()).status());
        r = d.observe(7, d.model().forecast());
        assertEquals(ENDED, r.status());
        assertFalse(r.isAlert(), "ends are not pushed by default");
        assertEquals(3, r.anomalyStart());
        assertEquals(NORMAL, d.observe(8, d.model().forecast()).status());
    }

    @Test
    void shouldReportTheEndWhenAsked() {
        final AnomalyDetector d = new AnomalyDetector(AnomalySpec.from(linear().alertOnEnd(true).quietIntervals(1), "a"));
        for (int t = 0; t < 3; t++) {
            d.observe(t, 10);
        }
        assertTrue(d.observe(3, 0).isAlert());
        final AnomalyResult r = d.observe(4, d.model().forecast());
        assertEquals(ENDED, r.status());
        assertTrue(r.isAlert());
    }

    @Test
    void shouldSeeASustainedSmallDropThroughTheCusum() {
        // each interval 2 sigmas low: never outside k = 3, but C⁻ grows by 2 − 0.5 = 1.5 a step
        // (sigmaRate 0.01 after a long steady history: the spread stays at the floor, 1)
        final AnomalyConfig c = linear().cusumSlack(0.5).cusumLimit(4).alpha(0.01).sigmaRate(0.01).minSigma(1);
        final AnomalyDetector d = new AnomalyDetector(AnomalySpec.from(c, "a"));
        for (int t = 0; t < 200; t++) {
            d.observe(t, 10);
        }
        // scores −2, −1.98, −1.96 (l = 0.01·8 + 0.99·10 = 9.98, then 9.9602): C⁻ = 1.5, 2.98, 4.44 &gt; 4
        assertEquals(NORMAL, d.observe(200, 8).status());
        assertEquals(NORMAL, d.observe(201, 8).status());
        final AnomalyResult r = d.observe(202, 8);
        assertEquals(STARTED, r.status());
        assertTrue(r.score() > -3, "no single interval is outside the band: " + r);
    }

    @Test
    void shouldSkipMissingIntervalsWithoutLearning() {
        final AnomalyDetector d = new AnomalyDetector(AnomalySpec.from(linear(), "a"));
        for (int t = 0; t < 3; t++) {
            d.observe(t, 10);
        }
        final AnomalyResult r = d.missing(3);
        assertEquals(MISSING, r.status());
        assertFalse(r.isAlert());
        assertTrue(Double.isNaN(r.observed()));
        assertEquals(10.0, d.model().level());
        assertEquals(4, d.intervals());
        assertEquals(NORMAL, d.observe(4, 10).status());
    }

    @Test
    void shouldTreatAnHourWithoutEventsAsZeroOnACountSeries() {
        // a shop with daily seasonality, P = 4 intervals: open, open, closed, closed
        final AnomalyConfig c = new AnomalyConfig().seasonLength(4).warmupSeasons(3);
        final AnomalyDetector d = new AnomalyDetector(AnomalySpec.from(c, "a"));
        final double[] day = {20, 20, 0, 0};
        for (int t = 0; t < 4 * 10; t++) {
            final AnomalyResult r = d.observe(t, day[t % 4]);
            assertFalse(r.isAlert(), "closed hours are expected zeros, not anomalies: " + r);
        }
        assertEquals(20.0, d.observe(40, 20).expected(), 1e-9);
        assertEquals(0.0, d.observe(41, 20).expected() - 20, 1e-9);
        final AnomalyResult drop = d.observe(42, 20);
        assertEquals(STARTED, drop.status(), "orders in a closed hour: " + drop);
        assertEquals(0.0, drop.expected(), 1e-9);
    }

    @Test
    void shouldGiveBitIdenticalResultsForTheSameInput() {
        final AnomalySpec spec = AnomalySpec.from(new AnomalyConfig().seasonLength(24), "a");
        final AnomalyDetector a = new AnomalyDetector(spec);
        final AnomalyDetector b = new AnomalyDetector(spec);
        long x = 42;
        for (int t = 0; t < 24 * 30; t++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            final double y = (x >>> 40) % 50 + (t % 24 < 8 ? 0 : 30);
            final AnomalyResult ra = a.observe(t, y);
            final AnomalyResult rb = b.observe(t, y);
            assertEquals(Double.doubleToRawLongBits(ra.expected()), Double.doubleToRawLongBits(rb.expected()));
            assertEquals(Double.doubleToRawLongBits(ra.score()), Double.doubleToRawLongBits(rb.score()));
            assertEquals(ra.status(), rb.status());
        }
    }
}

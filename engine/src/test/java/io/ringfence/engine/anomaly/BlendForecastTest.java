package io.ringfence.engine.anomaly;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code forecast: blend}: a weighted mean of the seasonal mean and Holt-Winters, both learning every interval. */
class BlendForecastTest {
    private static final long HOUR = 3_600_000_000L;
    private static final long START = 1_323_043_200_000_000L;

    private static double orders(final int t) {
        final int hour = t % 24;
        return hour < 8 || hour >= 18 ? 0 : 10 + (t * 7 % 3) - 1;
    }

    private static AnomalyConfig daily(final String forecast) {
        final AnomalyConfig c = new AnomalyConfig().forecast(forecast).seasonLength(24).warmupSeasons(2);
        return forecast.equals("holt-winters") ? c : c.seasonWindow(4);
    }

    private static AnomalyConfig daily() {
        return daily("blend").blendWeight(0.25);
    }

    @Test
    void shouldForecastTheWeightedMeanOfTheTwoModelsFedTheSameObservations() {
        final BlendForecast blend = new BlendForecast(0.25, new HoltWinters(0.1, 0.0, 0.9, 0.2, 3), new SeasonalMean(3, 2, 0.0, 0.0, false));
        final HoltWinters hw = new HoltWinters(0.1, 0.0, 0.9, 0.2, 3);
        final SeasonalMean mean = new SeasonalMean(3, 2, 0.0, 0.0, false);
        final double[] y = {4, 10, 1, 6, 12, 2, 5, 30, 1};
        for (int t = 0; t < y.length; t++) {
            if (t == 4) {
                blend.skip();
                hw.skip();
                mean.skip();
                continue;
            }
            blend.update(y[t]);
            hw.update(y[t]);
            mean.update(y[t]);
            assertEquals(0.25 * mean.forecast() + 0.75 * hw.forecast(), blend.forecast(), 0.0, "interval " + t);
        }
        assertEquals(hw.count(), blend.count());
        assertEquals(hw.phase(), blend.phase());
        blend.alignPhase(1);
        assertEquals(1, blend.holtWinters().phase());
        assertEquals(1, blend.seasonalMean().phase());
        assertEquals((10 + 30) / 2.0, blend.seasonalMean().forecast(), 0.0, "phase 1 holds 10 and 30: the skipped interval stored nothing");
        assertEquals(0.25 * 20.0 + 0.75 * blend.holtWinters().forecast(), blend.forecast(), 0.0);
    }

    @Test
    void shouldRefuseAWeightOutsideTheUnitIntervalAndUnequalSeasons() {
        final IllegalArgumentException weight = assertThrows(IllegalArgumentException.class,
            () -> new BlendForecast(1.5, new HoltWinters(0.1, 0.0, 0.9, 0.2, 3), new SeasonalMean(3, 2, 0.0, 0.0, false)));
        assertEquals("blend: weight 1.5 must be within 0..1 and both seasons equal (3 and 3 intervals)", weight.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> new BlendForecast(0.5, new HoltWinters(0.1, 0.0, 0.9, 0.2, 3), new SeasonalMean(4, 2, 0.0, 0.0, false)));
    }

    @Test
    void shouldBeHoltWintersAtWeightZeroAndTheSeasonalMeanAtWeightOne() {
        // the blend does not hold drops from learning (holdIntervals is Holt-Winters' alone): compared without it
        final AnomalyDetector hw = new AnomalyDetector(AnomalySpec.from(daily("holt-winters").holdIntervals(0), "a", AnomalySpec.Values.COUNTS));
        final AnomalyDetector zero = new AnomalyDetector(AnomalySpec.from(daily("blend").blendWeight(0.0), "a", AnomalySpec.Values.COUNTS));
        final AnomalyDetector mean = new AnomalyDetector(AnomalySpec.from(daily("seasonal-mean"), "a", AnomalySpec.Values.COUNTS));
        final AnomalyDetector one = new AnomalyDetector(AnomalySpec.from(daily("blend").blendWeight(1.0), "a", AnomalySpec.Values.COUNTS));
        for (int t = 0; t < 24 * 5; t++) {
            final double y = t >= 24 * 4 + 9 && t < 24 * 4 + 14 ? 0.2 * orders(t) : orders(t);
            final AnomalyResult h = hw.observe(START + t * HOUR, y);
            assertEquals(h.toString(), zero.observe(START + t * HOUR, y).toString(), "weight 0 at " + t);
            final AnomalyResult m = mean.observe(START + t * HOUR, y);
            assertEquals(m.toString(), one.observe(START + t * HOUR, y).toString(), "weight 1 at " + t);
        }
    }

    @Test
    void shouldRefuseASnapshotOfAnotherForecastAndTheHoltWintersAccessor() {
        final AnomalySpec spec = AnomalySpec.from(daily(), "a", AnomalySpec.Values.COUNTS);
        final AnomalyDetector d = new AnomalyDetector(spec);
        for (int t = 0; t < 50; t++) {
            d.observe(START + t * HOUR, orders(t));
        }
        final IllegalStateException e = assertThrows(IllegalStateException.class, d::model);
        assertEquals("this detector forecasts with blend, not Holt-Winters: use forecast()", e.getMessage());
        final ByteBuffer blendBytes = state(d);
        assertTrue(d.stateBytesBound() >= blendBytes.remaining(), blendBytes.remaining() + " bytes over the bound " + d.stateBytesBound());
        assertTrue(d.stateBytesBound() < blendBytes.remaining() + 256, "the bound is close: " + d.stateBytesBound() + " for " + blendBytes.remaining());

        for (final String other : new String[] {"holt-winters", "seasonal-mean"}) {
            final AnomalyConfig c = daily(other);
            final AnomalyDetector wrong = new AnomalyDetector(AnomalySpec.from(c, "a", AnomalySpec.Values.COUNTS));
            for (int t = 0; t < 50; t++) {
                wrong.observe(START + t * HOUR, orders(t));
            }
            final SnapshotFormatException refused = assertThrows(SnapshotFormatException.class,
                () -> d.readState(new StateReader(state(wrong))), "a blend does not read a " + other + " state");
            assertTrue(refused.getMessage().startsWith("the snapshot's anomaly forecast is not a blend"), refused.getMessage());
            assertThrows(SnapshotFormatException.class, () -> wrong.readState(new StateReader(blendBytes.duplicate())),
                "a " + other + " detector does not read a blend's state");
        }
        final AnomalyDetector wider = new AnomalyDetector(AnomalySpec.from(daily().seasonWindow(5), "a", AnomalySpec.Values.COUNTS));
        final SnapshotFormatException window = assertThrows(SnapshotFormatException.class, () -> wider.readState(new StateReader(blendBytes.duplicate())));
        assertEquals("a seasonal mean of 24 phases × 4 seasons in the snapshot, 24 × 5 configured", window.getMessage());
    }

    @Test
    void shouldChangeTheStateHashWithEitherModel() {
        final AnomalySpec spec = AnomalySpec.from(daily(), "a", AnomalySpec.Values.COUNTS);
        final AnomalyDetector a = new AnomalyDetector(spec);
        final AnomalyDetector b = new AnomalyDetector(spec);
        for (int t = 0; t < 10; t++) {
            a.observe(START + t * HOUR, orders(t));
            b.observe(START + t * HOUR, orders(t));
        }
        assertEquals(a.stateHash(), b.stateHash());
        final long before = a.stateHash();
        a.observe(START + 10 * HOUR, 9);
        b.observe(START + 10 * HOUR, 10);
        assertNotEquals(a.stateHash(), b.stateHash());
        // the blend does not hold drops from learning (holdIntervals is Holt-Winters' alone): compared without it
        final AnomalyDetector hw = new AnomalyDetector(AnomalySpec.from(daily("holt-winters").holdIntervals(0), "a", AnomalySpec.Values.COUNTS));
        assertNotEquals(before, hw.stateHash(), "sanity: hashes differ by state");
    }

    @Test
    void shouldKeepTheDigestOfConfigurationsThatDoNotSetTheWeight() throws Exception {
        final String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(AnomalyTraffic.monitor("m", "count"));
        assertFalse(json.contains("blendWeight"), "blendWeight unset is absent, so configurations from before keep their digest: " + json);
        final byte[] unset = io.ringfence.engine.snapshot.ConfigDigest.of(AnomalyTraffic.config(AnomalyTraffic.monitor("m", "count")), null);
        final io.ringfence.engine.config.EngineConfig blend = AnomalyTraffic.config(AnomalyTraffic.monitor("m", "count"));
        blend.anomalies.get(0).detector.forecast("blend");
        assertFalse(java.util.Arrays.equals(unset, io.ringfence.engine.snapshot.ConfigDigest.of(blend, null)),
            "a snapshot taken under another forecast is not used");
    }

    private static ByteBuffer state(final AnomalyDetector d) {
        final StateWriter w = new StateWriter(1 << 14);
        d.writeState(w);
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        return bytes;
    }
}

package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnomalySpecTest {
    @Test
    void shouldFillDefaults() {
        final AnomalySpec d = AnomalySpec.from(new AnomalyConfig(), "anomaly");
        assertEquals(AnomalySpec.Scale.LOG, d.scale());
        assertEquals(168, d.seasonLength());
        assertEquals(3.0, d.k());
        assertEquals(336, d.warmupIntervals());
        assertEquals(d.toString(), AnomalySpec.defaults().toString());
    }

    @Test
    void shouldRejectBadValuesNamingFieldAndValue() {
        assertMessage("anomaly.alpha: '0.0' must be greater than 0 and at most 1", new AnomalyConfig().alpha(0));
        assertMessage("anomaly.gamma: '1.5' must be between 0 and 1", new AnomalyConfig().gamma(1.5));
        assertMessage("anomaly.beta: 'NaN' must be between 0 and 1", new AnomalyConfig().beta(Double.NaN));
        assertMessage("anomaly.seasonLength: '0' must be between 1 (no seasonality) and 10080 intervals",
            new AnomalyConfig().seasonLength(0));
        assertMessage("anomaly.gamma: '0.3' has no season to smooth: seasonLength is 1 (set gamma to 0 or a season)",
            new AnomalyConfig().seasonLength(1).gamma(0.3));
        assertMessage("anomaly.k: '-1.0' must be a positive finite number of sigmas", new AnomalyConfig().k(-1));
        assertMessage("anomaly.minSigma: '0.0' must be positive and finite (a flat series would otherwise alert on any change)",
            new AnomalyConfig().minSigma(0));
        assertMessage("anomaly.warmupSeasons: '0' must be between 1 and 1000 (the first season only initialises the forecast)",
            new AnomalyConfig().warmupSeasons(0));
        assertMessage("anomaly.quietIntervals: '0' must be between 1 and 10000", new AnomalyConfig().quietIntervals(0));
        assertMessage("anomaly.scale: 'sqrt' is not a scale: use log (counts, sums) or linear", new AnomalyConfig().scale("sqrt"));
        assertMessage("anomaly.cusumLimit: '0.0' must be a positive number of sigmas (or .inf to alert on single intervals only)",
            new AnomalyConfig().cusumLimit(0));
    }

    @Test
    void shouldTakeTheSeasonalMeanWithItsDefaultsOnlyWhenAsked() {
        assertEquals(AnomalySpec.Forecast.HOLT_WINTERS, AnomalySpec.defaults().forecast());
        final AnomalySpec m = AnomalySpec.from(new AnomalyConfig().forecast("seasonal-mean"), "anomaly");
        assertEquals(AnomalySpec.Forecast.SEASONAL_MEAN, m.forecast());
        assertEquals(6, m.seasonWindow());
        assertEquals(0.0, m.seasonTrim());
        assertEquals(0.0, m.levelRate());
        assertEquals(true, m.toString().startsWith("forecast=seasonal-mean seasonWindow=6 seasonTrim=0.0 levelRate=0.0 scale=log"), m.toString());
        assertEquals(false, m.toString().contains("alpha"), "Holt-Winters settings are not shown for the median: " + m);
        final AnomalySpec set = AnomalySpec.from(new AnomalyConfig().forecast("seasonal-mean").seasonWindow(26).seasonTrim(0.5).levelRate(1), "anomaly");
        assertEquals(26, set.seasonWindow());
        assertEquals(0.5, set.seasonTrim());
        assertEquals(1.0, set.levelRate());
        assertEquals(AnomalySpec.Forecast.HOLT_WINTERS, AnomalySpec.from(new AnomalyConfig().forecast("holt-winters"), "anomaly").forecast());
    }

    @Test
    void shouldRejectBadSeasonalMeanSettingsAndSettingsOfTheOtherForecast() {
        assertMessage("anomaly.forecast: 'median' is not a forecast: use holt-winters (exponentially smoothed season), seasonal-mean"
            + " (trimmed mean of the phase's last seasons) or blend (a weighted mean of the two)", new AnomalyConfig().forecast("median"));
        assertMessage("anomaly.seasonWindow: '0' must be between 1 and 26 seasons (each phase holds this many past observations)",
            new AnomalyConfig().forecast("seasonal-mean").seasonWindow(0));
        assertMessage("anomaly.seasonWindow: '27' must be between 1 and 26 seasons (each phase holds this many past observations)",
            new AnomalyConfig().forecast("seasonal-mean").seasonWindow(27));
        assertMessage("anomaly.seasonTrim: '0.6' must be between 0 (the mean of the held seasons) and 0.5 (their median): the share trimmed at each end",
            new AnomalyConfig().forecast("seasonal-mean").seasonTrim(0.6));
        assertMessage("anomaly.seasonTrim: 'NaN' must be between 0 (the mean of the held seasons) and 0.5 (their median): the share trimmed at each end",
            new AnomalyConfig().forecast("seasonal-mean").seasonTrim(Double.NaN));
        assertMessage("anomaly.levelRate: '-0.1' must be between 0 and 1", new AnomalyConfig().forecast("seasonal-mean").levelRate(-0.1));
        assertMessage("anomaly.seasonWindow: '6' is a setting of forecast seasonal-mean or blend; this detector forecasts with holt-winters"
            + " (set forecast: seasonal-mean or leave it out)", new AnomalyConfig().seasonWindow(6));
        assertMessage("anomaly.levelRate: '0.01' is a setting of forecast seasonal-mean or blend; this detector forecasts with holt-winters"
            + " (set forecast: seasonal-mean or leave it out)", new AnomalyConfig().forecast("holt-winters").levelRate(0.01));
        assertMessage("anomaly.gamma: '0.2' is a Holt-Winters setting; this detector forecasts with seasonal-mean"
            + " (its settings: seasonWindow, seasonTrim, levelRate)", new AnomalyConfig().forecast("seasonal-mean").gamma(0.2));
        assertMessage("anomaly.blendWeight: '1.5' must be between 0 and 1", new AnomalyConfig().forecast("blend").blendWeight(1.5));
        assertMessage("anomaly.blendWeight: 'NaN' must be between 0 and 1", new AnomalyConfig().forecast("blend").blendWeight(Double.NaN));
        assertMessage("anomaly.blendWeight: '0.5' is a setting of forecast blend; this detector forecasts with holt-winters"
            + " (set forecast: blend or leave it out)", new AnomalyConfig().blendWeight(0.5));
        assertMessage("anomaly.blendWeight: '0.5' is a setting of forecast blend; this detector forecasts with seasonal-mean"
            + " (set forecast: blend or leave it out)", new AnomalyConfig().forecast("seasonal-mean").blendWeight(0.5));
        final AnomalySpec blend = AnomalySpec.from(new AnomalyConfig().forecast("blend").gamma(0.3).seasonWindow(4), "anomaly");
        assertEquals(AnomalySpec.Forecast.BLEND, blend.forecast());
        assertEquals(AnomalySpec.DEFAULT_BLEND_WEIGHT, blend.blendWeight());
        assertEquals(0.3, blend.gamma(), "a blend takes both forecasts' settings");
        assertEquals(4, blend.seasonWindow());
        assertTrue(blend.toString().startsWith("forecast=blend blendWeight=0.4 seasonWindow=4"), blend.toString());
        assertTrue(blend.toString().contains(" gamma=0.3 "), blend.toString());
    }

    @Test
    void shouldHoldDropsOnlyWithHoltWinters() {
        assertEquals(AnomalySpec.DEFAULT_HOLD_INTERVALS, AnomalySpec.defaults().holdIntervals());
        assertTrue(AnomalySpec.defaults().toString().contains(" holdIntervals=24 "), AnomalySpec.defaults().toString());
        assertEquals(0, AnomalySpec.from(new AnomalyConfig().holdIntervals(0), "anomaly").holdIntervals());
        assertEquals(0, AnomalySpec.from(new AnomalyConfig().forecast("seasonal-mean"), "anomaly").holdIntervals());
        assertEquals(0, AnomalySpec.from(new AnomalyConfig().forecast("blend"), "anomaly").holdIntervals());
        assertMessage("anomaly.holdIntervals: '-1' must be between 0 (a drop is learned as it comes) and 100000 intervals",
            new AnomalyConfig().holdIntervals(-1));
        assertMessage("anomaly.holdIntervals: '12' is a setting of forecast holt-winters; this detector forecasts with seasonal-mean"
            + " (the seasonal mean learns a phase once a season, so a drop barely moves it; leave it out)",
            new AnomalyConfig().forecast("seasonal-mean").holdIntervals(12));
        assertMessage("anomaly.holdIntervals: '0' is a setting of forecast holt-winters; this detector forecasts with blend"
            + " (holding the blend cost more false alarms than it saved on the Online Retail harness; leave it out)",
            new AnomalyConfig().forecast("blend").holdIntervals(0));
    }

    @Test
    void shouldWatchBothSidesUnlessToldADirection() {
        assertEquals(AnomalySpec.Direction.BOTH, AnomalySpec.defaults().direction());
        assertFalse(AnomalySpec.defaults().toString().contains("direction"), "the default is not spelled out");
        final AnomalySpec up = AnomalySpec.from(new AnomalyConfig().direction("up"), "anomaly");
        assertEquals(AnomalySpec.Direction.UP, up.direction());
        assertTrue(up.toString().endsWith(" direction=up"), up.toString());
        assertEquals(AnomalySpec.Direction.DOWN, AnomalySpec.from(new AnomalyConfig().direction("down"), "anomaly").direction());
        assertEquals(AnomalySpec.Direction.BOTH, AnomalySpec.from(new AnomalyConfig().direction("both"), "anomaly").direction());
        assertMessage("anomaly.direction: 'Up' is not a direction: use both (rises and drops start anomalies), up (rises only,"
            + " e.g. a failure rate) or down (drops only)", new AnomalyConfig().direction("Up"));
        assertEquals(12, AnomalySpec.from(new AnomalyConfig().direction("up").holdIntervals(12), "anomaly").holdIntervals());
        assertEquals(12, AnomalySpec.from(new AnomalyConfig().direction("down").holdIntervals(12), "anomaly").holdIntervals());
        final AnomalySpec.Direction both = AnomalySpec.Direction.BOTH;
        assertTrue(both.beyond(3.1, 3.0) && both.beyond(-3.1, 3.0) && !both.beyond(3.0, 3.0) && !both.beyond(Double.NaN, 3.0));
        assertTrue(AnomalySpec.Direction.UP.beyond(3.1, 3.0) && !AnomalySpec.Direction.UP.beyond(-9.0, 3.0));
        assertTrue(AnomalySpec.Direction.DOWN.beyond(-3.1, 3.0) && !AnomalySpec.Direction.DOWN.beyond(9.0, 3.0));
    }

    @Test
    void shouldRejectUnknownPropertiesByName() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new AnomalyConfig().unknown("sigma", 1));
        assertEquals(true, e.getMessage().startsWith("unknown anomaly property 'sigma'"), e.getMessage());
    }

    private static void assertMessage(final String expected, final AnomalyConfig c) {
        final ConfigException e = assertThrows(ConfigException.class, () -> AnomalySpec.from(c, "anomaly"));
        assertEquals(expected, e.getMessage());
    }
}

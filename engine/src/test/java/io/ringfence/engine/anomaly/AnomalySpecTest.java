package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

package io.ringfence.engine.anomaly;

import io.ringfence.engine.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binomial spread of rate series, with hand-worked numbers: after a steady 1 failure in 50
 * (2 %), the Anscombe arcsine residual of k of 50 is {@code 2·√50.5·(asin√((k + ⅜)/50.75) − asin√(1.375/50.75))}.
 */
class BinomialSpreadTest {
    private static final double N = 50;

    private static AnomalyDetector steadyTwoPercent() {
        final AnomalyDetector d = new AnomalyDetector(AnomalySpec.from(new AnomalyConfig().scale("linear").spread("binomial")
            .seasonLength(1).gamma(0.0).warmupSeasons(1), "t"));
        for (int i = 0; i < 30; i++) {
            d.observeRateAt(i, 1 / N, (long) N, 0);
        }
        return d;
    }

    @Test
    void shouldScoreAJumpTo30PercentAsTheArcsineResidual() {
        final AnomalyResult r = steadyTwoPercent().observeRateAt(30, 15 / N, (long) N, 0);
        assertEquals(AnomalyResult.Status.STARTED, r.status());
        assertEquals(0.02, r.expected(), 1e-12);
        // 2·√50.5·(asin√(15.375/50.75) − asin√(1.375/50.75)) = 14.2127·(0.58290 − 0.16535)
        assertEquals(5.933879747824307, r.score(), 1e-9);
        assertEquals(0.0, r.low(), 0.0, "the band's lower edge is below 0 failures: 0");
        // sin²(asin√(1.375/50.75) + 3/(2·√50.5))·50.75/50 − 0.375/50
        assertEquals(0.1296609133098557, r.high(), 1e-9);
        assertEquals(0.3, r.observed(), 0.0);
    }

    @Test
    void shouldScoreUsualCountsWithinTheBand() {
        assertEquals(-1.1268850441026277, steadyTwoPercent().observeRateAt(30, 0.0, (long) N, 0).score(), 1e-9, "0 of 50");
        assertEquals(0.0, steadyTwoPercent().observeRateAt(30, 1 / N, (long) N, 0).score(), 1e-9, "1 of 50: as expected");
        final AnomalyResult four = steadyTwoPercent().observeRateAt(30, 4 / N, (long) N, 0);
        assertEquals(1.885273923734185, four.score(), 1e-9, "4 of 50 (2 % of hours): no alarm, where the Wald z would say 3.03");
        assertEquals(AnomalyResult.Status.NORMAL, four.status());
    }

    @Test
    void shouldNeedTheBaseCountOfEveryObservation() {
        final AnomalyDetector d = steadyTwoPercent();
        assertThrows(IllegalStateException.class, () -> d.observe(30, 0.5));
        assertEquals(30, d.intervals(), "nothing was fed");
    }

    @Test
    void shouldRefuseTheBinomialSpreadOnTheLogScale() {
        final ConfigException e = assertThrows(ConfigException.class,
            () -> AnomalySpec.from(new AnomalyConfig().spread("binomial"), "anomaly"));
        assertTrue(e.getMessage().startsWith("anomaly.spread: 'binomial' needs scale linear"), e.getMessage());
    }
}

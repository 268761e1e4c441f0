package io.ringfence.engine.anomaly;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountDevianceTest {
    @Test
    void shouldGiveTheSignedRootOfThePoissonDeviance() {
        assertEquals(-Math.sqrt(6.0), CountDeviance.score(0, 3, 0), 1e-12, "0 where 3 were expected: 2m = 6");
        assertEquals(0.0, CountDeviance.score(3, 3, 0), 1e-12);
        // 12 where 4: 2·(12·ln 3 − 8) = 10.367
        assertEquals(Math.sqrt(2 * (12 * Math.log(3) - 8)), CountDeviance.score(12, 4, 0), 1e-12);
        assertTrue(CountDeviance.score(1, 9, 0) < -3, "a drop to 1 of 9 is beyond 3 sigmas for Poisson counts");
    }

    @Test
    void shouldBeLessExtremeForOverdispersedCountsAndMeetPoissonAsRGrows() {
        final double poisson = CountDeviance.score(1, 9, 0);
        final double negbin = CountDeviance.score(1, 9, 0.2);
        assertTrue(negbin > poisson && negbin < 0, poisson + " vs " + negbin);
        assertEquals(-Math.sqrt(2 * 5 * Math.log1p(9 / 5.0)), CountDeviance.score(0, 9, 0.2), 1e-12, "y = 0: 2r·ln(1 + m/r)");
        assertEquals(poisson, CountDeviance.score(1, 9, 1e-8), 1e-6);
        assertEquals(CountDeviance.score(20, 9, 0), CountDeviance.score(20, 9, 1e-8), 1e-6);
    }

    @Test
    void shouldFindTheCountsThatScoreMinusAndPlusK() {
        for (final double inverse : new double[] {0.0, 0.2}) {
            final double low = CountDeviance.bound(30, inverse, -3);
            final double high = CountDeviance.bound(30, inverse, 3);
            assertTrue(low > 0 && low < 30 && high > 30, low + " " + high);
            assertEquals(-3.0, CountDeviance.score(low, 30, inverse), 1e-9);
            assertEquals(3.0, CountDeviance.score(high, 30, inverse), 1e-9);
        }
        assertEquals(0.0, CountDeviance.bound(2, 0, -3), "0 where 2 are expected is only −2: no count is below the band");
        assertTrue(CountDeviance.bound(0.1, 0, 3) > 1.0, "a band above a tenth of an order");
    }
}

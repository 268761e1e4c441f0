package io.ringfence.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The refused-connection WARN: the first at once, then at most one a period, each saying how many were kept quiet. */
class ThrottledWarningTest {
    private static final long PERIOD = 10_000_000_000L;

    @Test
    void firstIsLoggedThenOneAPeriodWithTheCountKeptQuiet() {
        final ThrottledWarning w = new ThrottledWarning(PERIOD);
        final long t0 = Long.MIN_VALUE + 5; // nanoTime may be any value, negative ones included
        assertTrue(w.occurred(t0));
        assertEquals(0, w.quietSinceLast());
        w.logged(t0);
        int logged = 0;
        for (int i = 1; i <= 1000; i++) { // a flood: 1,000 in just under one period
            if (w.occurred(t0 + i * (PERIOD / 1001))) {
                logged++;
            }
        }
        assertEquals(0, logged);
        assertEquals(1000, w.quietSinceLast());
        assertTrue(w.occurred(t0 + PERIOD));
        assertEquals(1000, w.quietSinceLast(), "the line logged now names the 1,000 kept quiet");
        w.logged(t0 + PERIOD);
        assertEquals(0, w.quietSinceLast());
        assertFalse(w.occurred(t0 + PERIOD + 1));
        assertEquals(1, w.quietSinceLast());
    }

    @Test
    void aWarningAPeriodApartIsAlwaysLogged() {
        final ThrottledWarning w = new ThrottledWarning(PERIOD);
        for (long t = 0; t < 5 * PERIOD; t += PERIOD) {
            assertTrue(w.occurred(t));
            assertEquals(0, w.quietSinceLast());
            w.logged(t);
        }
    }

    @Test
    void aPeriodMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ThrottledWarning(0));
    }
}

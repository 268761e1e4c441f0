package io.ringfence.engine.anomaly;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The alert text's numbers: one decimal, more where the observation would read as the band edge it crossed. */
class AnomalyResultTextTest {
    private static AnomalyResult interval(final double observed, final double low, final double high, final double expected) {
        final AnomalyResult r = new AnomalyResult();
        r.status = AnomalyResult.Status.STARTED;
        r.trigger = AnomalyResult.Trigger.INTERVAL;
        r.observed = observed;
        r.low = low;
        r.high = high;
        r.expected = expected;
        r.score = -3.04;
        return r;
    }

    @Test
    void shouldGiveOneDecimalWhereItTellsTheNumbersApart() {
        assertEquals("started: observed 2.0 below band [7.1, 15.3], expected 11.2, score -3.0 sigma",
            interval(2.0, 7.08, 15.31, 11.2).appendText(new StringBuilder()).toString());
    }

    @Test
    void shouldGiveMoreDecimalsWhereTheObservationWouldReadAsTheEdgeItCrossed() {
        // windows trial: a three-decimal currency's mean read "40.1 below band [40.1, ..."
        assertEquals("started: observed 40.09 below band [40.14, 45.00], expected 42.57, score -3.0 sigma",
            interval(40.094, 40.142, 45.0, 42.567).appendText(new StringBuilder()).toString());
        assertEquals("started: observed 0.1234 below band [0.1235, 0.2000], expected 0.1500, score -3.0 sigma",
            interval(0.12341, 0.12348, 0.2, 0.15).appendText(new StringBuilder()).toString(), "at most four");
        assertEquals("started: observed 1.0000 below band [1.0000, 2.0000], expected 1.5000, score -3.0 sigma",
            interval(1.00001, 1.00002, 2.0, 1.5).appendText(new StringBuilder()).toString(), "four when even four do not tell them apart");
        assertEquals("started: observed -0.05 below band [0.00, 1.00], expected 0.50, score -3.0 sigma",
            interval(-0.05, -0.0001, 1.0, 0.5).appendText(new StringBuilder()).toString(), "negative values");
    }

    @Test
    void shouldGiveMoreDecimalsToScannedSumsAndRatesAlike() {
        final AnomalyResult r = interval(12.0, 3.0, 30.0, 11.0);
        r.trigger = AnomalyResult.Trigger.SCAN;
        r.scanIntervals = 3;
        r.scanObserved = 100.01;
        r.scanLow = 100.04;
        r.scanHigh = 300.0;
        r.scanExpected = 200.0;
        r.scanScore = -3.1;
        assertEquals("started (scan of the last 3 intervals): sum 100.01 below band [100.04, 300.00], expected 200.00, score -3.1 sigma;"
            + " last interval observed 12.0 inside band [3.0, 30.0], expected 11.0, score -3.0 sigma", r.appendText(new StringBuilder()).toString());
        final AnomalyResult rate = interval(0.30001, 0.0, 0.30004, 0.05);
        assertEquals("started: observed 30.001% (15 of 50) inside band [0.000%, 30.004%], expected 5.000%, score -3.0 sigma",
            rate.appendText(new StringBuilder(), true, 15, 50).toString());
    }
}

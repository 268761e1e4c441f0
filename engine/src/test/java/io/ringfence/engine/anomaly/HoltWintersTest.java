package io.ringfence.engine.anomaly;

import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recurrences, worked by hand with values exact in binary (halves), so equality is exact. */
class HoltWintersTest {
    @Test
    void shouldFollowTheSeasonalRecurrencesWorkedByHand() {
        // P = 2, α = 0.5, β = 0 (no trend), φ = 0.9, γ = 0.5
        final HoltWinters hw = new HoltWinters(0.5, 0.0, 0.9, 0.5, 2);
        hw.update(10);
        assertFalse(hw.initialised());
        assertEquals(10.0, hw.forecast(), "before a whole season: the mean so far");
        hw.update(20);
        // init: level = (10 + 20) / 2 = 15, s = [10 − 15, 20 − 15] = [−5, 5], trend 0
        assertTrue(hw.initialised());
        assertEquals(15.0, hw.level());
        assertEquals(-5.0, hw.season(0));
        assertEquals(5.0, hw.season(1));
        // ŷ = 15 + 0.9·0 + (−5) = 10
        assertEquals(10.0, hw.forecast());
        hw.update(14);
        // l = 0.5·(14 − (−5)) + 0.5·(15 + 0) = 9.5 + 7.5 = 17; s0 = 0.5·(14 − 17) + 0.5·(−5) = −4
        assertEquals(17.0, hw.level());
        assertEquals(-4.0, hw.season(0));
        // ŷ = 17 + 5 = 22
        assertEquals(22.0, hw.forecast());
        hw.update(20);
        // l = 0.5·(20 − 5) + 0.5·17 = 16; s1 = 0.5·(20 − 16) + 0.5·5 = 4.5
        assertEquals(16.0, hw.level());
        assertEquals(4.5, hw.season(1));
        // ŷ = 16 + (−4) = 12
        assertEquals(12.0, hw.forecast());
        assertEquals(0, hw.phase());
    }

    @Test
    void shouldFollowTheDampedTrendWorkedByHand() {
        // P = 1 (no season), α = 0.5, β = 0.5, φ = 0.5
        final HoltWinters hw = new HoltWinters(0.5, 0.5, 0.5, 0.0, 1);
        hw.update(10);
        // init: level 10, trend 0
        assertEquals(10.0, hw.forecast());
        hw.update(14);
        // l = 0.5·14 + 0.5·(10 + 0.5·0) = 12; b = 0.5·(12 − 10) + 0.5·0.5·0 = 1
        assertEquals(12.0, hw.level());
        assertEquals(1.0, hw.trend());
        // ŷ = 12 + 0.5·1 = 12.5
        assertEquals(12.5, hw.forecast());
        hw.skip();
        // a gap: l = 12 + 0.5·1 = 12.5, b = 0.5·1 = 0.5; ŷ = 12.5 + 0.25 = 12.75
        assertEquals(12.5, hw.level());
        assertEquals(0.5, hw.trend());
        assertEquals(12.75, hw.forecast());
        assertEquals(3, hw.count());
    }

    @Test
    void shouldInitialiseAPhaseThatWasAGapAtTheMeanOfTheObservations() {
        final HoltWinters hw = new HoltWinters(0.5, 0.0, 1.0, 0.5, 3);
        hw.update(6);
        hw.skip(); // a gap: no observation (before 2026-12-06 it counted as the mean so far, 6)
        assertEquals(6.0, hw.forecast(), "the mean of the observations so far");
        hw.update(12);
        // level = (6 + 12) / 2 = 9; s = [−3, 0 (the gap: the mean), 3]
        assertTrue(hw.initialised());
        assertEquals(9.0, hw.level());
        assertEquals(-3.0, hw.season(0));
        assertEquals(0.0, hw.season(1));
        assertEquals(3.0, hw.season(2));
    }

    /**
     * Rate audit: a currency whose first three hours had too few payments to observe had them initialised at a rate of
     * 0 (the mean before anything), and its normal 30 % in those hours alerted every day for a week. Gaps before the first
     * observation do not start the season.
     */
    @Test
    void shouldStartTheFirstSeasonAtTheFirstObservation() {
        final HoltWinters hw = new HoltWinters(0.5, 0.0, 1.0, 0.5, 3);
        hw.skip();
        hw.skip();
        assertEquals(0, hw.count(), "nothing seen yet");
        assertEquals(0.0, hw.forecast());
        assertEquals(2, hw.phase(), "the phase moves on");
        hw.update(0.3); // phase 2
        hw.update(0.3); // phase 0
        assertFalse(hw.initialised(), "a season from the first observation");
        hw.update(0.3); // phase 1
        assertTrue(hw.initialised());
        for (int p = 0; p < 3; p++) {
            assertEquals(0.0, hw.season(p), 1e-15);
        }
        assertEquals(0.3, hw.forecast(), 1e-15);
    }

    /** Review: a gap in the repeated hour of a DST fall-back (the phase comes round twice) wiped that hour's observation. */
    @Test
    void shouldKeepAPhasesObservationWhenAGapComesRoundToItAgain() {
        final HoltWinters hw = new HoltWinters(0.5, 0.0, 1.0, 0.5, 3);
        hw.alignPhase(0);
        hw.update(6);
        hw.alignPhase(0); // the same local hour again
        hw.skip();
        hw.update(9); // phase 1: the season is complete (3 intervals), 2 observations
        assertTrue(hw.initialised());
        assertEquals(7.5, hw.level());
        assertEquals(-1.5, hw.season(0), "kept");
        assertEquals(1.5, hw.season(1));
        assertEquals(0.0, hw.season(2), "never observed: the mean");
    }

    @Test
    void shouldRefuseAStateWhoseFirstSeasonCountsMoreObservationsThanIntervals() {
        final HoltWinters hw = new HoltWinters(0.5, 0.0, 1.0, 0.5, 4);
        hw.update(2);
        final StateWriter w = new StateWriter(256);
        hw.write(w);
        final java.nio.ByteBuffer bytes = w.contentCopy();
        bytes.putLong(8 + 8 + 4 + 8 + 8, 5L); // initObserved 5 of count 1
        final SnapshotFormatException e = assertThrows(SnapshotFormatException.class,
            () -> new HoltWinters(0.5, 0.0, 1.0, 0.5, 4).read(new StateReader(bytes)));
        assertEquals("5 first-season observations in the snapshot of 1 intervals", e.getMessage());
    }

    @Test
    void shouldRestoreAFirstSeasonWithGapsFromItsState() {
        final HoltWinters hw = new HoltWinters(0.5, 0.0, 1.0, 0.5, 4);
        hw.skip();
        hw.update(2);
        hw.skip();
        final StateWriter w = new StateWriter(256);
        hw.write(w);
        final HoltWinters restored = new HoltWinters(0.5, 0.0, 1.0, 0.5, 4);
        restored.read(new StateReader(w.contentCopy()));
        assertEquals(hw.hash(1), restored.hash(1));
        for (final HoltWinters m : new HoltWinters[] {hw, restored}) {
            m.update(4);
            m.update(6); // season complete: level (2 + 4 + 6) / 3 = 4
            assertEquals(4.0, m.level());
            assertEquals(0.0, m.season(2), "the gap");
        }
        assertEquals(hw.hash(1), restored.hash(1));
    }
}

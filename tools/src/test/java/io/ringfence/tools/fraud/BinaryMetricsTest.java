package io.ringfence.tools.fraud;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BinaryMetrics} on hand-worked cases, and against brute force on seeded random scores with ties. */
class BinaryMetricsTest {
    private static final boolean T = true;
    private static final boolean F = false;

    @Test
    void shouldScoreAPerfectRankingOne() {
        final double[] s = {0.1, 0.8, 0.2, 0.9};
        final boolean[] y = {F, T, F, T};
        assertEquals(1.0, BinaryMetrics.rocAuc(s, y), 0.0);
        assertEquals(1.0, BinaryMetrics.prAuc(s, y), 0.0);
    }

    @Test
    void shouldScoreAnInvertedRankingZeroAndItsAveragePrecisionByHand() {
        final double[] s = {0.9, 0.8, 0.2, 0.1};
        final boolean[] y = {F, F, T, T};
        assertEquals(0.0, BinaryMetrics.rocAuc(s, y), 0.0);
        // from the top: F F T(precision 1/3) T(precision 2/4); each positive adds recall 1/2
        assertEquals(0.5 * (1.0 / 3) + 0.5 * (2.0 / 4), BinaryMetrics.prAuc(s, y), 1e-15);
    }

    @Test
    void shouldGiveOneHalfAndThePrevalenceWhenEveryScoreIsTied() {
        final double[] s = {0.5, 0.5, 0.5, 0.5, 0.5};
        final boolean[] y = {T, F, F, T, F};
        assertEquals(0.5, BinaryMetrics.rocAuc(s, y), 0.0);
        // one group: recall 1 at precision 2/5
        assertEquals(0.4, BinaryMetrics.prAuc(s, y), 1e-15);
    }

    @Test
    void shouldCountTiesAcrossClassesAsOneHalf() {
        // positives 0.9 and 0.5; negatives 0.5, 0.1, 0.5
        final double[] s = {0.9, 0.5, 0.5, 0.1, 0.5};
        final boolean[] y = {T, T, F, F, F};
        // pairs: 0.9 beats all 3 negatives = 3; 0.5 ties two (2 x 1/2) and beats 0.1 = 2 -> 5 of 6
        assertEquals(5.0 / 6, BinaryMetrics.rocAuc(s, y), 1e-15);
        // groups from the top: {0.9: 1 pos} precision 1/1; {0.5 x3: 1 pos} precision 2/4; {0.1}: no recall
        assertEquals(0.5 * 1 + 0.5 * 0.5, BinaryMetrics.prAuc(s, y), 1e-15);
    }

    @Test
    void shouldNotDependOnTheInputOrder() {
        final double[] s = {0.3, 0.7, 0.7, 0.2, 0.9, 0.3, 0.3};
        final boolean[] y = {T, F, T, F, T, F, T};
        final double roc = BinaryMetrics.rocAuc(s, y);
        final double ap = BinaryMetrics.prAuc(s, y);
        final double[] rs = new double[s.length];
        final boolean[] ry = new boolean[y.length];
        for (int i = 0; i < s.length; i++) {
            rs[i] = s[s.length - 1 - i];
            ry[i] = y[y.length - 1 - i];
        }
        assertEquals(roc, BinaryMetrics.rocAuc(rs, ry), 1e-15);
        assertEquals(ap, BinaryMetrics.prAuc(rs, ry), 1e-15);
        // by hand: positives 0.3 0.7 0.9 0.3, negatives 0.7 0.2 0.3
        // 0.3: beats 0.2, ties 0.3 -> 1.5 (x2 = 3); 0.7: beats 0.2 0.3, ties 0.7 -> 2.5; 0.9: 3 -> 8.5 of 12
        assertEquals(8.5 / 12, roc, 1e-15);
        // groups: {0.9: T} 1/1; {0.7: F T} 2/3; {0.3: T F T} 4/6; {0.2: F}
        assertEquals(0.25 * 1 + 0.25 * (2.0 / 3) + 0.5 * (4.0 / 6), ap, 1e-15);
    }

    @Test
    void shouldBeUndefinedWithOnlyOneClass() {
        final double[] s = {0.1, 0.4, 0.9};
        assertTrue(Double.isNaN(BinaryMetrics.rocAuc(s, new boolean[]{T, T, T})));
        assertTrue(Double.isNaN(BinaryMetrics.rocAuc(s, new boolean[]{F, F, F})));
        assertTrue(Double.isNaN(BinaryMetrics.prAuc(s, new boolean[]{F, F, F})));
        // all fraud: every threshold has precision 1
        assertEquals(1.0, BinaryMetrics.prAuc(s, new boolean[]{T, T, T}), 0.0);
        assertTrue(Double.isNaN(BinaryMetrics.rocAuc(new double[0], new boolean[0])));
        assertTrue(Double.isNaN(BinaryMetrics.prAuc(new double[0], new boolean[0])));
    }

    @Test
    void shouldEqualBruteForcePairCountingOnRandomScoresWithTies() {
        final Random random = new Random(20240601L);
        for (final int levels : new int[]{3, 40, 1_000_000}) {
            final int n = 2_000;
            final double[] s = new double[n];
            final boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                y[i] = random.nextDouble() < 0.3;
                // positives a little higher on average; few levels = many ties
                s[i] = Math.min(levels - 1, random.nextInt(levels) + (y[i] ? random.nextInt(Math.max(1, levels / 3)) : 0)) / (double) levels;
            }
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                if (!y[i]) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    if (y[j]) {
                        continue;
                    }
                    pairs++;
                    wins += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
                }
            }
            assertEquals(wins / pairs, BinaryMetrics.rocAuc(s, y), 1e-12, "levels " + levels);

            // average precision: mean over positives of the precision of "score >= this positive's score"
            double ap = 0;
            int positives = 0;
            for (int i = 0; i < n; i++) {
                if (!y[i]) {
                    continue;
                }
                positives++;
                int above = 0;
                int fraudAbove = 0;
                for (int j = 0; j < n; j++) {
                    if (s[j] >= s[i]) {
                        above++;
                        fraudAbove += y[j] ? 1 : 0;
                    }
                }
                ap += (double) fraudAbove / above;
            }
            assertEquals(ap / positives, BinaryMetrics.prAuc(s, y), 1e-12, "levels " + levels);
        }
    }

    @Test
    void shouldCountTheConfusionMatrixAndItsRates() {
        final boolean[] flagged = {T, T, F, F, T, F, F};
        final boolean[] fraud = {T, F, T, F, T, F, F};
        final BinaryMetrics.Confusion c = BinaryMetrics.Confusion.of(flagged, fraud);
        assertEquals(new BinaryMetrics.Confusion(2, 1, 1, 3), c);
        assertEquals(2.0 / 3, c.precision(), 1e-15);
        assertEquals(2.0 / 3, c.recall(), 1e-15);
        assertEquals(1.0 / 4, c.falsePositiveRate(), 1e-15);
        assertEquals(3, c.flagged());

        final BinaryMetrics.Confusion none = BinaryMetrics.Confusion.of(new boolean[]{F, F}, new boolean[]{T, F});
        assertTrue(Double.isNaN(none.precision()), "nothing flagged: precision undefined");
        assertEquals(0.0, none.recall(), 0.0);
        assertEquals(0.0, none.falsePositiveRate(), 0.0);
        final BinaryMetrics.Confusion legitOnly = BinaryMetrics.Confusion.of(new boolean[]{T, F}, new boolean[]{F, F});
        assertTrue(Double.isNaN(legitOnly.recall()), "no fraud: recall undefined");
        assertEquals(0.0, legitOnly.precision(), 0.0);
        assertEquals(0.5, legitOnly.falsePositiveRate(), 0.0);
    }
}

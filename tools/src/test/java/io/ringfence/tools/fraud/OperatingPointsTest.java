package io.ringfence.tools.fraud;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link OperatingPoints} on hand-worked scores with ties, and against brute force on seeded random scores. */
class OperatingPointsTest {
    private static final boolean T = true;
    private static final boolean F = false;

    // fraud at 0.9, 0.8, 0.5, 0.1; legitimate at 0.8, 0.5, 0.5, 0.2
    private static final double[] SCORES = {0.5, 0.9, 0.2, 0.8, 0.5, 0.1, 0.8, 0.5};
    private static final boolean[] FRAUD = {F, T, F, F, T, T, T, F};
    private static final OperatingPoints POINTS = new OperatingPoints(SCORES, FRAUD);

    @Test
    void shouldFlagScoresAtOrAboveTheThresholdWithTiesFlaggedTogether() {
        // 0.8 flags 0.9 (fraud) and both 0.8s (one fraud, one legitimate)
        assertConfusion(POINTS.at(0.8), 2, 1, 2, 3);
        assertEquals(2.0 / 3, POINTS.at(0.8).confusion().precision(), 1e-15);
        assertEquals(0.5, POINTS.at(0.8).confusion().recall(), 0.0);
        assertEquals(0.25, POINTS.at(0.8).confusion().falsePositiveRate(), 0.0);
        // 0.5 adds the three 0.5s: one fraud, two legitimate
        assertConfusion(POINTS.at(0.5), 3, 3, 1, 1);
        assertEquals(0.75, POINTS.at(0.5).confusion().falsePositiveRate(), 0.0);
        // between scores: 0.85 flags only 0.9
        assertConfusion(POINTS.at(0.85), 1, 0, 3, 4);
        assertConfusion(POINTS.at(0.0), 4, 4, 0, 0);
    }

    @Test
    void shouldFlagNothingAboveEveryScore() {
        final OperatingPoints.Point p = POINTS.at(0.95);
        assertConfusion(p, 0, 0, 4, 4);
        assertTrue(Double.isNaN(p.confusion().precision()), "no precision when nothing is flagged");
        assertEquals(0.0, p.confusion().recall(), 0.0);
        assertEquals(0.0, p.confusion().falsePositiveRate(), 0.0);
    }

    @Test
    void shouldRoundScoresToSixDecimalsAsTheEngineDoes() {
        // 0.5999996 is 0.6 to the engine, so a reviewAt of 0.6 flags it; 0.5999994 stays below
        final OperatingPoints p = new OperatingPoints(new double[]{0.5999996, 0.5999994, Double.NaN}, new boolean[]{T, F, F});
        assertConfusion(p.at(0.6), 1, 0, 0, 2);
        assertConfusion(p.at(0.0), 1, 2, 0, 0);
        assertConfusion(p.at(0.000001), 1, 1, 0, 1);
    }

    @Test
    void shouldPickTheLowestThresholdWithinTheTargetFalsePositiveRateWithFewestDecimals() {
        // legitimate flagged from each score: 0.1 -> 4/4, 0.2 -> 4/4, 0.5 -> 3/4, 0.8 -> 1/4, 0.9 -> 0/4
        final OperatingPoints.Point quarter = POINTS.forTargetFpr(0.25);
        assertEquals(0.6, quarter.threshold(), 0.0, "any threshold in (0.5, 0.8] flags the same orders");
        assertEquals(0.25, quarter.targetFpr(), 0.0);
        assertConfusion(quarter, 2, 1, 2, 3);
        final OperatingPoints.Point threeQuarters = POINTS.forTargetFpr(0.75);
        assertEquals(0.3, threeQuarters.threshold(), 0.0);
        assertConfusion(threeQuarters, 3, 3, 1, 1);
        final OperatingPoints.Point none = POINTS.forTargetFpr(0.0);
        assertEquals(0.9, none.threshold(), 0.0);
        assertConfusion(none, 1, 0, 3, 4);
        // just below a step: 0.2499 cannot have the 0.8 legitimate order
        assertEquals(0.9, POINTS.forTargetFpr(0.2499).threshold(), 0.0);
    }

    @Test
    void shouldUseAsManyDecimalsAsAdjacentScoresNeed() {
        final OperatingPoints p = new OperatingPoints(new double[]{0.123456, 0.123457}, new boolean[]{F, T});
        final OperatingPoints.Point point = p.forTargetFpr(0.0);
        assertEquals(0.123457, point.threshold(), 0.0);
        assertEquals("0.123457", OperatingPoints.format(point.threshold()));
        assertConfusion(point, 1, 0, 0, 1);
    }

    @Test
    void shouldFlagEverythingWhenEveryThresholdMeetsTheTarget() {
        final OperatingPoints p = new OperatingPoints(new double[]{0.42, 0.7}, new boolean[]{T, T});
        final OperatingPoints.Point point = p.forTargetFpr(0.0);
        assertEquals(0.1, point.threshold(), 0.0, "no legitimate orders: the fewest-decimal threshold at or below the lowest score");
        assertConfusion(point, 2, 0, 0, 0);
    }

    @Test
    void shouldGoAboveEveryScoreWhenTheTopScoreIsLegitimateAndNoneAtOne() {
        final OperatingPoints p = new OperatingPoints(new double[]{0.93, 0.5}, new boolean[]{F, T});
        final OperatingPoints.Point point = p.forTargetFpr(0.0);
        assertEquals(1.0, point.threshold(), 0.0);
        assertConfusion(point, 0, 0, 1, 1);
        final OperatingPoints atOne = new OperatingPoints(new double[]{1.0, 0.5}, new boolean[]{F, T});
        final OperatingPoints.Point impossible = atOne.forTargetFpr(0.0);
        assertTrue(Double.isNaN(impossible.threshold()), "no threshold in [0, 1] flags nothing when a legitimate order scores 1");
        assertEquals("-", OperatingPoints.format(impossible.threshold()));
        assertConfusion(impossible, 0, 0, 1, 1);
        assertTrue(OperatingPoints.text(List.of(impossible)).contains("no threshold in [0, 1] keeps FPR <= 0"),
                OperatingPoints.text(List.of(impossible)));
    }

    @Test
    void shouldMatchBruteForceOnRandomScoresWithTies() {
        final Random random = new Random(11);
        final int n = 500;
        final double[] s = new double[n];
        final boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            s[i] = random.nextInt(40) / 40.0;
            y[i] = random.nextDouble() < s[i] * 0.5;
        }
        final OperatingPoints p = new OperatingPoints(s, y);
        for (final double t : new double[]{0, 0.1, 0.25, 0.333, 0.5, 0.975, 1}) {
            final boolean[] flagged = new boolean[n];
            for (int i = 0; i < n; i++) {
                flagged[i] = s[i] >= t;
            }
            assertEquals(BinaryMetrics.Confusion.of(flagged, y), p.at(t).confusion(), "threshold " + t);
        }
        for (final double target : new double[]{0, 0.01, 0.05, 0.2, 0.5}) {
            final OperatingPoints.Point point = p.forTargetFpr(target);
            assertTrue(point.confusion().falsePositiveRate() <= target, target + ": " + point);
            assertEquals(point.confusion(), p.at(point.threshold()).confusion(), "the printed threshold flags the same orders");
            // the next lower score breaks the target
            double below = -1;
            for (final double v : s) {
                if (v < point.threshold() && v > below) {
                    below = v;
                }
            }
            if (below >= 0) {
                assertTrue(p.at(below).confusion().falsePositiveRate() > target, target + ": " + below + " would do");
            }
        }
    }

    @Test
    void shouldRefuseScoresAndLabelsOfDifferentLengths() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OperatingPoints(new double[]{0.1, 0.2}, new boolean[]{T}));
        assertEquals("2 scores but 1 labels", e.getMessage());
    }

    @Test
    void shouldParseThresholdsSortedWithoutRepeatsAndRefuseBadOnes() {
        assertEquals(List.of(0.0, 0.5, 0.9, 1.0), boxed(EvaluateCommand.parseThresholds("0.9, 0.5,0,1,0.5")));
        assertEquals("--thresholds '0.5,abc': 'abc' is not a number (give scores in [0, 1], e.g. 0.5,0.8,0.95)",
                assertThrows(IllegalArgumentException.class, () -> EvaluateCommand.parseThresholds("0.5,abc")).getMessage());
        assertEquals("--thresholds '0.5,1.5': 1.5 is not in [0, 1] (a threshold on the model score)",
                assertThrows(IllegalArgumentException.class, () -> EvaluateCommand.parseThresholds("0.5,1.5")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvaluateCommand.parseThresholds("NaN")).getMessage()
                .contains("NaN is not in [0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvaluateCommand.parseThresholds("0.5,,0.7")).getMessage()
                .contains("'' is not a number"));
    }

    private static List<Double> boxed(final double[] d) {
        return java.util.Arrays.stream(d).boxed().toList();
    }

    private static void assertConfusion(final OperatingPoints.Point p, final long tp, final long fp, final long fn, final long tn) {
        assertEquals(new BinaryMetrics.Confusion(tp, fp, fn, tn), p.confusion(), "threshold " + p.threshold());
    }
}

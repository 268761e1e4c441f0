package io.ringfence.engine.fraud;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LogisticModel} and {@link FeatureTransform} on hand-made vectors, every expected value
 * worked out in the comments. ln 10 = 2.302585092994046, so log1p(10^k - 1) = k·ln 10 and a log1p
 * term with mean 3·ln 10 and std ln 10 has z = log10(x + 1) - 3.
 */
class LogisticModelTest {
    private static final double EPS = 1e-12;
    private static final double LN10 = 2.302585092994046;

    /** p(x) = 1 / (1 + e^-x) for the log-odds used below (computed once, elsewhere, to 16 digits). */
    private static final double P_4_8 = 0.9918374288468401;  // e^-4.8 = 0.0082297470490200
    private static final double P_2_8 = 0.9426758241011313;  // e^-2.8 = 0.0608100626252180
    private static final double P_8_8 = 0.9998492896419403;  // e^-8.8 = 0.0001507330750954

    /**
     * intercept -1, clip 4;
     * amount: log1p, mean 3·ln10, std ln10, weight 0.8;
     * user_fail_ratio: identity, mean 0.1, std 0.2, weight 1.5;
     * seconds_since_signup: log1p, mean 10, std 2, weight -0.5.
     */
    private static LogisticModel model() {
        return new LogisticModel("test", -1.0, 4.0, List.of(
            new ModelTerm(Feature.AMOUNT, FeatureTransform.LOG1P, 3 * LN10, LN10, 0.8),
            new ModelTerm(Feature.USER_FAIL_RATIO, FeatureTransform.IDENTITY, 0.1, 0.2, 1.5),
            new ModelTerm(Feature.SECONDS_SINCE_SIGNUP, FeatureTransform.LOG1P, 10, 2, -0.5)));
    }

    private static double[] garbage() {
        final double[] c = new double[Feature.COUNT];
        Arrays.fill(c, 7.0); // every entry must be overwritten
        return c;
    }

    private static void assertOnlyThese(final double[] c, final Feature... used) {
        outer:
        for (int i = 0; i < Feature.COUNT; i++) {
            for (final Feature f : used) {
                if (f.ordinal() == i) {
                    continue outer;
                }
            }
            assertEquals(0.0, c[i], "contribution of unused feature " + Feature.at(i).featureName());
        }
    }

    @Test
    void shouldScoreAndExplainAHandMadeVector() {
        final FeatureVector v = new FeatureVector();
        v.set(Feature.AMOUNT, 9_999);            // log1p = ln 10^4 = 4·ln10; z = (4 - 3)·ln10 / ln10 = 1
        v.set(Feature.USER_FAIL_RATIO, 0.5);     // z = (0.5 - 0.1) / 0.2 = 2
        v.set(Feature.SECONDS_SINCE_SIGNUP, 0);  // log1p(0) = 0; z = (0 - 10) / 2 = -5, clipped to -4
        v.set(Feature.USER_ORDERS_1M, 50);       // not in the model: ignored
        final double[] c = garbage();
        final double p = model().score(v, c);
        // contributions: 0.8·1 = 0.8, 1.5·2 = 3.0, -0.5·-4 = 2.0
        assertEquals(0.8, c[Feature.AMOUNT.ordinal()], EPS);
        assertEquals(3.0, c[Feature.USER_FAIL_RATIO.ordinal()], EPS);
        assertEquals(2.0, c[Feature.SECONDS_SINCE_SIGNUP.ordinal()], EPS);
        assertOnlyThese(c, Feature.AMOUNT, Feature.USER_FAIL_RATIO, Feature.SECONDS_SINCE_SIGNUP);
        // log-odds = -1 + 0.8 + 3.0 + 2.0 = 4.8; p = 1 / (1 + e^-4.8)
        assertEquals(P_4_8, p, EPS);
    }

    @Test
    void shouldTreatAMissingFeatureAsNoContribution() {
        final FeatureVector v = new FeatureVector(); // all NaN
        v.set(Feature.AMOUNT, 9_999);        // 0.8 as above
        v.set(Feature.USER_FAIL_RATIO, 0.5); // 3.0 as above; seconds_since_signup missing: 0
        final double[] c = garbage();
        final double p = model().score(v, c);
        assertEquals(0.0, c[Feature.SECONDS_SINCE_SIGNUP.ordinal()]);
        // log-odds = -1 + 0.8 + 3.0 = 2.8
        assertEquals(P_2_8, p, EPS);

        // nothing present: the intercept alone, p(-1) = 1 / (1 + e) = 0.2689414213699951
        final double[] none = garbage();
        assertEquals(0.2689414213699951, model().score(new FeatureVector(), none), EPS);
        assertOnlyThese(none);
    }

    @Test
    void shouldClipTheStandardisedValueAtPlusAndMinusClip() {
        final FeatureVector v = new FeatureVector();
        v.set(Feature.AMOUNT, 99_999_999);   // z = log10(10^8) - 3 = 5, clipped to 4: 0.8·4 = 3.2
        v.set(Feature.USER_FAIL_RATIO, 1.0); // z = 0.9 / 0.2 = 4.5, clipped to 4: 1.5·4 = 6.0
        v.set(Feature.SECONDS_SINCE_SIGNUP, -5); // log1p of a negative is 0: z = -5 → -4: 2.0
        final double[] c = garbage();
        final double p = model().score(v, c);
        assertEquals(3.2, c[Feature.AMOUNT.ordinal()], EPS);
        assertEquals(6.0, c[Feature.USER_FAIL_RATIO.ordinal()], EPS);
        assertEquals(2.0, c[Feature.SECONDS_SINCE_SIGNUP.ordinal()], EPS);
        // -1 + 3.2 + 6.0 + 2.0 = 10.2
        assertEquals(1.0 / (1.0 + StrictMath.exp(-10.2)), p, EPS);

        // exactly at the clip stays: user_fail_ratio 0.9 → z = 0.8/0.2 = 4 (±1 ulp) → 6.0
        v.set(Feature.USER_FAIL_RATIO, 0.9);
        model().score(v, c);
        assertEquals(6.0, c[Feature.USER_FAIL_RATIO.ordinal()], 1e-9);
        // far below: z = (-100 - 0.1) / 0.2 = -500.5 → -4 → 1.5·-4 = -6.0
        v.set(Feature.USER_FAIL_RATIO, -100);
        model().score(v, c);
        assertEquals(-6.0, c[Feature.USER_FAIL_RATIO.ordinal()]);
        // the term alone agrees
        assertEquals(-4.0, model().terms().get(1).standardised(-100, 4.0));
        assertEquals(4.0, model().terms().get(1).standardised(1.0, 4.0));
        assertEquals(0.0, model().terms().get(1).standardised(Double.NaN, 4.0));
    }

    @Test
    void shouldBeTheSumOfTheTermsStandardisedValues() {
        // the scorer's inlined loop and ModelTerm.standardised are the same arithmetic, bit for bit
        final LogisticModel m = model();
        final FeatureVector v = new FeatureVector();
        final double[] c = new double[Feature.COUNT];
        final double[][] rows = {{1_234, 0.07, 86_400}, {0.5, 0.333, 17.25}, {4_096, 0.0, 1e9}};
        for (final double[] r : rows) {
            v.set(Feature.AMOUNT, r[0]);
            v.set(Feature.USER_FAIL_RATIO, r[1]);
            v.set(Feature.SECONDS_SINCE_SIGNUP, r[2]);
            final double p = m.score(v, c);
            double logit = m.intercept();
            for (final ModelTerm t : m.terms()) {
                final double ci = t.weight() * t.standardised(v.get(t.feature()), m.clip());
                assertEquals(Double.doubleToRawLongBits(ci), Double.doubleToRawLongBits(c[t.feature().ordinal()]),
                    t.feature().featureName());
                logit += ci;
            }
            assertEquals(Double.doubleToRawLongBits(LogisticModel.probability(logit)), Double.doubleToRawLongBits(p));
        }
    }

    @Test
    void shouldGiveOneHalfAtZeroLogOdds() {
        assertEquals(0.5, LogisticModel.probability(0));
        assertEquals(0.5, LogisticModel.probability(-0.0));
        // p(1) = 1 / (1 + e^-1) = 0.7310585786300049 and p(-1) = 1 - p(1)
        assertEquals(0.7310585786300049, LogisticModel.probability(1), EPS);
        assertEquals(0.2689414213699951, LogisticModel.probability(-1), EPS);
        assertEquals(1.0, LogisticModel.probability(800));
        assertEquals(0.0, LogisticModel.probability(-800));
        // a model of just an intercept of 8.8 and a term whose feature is missing
        final LogisticModel m = new LogisticModel("i", 8.8, 6, List.of(
            new ModelTerm(Feature.AMOUNT, FeatureTransform.IDENTITY, 0, 1, 1)));
        assertEquals(P_8_8, m.score(new FeatureVector(), new double[Feature.COUNT]), EPS);
    }

    @Test
    void shouldMatchStrictMathLog1pBitForBitOnSmallWholeNumbersAndWithinFourUlpElsewhere() {
        for (int i = 0; i < 4_096; i++) {
            assertEquals(Double.doubleToRawLongBits(StrictMath.log1p(i)), Double.doubleToRawLongBits(FeatureTransform.log1p(i)),
                "log1p(" + i + ")");
            assertEquals(Double.doubleToRawLongBits(StrictMath.log1p(i)),
                Double.doubleToRawLongBits(FeatureTransform.LOG1P.apply(i)), "apply(" + i + ")");
        }
        final double[] others = {1.5, 17.25, 4_095.5, 4_095.999999999, 4_096, 4_096.25, 1_234.567, 5_000, 123_456,
            Math.nextUp(3.0), Math.nextDown(4_096.0), 1e12, 9.007199254740991e15, 1e300, Double.MAX_VALUE};
        for (final double x : others) {
            assertWithinFourUlp(x);
        }
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int k = 0; k < 200_000; k++) {
            assertWithinFourUlp(1 + random.nextDouble() * Math.pow(10, random.nextInt(16)));
            assertWithinFourUlp(4_096 + random.nextInt(10_000_000));
        }
        // below 1 only 1 + x is seen, so the error is absolute, about 1e-16
        for (final double x : new double[] {1e-300, 1e-9, 0.5, 0.999999}) {
            assertEquals(StrictMath.log1p(x), FeatureTransform.log1p(x), 2e-16, "log1p(" + x + ")");
        }
        // pinned: the function is part of every model's meaning; a change must be deliberate
        assertEquals(0x4022d79ff745b2fdL, Double.doubleToRawLongBits(FeatureTransform.log1p(12_345.678)));
        assertEquals(Double.POSITIVE_INFINITY, FeatureTransform.log1p(Double.POSITIVE_INFINITY));
        // log1p(999) = ln 1000 = 3·ln10 = 6.907755278982137
        assertEquals(3 * LN10, FeatureTransform.log1p(999), EPS);
        // negatives (and -0) count as 0: +0.0, not -0.0
        for (final double x : new double[] {-0.0, -1e-300, -0.5, -1, -4_095, -1e18, Double.NEGATIVE_INFINITY}) {
            assertEquals(0L, Double.doubleToRawLongBits(FeatureTransform.log1p(x)), "log1p(" + x + ")");
        }
        // identity is identity, negatives included
        assertEquals(-3.5, FeatureTransform.IDENTITY.apply(-3.5));
        assertEquals(4_097.0, FeatureTransform.IDENTITY.apply(4_097.0));
    }

    private static void assertWithinFourUlp(final double x) {
        final double strict = StrictMath.log1p(x);
        assertTrue(Math.abs(FeatureTransform.log1p(x) - strict) <= 4 * Math.ulp(strict),
            () -> "log1p(" + x + ") = " + FeatureTransform.log1p(x) + ", StrictMath " + strict);
    }

    @Test
    void shouldNameTransformsAndDefaultThem() {
        assertSame(FeatureTransform.LOG1P, FeatureTransform.byText(" LOG1P "));
        assertSame(FeatureTransform.IDENTITY, FeatureTransform.byText("identity"));
        assertNull(FeatureTransform.byText("sqrt"));
        assertNull(FeatureTransform.byText(null));
        assertSame(FeatureTransform.LOG1P, FeatureTransform.defaultFor(Feature.AMOUNT));
        assertSame(FeatureTransform.IDENTITY, FeatureTransform.defaultFor(Feature.USER_AMOUNT_ZSCORE));
        assertSame(FeatureTransform.IDENTITY, FeatureTransform.defaultFor(Feature.IS_PAYMENT));
    }

    @Test
    void shouldRefuseInvalidTerms() {
        final ModelTerm amount = new ModelTerm(Feature.AMOUNT, FeatureTransform.LOG1P, 7, 2, 1);
        String m = assertThrows(IllegalArgumentException.class, () -> new LogisticModel("x", 0, 6, List.of(amount,
            new ModelTerm(Feature.USER_ORDERS_1M, FeatureTransform.LOG1P, 0, 1, 1),
            new ModelTerm(Feature.AMOUNT, FeatureTransform.IDENTITY, 0, 1, 2)))).getMessage();
        assertTrue(m.contains("amount") && m.contains("twice"), m);
        for (final double std : new double[] {0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            m = assertThrows(IllegalArgumentException.class, () -> new LogisticModel("x", 0, 6,
                List.of(new ModelTerm(Feature.USER_FAIL_RATIO, FeatureTransform.IDENTITY, 0, std, 1))), "std " + std)
                .getMessage();
            assertTrue(m.contains("user_fail_ratio") && m.contains("std"), m);
        }
        for (final double w : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            m = assertThrows(IllegalArgumentException.class, () -> new LogisticModel("x", 0, 6,
                List.of(new ModelTerm(Feature.AMOUNT, FeatureTransform.LOG1P, 7, 2, w))), "weight " + w).getMessage();
            assertTrue(m.contains("amount") && m.contains("weight"), m);
        }
        assertThrows(IllegalArgumentException.class, () -> new LogisticModel("x", 0, 6,
            List.of(new ModelTerm(Feature.AMOUNT, FeatureTransform.LOG1P, Double.NaN, 2, 1))));
        assertThrows(IllegalArgumentException.class, () -> new LogisticModel("x", Double.NaN, 6, List.of(amount)));
        assertThrows(IllegalArgumentException.class, () -> new LogisticModel("x", 0, 0, List.of(amount)));
        assertThrows(IllegalArgumentException.class, () -> new LogisticModel("x", 0, -1, List.of(amount)));
        assertThrows(IllegalArgumentException.class, () -> new LogisticModel("x", 0, Double.POSITIVE_INFINITY, List.of(amount)));
        // a valid model keeps its terms in order and is present
        final LogisticModel ok = new LogisticModel("ok", 0, 6, List.of(amount));
        assertEquals(List.of(amount), ok.terms());
        assertTrue(ok.present());
        assertTrue(!FraudModel.NONE.present());
    }
}

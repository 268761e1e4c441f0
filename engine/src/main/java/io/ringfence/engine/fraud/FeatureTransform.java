package io.ringfence.engine.fraud;

import java.util.Locale;

/**
 * How a raw feature value is reshaped before standardisation in a {@link LogisticModel}. Counts,
 * amounts and seconds are heavy-tailed (most are small, a few huge), so the model sees
 * {@code log1p(max(x, 0))} of them; ratios, indicators and z-scores are used as they are.
 * Deterministic: {@link StrictMath} (and a table of it for small whole numbers, the common case).
 */
public enum FeatureTransform {
    /** {@code x}. */
    IDENTITY("identity"),
    /** {@code log1p(max(x, 0))}. */
    LOG1P("log1p");

    private static final int TABLE = 4096;
    private static final double[] LOG1P_TABLE = new double[TABLE];
    /** Mantissa bits that pick the reduction point: 2^10 points in [1, 2). */
    private static final int POINT_BITS = 10;
    private static final int POINTS = 1 << POINT_BITS;
    private static final double[] POINT = new double[POINTS];
    private static final double[] INV_POINT = new double[POINTS];
    private static final double[] LOG_POINT = new double[POINTS];
    private static final double LN2 = StrictMath.log(2.0);
    private static final long MANTISSA = 0x000F_FFFF_FFFF_FFFFL;
    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);

    static {
        for (int i = 0; i < TABLE; i++) {
            LOG1P_TABLE[i] = StrictMath.log1p(i);
        }
        for (int j = 0; j < POINTS; j++) {
            POINT[j] = 1.0 + (double) j / POINTS;
            INV_POINT[j] = 1.0 / POINT[j];
            LOG_POINT[j] = StrictMath.log(POINT[j]);
        }
    }

    private final String text;

    FeatureTransform(final String text) {
        this.text = text;
    }

    /** The name used in the model file. */
    public String text() {
        return text;
    }

    /** The transformed value of a present (non-NaN) raw value. */
    public double apply(final double x) {
        if (this == IDENTITY) {
            return x;
        }
        return log1p(x);
    }

    /**
     * {@code log(1 + max(x, 0))}, deterministic and fast: whole numbers below 4096 from a table of
     * {@link StrictMath#log1p}; anything else by table-driven reduction in plain IEEE-754 double
     * arithmetic (bit-identical on every JVM and CPU since Java 17's strict floating point):
     * {@code 1 + x = 2^e · m}, {@code m = c · (1 + r)} with {@code c} the nearest of 1,024 points
     * below {@code m}, so {@code log(1 + x) = e·ln 2 + log c + log(1 + r)}, the last by its series
     * to r^5 ({@code 0 <= r < 2^-10}: truncation below 2^-60). Within a few ulp of
     * {@code StrictMath.log1p} for x ≥ 1 (the counts, amounts and seconds it is used for);
     * {@code StrictMath.log1p} is a JNI call on Java 17, 3-4 times slower. {@code train} and
     * scoring use this same function, so a model sees exactly the values it was fitted on.
     */
    static double log1p(final double x) {
        if (!(x > 0)) {
            return 0.0;
        }
        if (x < TABLE) {
            final int i = (int) x;
            if (i == x) {
                return LOG1P_TABLE[i];
            }
        }
        if (x == Double.POSITIVE_INFINITY) {
            return x;
        }
        final long bits = Double.doubleToRawLongBits(1.0 + x);
        final int e = (int) (bits >>> 52) - 1023;
        final long mantissa = bits & MANTISSA;
        final int j = (int) (mantissa >>> (52 - POINT_BITS));
        final double m = Double.longBitsToDouble(mantissa | ONE_BITS);
        final double r = (m - POINT[j]) * INV_POINT[j];
        final double series = r * (1.0 - r * (0.5 - r * (1.0 / 3.0 - r * (0.25 - r * 0.2))));
        return e * LN2 + LOG_POINT[j] + series;
    }

    /** The transform named so in a model file, or null. */
    public static FeatureTransform byText(final String text) {
        final String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (final FeatureTransform f : values()) {
            if (f.text.equals(t)) {
                return f;
            }
        }
        return null;
    }

    /**
     * The transform a freshly trained model uses for a feature: {@link #LOG1P} for counts, amounts
     * and seconds (never negative by construction), {@link #IDENTITY} for ratios, 0/1 indicators
     * and the z-score.
     */
    public static FeatureTransform defaultFor(final Feature f) {
        switch (f) {
            case IS_PAYMENT:
            case USER_FAIL_RATIO:
            case INSTRUMENT_FAIL_RATIO:
            case USER_AMOUNT_ZSCORE:
            case NO_SIGNUP_SEEN:
            case NEW_DEVICE_FOR_USER:
            case NEW_IP_FOR_USER:
            case NEW_INSTRUMENT_FOR_USER:
            case IP_COUNTRY_MISMATCH:
            case USER_COUNTRY_CHANGE:
                return IDENTITY;
            default:
                return LOG1P;
        }
    }
}

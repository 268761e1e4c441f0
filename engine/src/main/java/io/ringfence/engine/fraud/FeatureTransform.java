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

    static {
        for (int i = 0; i < TABLE; i++) {
            LOG1P_TABLE[i] = StrictMath.log1p(i);
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
        return StrictMath.log1p(x);
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

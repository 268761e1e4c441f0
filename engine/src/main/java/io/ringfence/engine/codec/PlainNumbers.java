package io.ringfence.engine.codec;

import java.math.BigDecimal;

/**
 * Doubles as plain decimals: {@link Double#toString}'s shortest round-trip digits, never in scientific notation
 * ({@code 0.000157}, not {@code 1.57E-4}; {@code 12000000.0}, not {@code 1.2E7}). Scores are rounded to 6 decimals and
 * read by people and spreadsheets; a trial found 28,089 of 102,784 PaySim decisions written as {@code 1.57E-4}.
 */
public final class PlainNumbers {
    private static final double SMALL = 1e-3;
    private static final double LARGE = 1e7;

    private PlainNumbers() {
    }

    /** Whether {@link Double#toString} would write {@code value} in scientific notation. */
    static boolean scientific(final double value) {
        final double a = Math.abs(value);
        return a != 0 && (a < SMALL || a >= LARGE) && Double.isFinite(value);
    }

    /** {@code value} as {@link Double#toString} writes it, or its plain form when that would be scientific. */
    public static String plain(final double value) {
        return scientific(value) ? BigDecimal.valueOf(value).toPlainString() : Double.toString(value);
    }
}

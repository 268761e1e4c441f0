package io.ringfence.engine.model;

import java.math.BigDecimal;

/**
 * Money at the edge: decimal text in major units to a {@code long} of minor units and back,
 * exactly, never through a {@code double}.
 *
 * <h2>Parsing</h2>
 * <ul>
 *   <li>{@link #parse} takes a plain decimal: an optional {@code -}, digits, and optionally a
 *       {@code .} followed by digits ({@code "139.12"}, {@code "-0.5"}, {@code "1200"}, leading
 *       zeros allowed). No {@code +}, exponent, blanks, grouping separators or bare {@code "."}.</li>
 *   <li>{@link #parseJsonNumber} takes the literal text of a JSON number, which may also carry an
 *       exponent ({@code 1e2}, {@code 1.5E-1}); the value is still taken exactly.</li>
 *   <li>A value may have at most as many significant decimal places as the currency has minor
 *       digits; trailing zeros do not count ({@code "139.120"} is 13912 pence, {@code "139.123"} is
 *       refused, {@code "1200.0"} is 1200 yen).</li>
 *   <li>The result must fit a {@code long} of minor units, or the value is refused as out of range.</li>
 *   <li>The caller chooses the sign rule ({@link Sign}); {@code "-0.00"} is zero.</li>
 * </ul>
 * Failures throw {@link IllegalArgumentException} whose message is a complete human reason that
 * names the field and quotes the value, e.g. {@code amount '139.123' has 3 decimal places but GBP has 2}.
 *
 * <h2>Formatting</h2>
 * Always exactly the currency's digits after the point, a leading {@code -} for negatives and at
 * least one integer digit: {@code "139.12"}, {@code "-0.50"}, {@code "1200"} (JPY),
 * {@code "1.234"} (BHD). Formatting into a caller's {@code char[]} allocates nothing.
 */
public final class Money {
    /** Longest formatted value: sign, 19 digits, point, and padding for up to 18 fraction digits. */
    public static final int MAX_FORMATTED_LENGTH = 40;
    /** Most fraction digits supported (ISO-4217 uses at most 4). */
    public static final int MAX_FRACTION_DIGITS = 18;

    private static final long[] POWERS_OF_TEN = new long[MAX_FRACTION_DIGITS + 1];
    private static final int MAX_QUOTED = 40;

    static {
        long p = 1;
        for (int i = 0; i <= MAX_FRACTION_DIGITS; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    /**
     * The largest amount an event may carry, in minor units either way: 10^15 (ten trillion of a
     * two-decimal currency, beyond any real order), so that sums of thousands of them still fit a
     * long. Checked by the event readers ({@code FieldReader}, {@code InboundValidator}), not by
     * {@link #parse}, which parses any long.
     */
    public static final long MAX_MINOR = 1_000_000_000_000_000L;

    /** Which signs a parsed amount may have. */
    public enum Sign {
        /** Strictly greater than zero (order and payment amounts). */
        POSITIVE,
        /** Zero or more (unit prices). */
        NON_NEGATIVE,
        /** Any value (adjustments). */
        ANY
    }

    private Money() {
    }

    /**
     * Parses a plain decimal string in major units.
     *
     * @param field          the field name, for the message
     * @param text           the decimal text
     * @param currency       the currency code, for the message
     * @param fractionDigits the currency's minor-unit digits (see {@link Currencies})
     * @param sign           the sign rule
     * @return the amount in minor units
     * @throws IllegalArgumentException with a human reason when the text is not such an amount
     */
    public static long parse(final String field, final CharSequence text, final String currency,
                             final int fractionDigits, final Sign sign) {
        checkDigits(fractionDigits);
        final int length = text.length();
        int i = 0;
        final boolean negative = length > 0 && text.charAt(0) == '-';
        if (negative) {
            i++;
        }
        final int intStart = i;
        while (i < length && isDigit(text.charAt(i))) {
            i++;
        }
        final int intEnd = i;
        int fracStart = i;
        int fracEnd = i;
        if (i < length && text.charAt(i) == '.') {
            fracStart = ++i;
            while (i < length && isDigit(text.charAt(i))) {
                i++;
            }
            fracEnd = i;
            if (fracEnd == fracStart) {
                throw notDecimal(field, text);
            }
        }
        if (i != length || intEnd == intStart) {
            throw notDecimal(field, text);
        }
        int significantEnd = fracEnd;
        while (significantEnd > fracStart && text.charAt(significantEnd - 1) == '0') {
            significantEnd--;
        }
        final int places = significantEnd - fracStart;
        if (places > fractionDigits) {
            throw tooManyPlaces(field, text, places, currency, fractionDigits);
        }
        // Accumulate as a negative number so that Long.MIN_VALUE minor units is reachable.
        long minor = 0;
        try {
            for (int k = intStart; k < intEnd; k++) {
                minor = Math.subtractExact(Math.multiplyExact(minor, 10), text.charAt(k) - '0');
            }
            for (int k = 0; k < fractionDigits; k++) {
                final int at = fracStart + k;
                final int digit = at < significantEnd ? text.charAt(at) - '0' : 0;
                minor = Math.subtractExact(Math.multiplyExact(minor, 10), digit);
            }
            if (!negative) {
                minor = Math.negateExact(minor);
            }
        } catch (final ArithmeticException e) {
            throw outOfRange(field, text);
        }
        checkSign(field, text, minor, sign);
        return minor;
    }

    /**
     * Parses the literal text of a JSON number (exponent allowed) in major units, exactly.
     * Same rules and messages as {@link #parse}.
     */
    public static long parseJsonNumber(final String field, final String literal, final String currency,
                                       final int fractionDigits, final Sign sign) {
        checkDigits(fractionDigits);
        if (literal.indexOf('e') < 0 && literal.indexOf('E') < 0) {
            return parse(field, literal, currency, fractionDigits, sign);
        }
        final BigDecimal value;
        try {
            value = new BigDecimal(literal);
        } catch (final NumberFormatException e) {
            throw notDecimal(field, literal);
        }
        final BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        // Integer digits before scaling; checked first so that 1e999999999 never gets expanded.
        if (stripped.precision() - stripped.scale() > 19 + 1) {
            throw outOfRange(field, literal);
        }
        final int places = Math.max(0, stripped.scale());
        if (places > fractionDigits) {
            throw tooManyPlaces(field, literal, places, currency, fractionDigits);
        }
        final long minor;
        try {
            minor = stripped.movePointRight(fractionDigits).longValueExact();
        } catch (final ArithmeticException e) {
            throw outOfRange(field, literal);
        }
        checkSign(field, literal, minor, sign);
        return minor;
    }

    /** Formats minor units as a decimal string in major units ({@code 13912, 2 → "139.12"}). */
    public static String format(final long minor, final int fractionDigits) {
        final char[] chars = new char[MAX_FORMATTED_LENGTH];
        return new String(chars, 0, format(minor, fractionDigits, chars, 0));
    }

    /**
     * Formats minor units into {@code dst} at {@code offset} without allocating.
     *
     * @return the number of chars written (at most {@link #MAX_FORMATTED_LENGTH})
     */
    public static int format(final long minor, final int fractionDigits, final char[] dst, final int offset) {
        checkDigits(fractionDigits);
        // Work on the negative magnitude so Long.MIN_VALUE needs no special case.
        long rest = minor > 0 ? -minor : minor;
        int end = offset + MAX_FORMATTED_LENGTH;
        int at = end;
        for (int k = 0; k < fractionDigits; k++) {
            dst[--at] = (char) ('0' - (rest % 10));
            rest /= 10;
        }
        if (fractionDigits > 0) {
            dst[--at] = '.';
        }
        do {
            dst[--at] = (char) ('0' - (rest % 10));
            rest /= 10;
        } while (rest != 0);
        if (minor < 0) {
            dst[--at] = '-';
        }
        final int length = end - at;
        System.arraycopy(dst, at, dst, offset, length);
        return length;
    }

    /** {@code 10^digits}: minor units per major unit. */
    public static long minorPerMajor(final int fractionDigits) {
        checkDigits(fractionDigits);
        return POWERS_OF_TEN[fractionDigits];
    }

    /** {@code '<field>' must be at most <max> ...}: the words for an amount beyond {@link #MAX_MINOR}. */
    public static String tooLarge(final String field, final String quotedValue, final int fractionDigits) {
        return "'" + field + "' is too large: at most " + format(MAX_MINOR, fractionDigits) + " (10^15 minor units), got " + quotedValue;
    }

    private static void checkSign(final String field, final CharSequence text, final long minor, final Sign sign) {
        if (sign == Sign.POSITIVE && minor <= 0) {
            throw new IllegalArgumentException("'" + field + "' must be positive, got " + quote(text));
        }
        if (sign == Sign.NON_NEGATIVE && minor < 0) {
            throw new IllegalArgumentException("'" + field + "' must not be negative, got " + quote(text));
        }
    }

    private static void checkDigits(final int fractionDigits) {
        if (fractionDigits < 0 || fractionDigits > MAX_FRACTION_DIGITS) {
            throw new IllegalArgumentException("fraction digits must be 0.." + MAX_FRACTION_DIGITS + ", got " + fractionDigits);
        }
    }

    private static IllegalArgumentException notDecimal(final String field, final CharSequence text) {
        return new IllegalArgumentException("'" + field + "' is not a decimal amount, got " + quote(text));
    }

    private static IllegalArgumentException outOfRange(final String field, final CharSequence text) {
        return new IllegalArgumentException("'" + field + "' is out of range, got " + quote(text));
    }

    private static IllegalArgumentException tooManyPlaces(final String field, final CharSequence text, final int places,
                                                          final String currency, final int fractionDigits) {
        return new IllegalArgumentException(field + " " + quote(text) + " has " + places
            + (places == 1 ? " decimal place" : " decimal places") + " but " + currency + " has " + fractionDigits);
    }

    private static String quote(final CharSequence text) {
        final String s = text.toString();
        return "'" + (s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "..." : s) + "'";
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }
}

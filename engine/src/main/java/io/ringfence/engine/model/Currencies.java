package io.ringfence.engine.model;

import java.util.Currency;

/**
 * ISO-4217 currencies the engine accepts, and how many minor-unit digits each has.
 *
 * <p>The table is built once, at class initialisation, from {@link java.util.Currency}: every
 * code of three upper-case ASCII letters whose default fraction digits are defined. Codes with
 * no minor unit (XXX, XAU, XAG, XDR, XTS...: {@code getDefaultFractionDigits() == -1}) are not
 * currencies an amount can be held in and are rejected. Lookups after that are an array read:
 * no allocation, no {@code Currency} object, safe from any thread.
 *
 * <p>Codes are case-sensitive: {@code "gbp"} is not a currency.
 */
public final class Currencies {
    /** Returned by the lookups for a code that is not an accepted currency. */
    public static final int UNKNOWN = -1;

    private static final int LETTERS = 26;
    private static final byte[] DIGITS = buildTable();

    private Currencies() {
    }

    /** Minor-unit digits of {@code code} (2 for GBP, 0 for JPY, 3 for BHD), or {@link #UNKNOWN}. */
    public static int fractionDigits(final CharSequence code) {
        if (code == null || code.length() != 3) {
            return UNKNOWN;
        }
        return fractionDigits(code.charAt(0), code.charAt(1), code.charAt(2));
    }

    /** Minor-unit digits of the code spelt by three ASCII bytes (as in an SBE {@code Currency} field), or {@link #UNKNOWN}. */
    public static int fractionDigits(final byte b0, final byte b1, final byte b2) {
        return fractionDigits((char) (b0 & 0xff), (char) (b1 & 0xff), (char) (b2 & 0xff));
    }

    /** Whether {@code code} is an accepted ISO-4217 currency. */
    public static boolean isKnown(final CharSequence code) {
        return fractionDigits(code) != UNKNOWN;
    }

    private static int fractionDigits(final char c0, final char c1, final char c2) {
        final int index = index(c0, c1, c2);
        return index < 0 ? UNKNOWN : DIGITS[index];
    }

    private static int index(final char c0, final char c1, final char c2) {
        if (!isUpper(c0) || !isUpper(c1) || !isUpper(c2)) {
            return -1;
        }
        return ((c0 - 'A') * LETTERS + (c1 - 'A')) * LETTERS + (c2 - 'A');
    }

    private static boolean isUpper(final char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static byte[] buildTable() {
        final byte[] table = new byte[LETTERS * LETTERS * LETTERS];
        java.util.Arrays.fill(table, (byte) UNKNOWN);
        for (final Currency currency : Currency.getAvailableCurrencies()) {
            final String code = currency.getCurrencyCode();
            final int digits = currency.getDefaultFractionDigits();
            if (code.length() == 3 && digits >= 0) {
                final int index = index(code.charAt(0), code.charAt(1), code.charAt(2));
                if (index >= 0) {
                    table[index] = (byte) digits;
                }
            }
        }
        return table;
    }
}

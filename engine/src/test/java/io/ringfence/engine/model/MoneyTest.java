package io.ringfence.engine.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MoneyTest {
    private static long gbp(final String text) {
        return Money.parse("amount", text, "GBP", 2, Money.Sign.ANY);
    }

    private static String rejectGbp(final String text, final Money.Sign sign) {
        return assertThrows(IllegalArgumentException.class, () -> Money.parse("amount", text, "GBP", 2, sign)).getMessage();
    }

    @Test
    void shouldParseDecimalStringsExactly() {
        assertEquals(13912, gbp("139.12"));
        assertEquals(13910, gbp("139.1"));
        assertEquals(13900, gbp("139"));
        assertEquals(10, gbp("0.1"));
        assertEquals(20, gbp("0.2"));
        assertEquals(30, gbp("0.3"));
        assertEquals(gbp("0.3"), gbp("0.1") + gbp("0.2"));
        assertEquals(-50, gbp("-0.50"));
        assertEquals(750, gbp("007.50"));
    }

    @Test
    void shouldAcceptTrailingZerosBeyondTheCurrencyDigits() {
        assertEquals(13912, gbp("139.120"));
        assertEquals(13912, gbp("139.12000000000000000000000"));
        assertEquals(1200, Money.parse("amount", "1200.0", "JPY", 0, Money.Sign.POSITIVE));
    }

    @Test
    void shouldRejectMoreDecimalPlacesThanTheCurrencyHas() {
        assertEquals("amount '139.123' has 3 decimal places but GBP has 2", rejectGbp("139.123", Money.Sign.ANY));
        assertEquals("amount '1200.5' has 1 decimal place but JPY has 0",
            assertThrows(IllegalArgumentException.class,
                () -> Money.parse("amount", "1200.5", "JPY", 0, Money.Sign.ANY)).getMessage());
        assertEquals("amount '1.2345' has 4 decimal places but BHD has 3",
            assertThrows(IllegalArgumentException.class,
                () -> Money.parse("amount", "1.2345", "BHD", 3, Money.Sign.ANY)).getMessage());
    }

    @Test
    void shouldParseThreeDigitAndZeroDigitCurrencies() {
        assertEquals(1234, Money.parse("amount", "1.234", "BHD", 3, Money.Sign.ANY));
        assertEquals(1200, Money.parse("amount", "1200", "JPY", 0, Money.Sign.ANY));
    }

    @Test
    void shouldRejectTextThatIsNotAPlainDecimal() {
        for (final String text : new String[] {"", "-", ".5", "5.", "1e2", "+5", " 5", "5 ", "1,000.00", "abc", "1.2.3", "--1", "0x10"}) {
            assertEquals("'amount' is not a decimal amount, got '" + text + "'", rejectGbp(text, Money.Sign.ANY), text);
        }
    }

    @Test
    void shouldParseBigValuesUpToTheLongLimit() {
        assertEquals(Long.MAX_VALUE, gbp("92233720368547758.07"));
        assertEquals(Long.MIN_VALUE, gbp("-92233720368547758.08"));
        assertEquals(123456789012345678L, gbp("1234567890123456.78"));
    }

    @Test
    void shouldRejectOverflow() {
        assertEquals("'amount' is out of range, got '92233720368547758.08'", rejectGbp("92233720368547758.08", Money.Sign.ANY));
        assertEquals("'amount' is out of range, got '99999999999999999999999'", rejectGbp("99999999999999999999999", Money.Sign.ANY));
    }

    @Test
    void shouldApplyTheCallersSignRule() {
        assertEquals("'amount' must be positive, got '-5.00'", rejectGbp("-5.00", Money.Sign.POSITIVE));
        assertEquals("'amount' must be positive, got '0.00'", rejectGbp("0.00", Money.Sign.POSITIVE));
        assertEquals("'amount' must be positive, got '-0'", rejectGbp("-0", Money.Sign.POSITIVE));
        assertEquals("'amount' must not be negative, got '-0.01'", rejectGbp("-0.01", Money.Sign.NON_NEGATIVE));
        assertEquals(0, Money.parse("amount", "-0.00", "GBP", 2, Money.Sign.NON_NEGATIVE));
        assertEquals(-1, Money.parse("amount", "-0.01", "GBP", 2, Money.Sign.ANY));
    }

    @Test
    void shouldParseJsonNumbersWithExponentsExactly() {
        assertEquals(10000, Money.parseJsonNumber("amount", "1e2", "GBP", 2, Money.Sign.ANY));
        assertEquals(10000, Money.parseJsonNumber("amount", "1E+2", "GBP", 2, Money.Sign.ANY));
        assertEquals(15, Money.parseJsonNumber("amount", "1.5e-1", "GBP", 2, Money.Sign.ANY));
        assertEquals(10, Money.parseJsonNumber("amount", "0.1", "GBP", 2, Money.Sign.ANY));
        assertEquals(0, Money.parseJsonNumber("amount", "0e5", "GBP", 2, Money.Sign.ANY));
        assertEquals(123456789012345678L, Money.parseJsonNumber("amount", "1234567890123456.78", "GBP", 2, Money.Sign.ANY));
        assertEquals("amount '1e-3' has 3 decimal places but GBP has 2",
            assertThrows(IllegalArgumentException.class,
                () -> Money.parseJsonNumber("amount", "1e-3", "GBP", 2, Money.Sign.ANY)).getMessage());
    }

    @Test
    void shouldRejectHugeExponentsWithoutExpandingThem() {
        assertEquals("'amount' is out of range, got '1e999999999'",
            assertThrows(IllegalArgumentException.class,
                () -> Money.parseJsonNumber("amount", "1e999999999", "GBP", 2, Money.Sign.ANY)).getMessage());
        assertEquals("'amount' is out of range, got '1e17'",
            assertThrows(IllegalArgumentException.class,
                () -> Money.parseJsonNumber("amount", "1e17", "GBP", 2, Money.Sign.ANY)).getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> Money.parseJsonNumber("amount", "1e-999999999", "GBP", 2, Money.Sign.ANY));
    }

    @Test
    void shouldFormatWithExactlyTheCurrencyDigits() {
        assertEquals("139.12", Money.format(13912, 2));
        assertEquals("139.10", Money.format(13910, 2));
        assertEquals("-0.50", Money.format(-50, 2));
        assertEquals("0.00", Money.format(0, 2));
        assertEquals("0.01", Money.format(1, 2));
        assertEquals("1200", Money.format(1200, 0));
        assertEquals("-7", Money.format(-7, 0));
        assertEquals("1.234", Money.format(1234, 3));
        assertEquals("0.005", Money.format(5, 3));
        assertEquals("92233720368547758.07", Money.format(Long.MAX_VALUE, 2));
        assertEquals("-92233720368547758.08", Money.format(Long.MIN_VALUE, 2));
        assertEquals("-9223372036854775808", Money.format(Long.MIN_VALUE, 0));
    }

    @Test
    void shouldFormatIntoACallersArrayAtAnOffset() {
        final char[] chars = new char[Money.MAX_FORMATTED_LENGTH + 5];
        chars[0] = '#';
        final int length = Money.format(-13912, 2, chars, 1);
        assertEquals("#-139.12", new String(chars, 0, 1 + length));
    }

    @Test
    void shouldRoundTripEveryFormattedValue() {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            final long minor = i % 3 == 0 ? random.nextLong() : random.nextLong(-1_000_000, 1_000_000);
            for (int digits = 0; digits <= 4; digits++) {
                assertEquals(minor, Money.parse("amount", Money.format(minor, digits), "X", digits, Money.Sign.ANY));
            }
        }
    }
}

package io.ringfence.engine.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CurrenciesTest {
    @Test
    void shouldKnowMinorDigitsOfCommonCurrencies() {
        assertEquals(2, Currencies.fractionDigits("GBP"));
        assertEquals(2, Currencies.fractionDigits("EUR"));
        assertEquals(2, Currencies.fractionDigits("USD"));
        assertEquals(0, Currencies.fractionDigits("JPY"));
        assertEquals(0, Currencies.fractionDigits("KRW"));
        assertEquals(3, Currencies.fractionDigits("BHD"));
        assertEquals(3, Currencies.fractionDigits("KWD"));
    }

    @Test
    void shouldRejectCodesWithoutMinorUnits() {
        for (final String code : new String[] {"XXX", "XAU", "XAG", "XDR", "XTS"}) {
            assertEquals(Currencies.UNKNOWN, Currencies.fractionDigits(code), code);
        }
    }

    @Test
    void shouldRejectUnknownAndMalformedCodes() {
        assertFalse(Currencies.isKnown("GBX"));
        assertFalse(Currencies.isKnown("gbp"));
        assertFalse(Currencies.isKnown("GB"));
        assertFalse(Currencies.isKnown("GBPX"));
        assertFalse(Currencies.isKnown(""));
        assertFalse(Currencies.isKnown(null));
        assertTrue(Currencies.isKnown("GBP"));
    }

    @Test
    void shouldLookUpFromSbeBytesLikeFromText() {
        assertEquals(2, Currencies.fractionDigits((byte) 'G', (byte) 'B', (byte) 'P'));
        assertEquals(0, Currencies.fractionDigits((byte) 'J', (byte) 'P', (byte) 'Y'));
        assertEquals(Currencies.UNKNOWN, Currencies.fractionDigits((byte) 0, (byte) 0, (byte) 0));
        assertEquals(Currencies.UNKNOWN, Currencies.fractionDigits((byte) 0xC3, (byte) 'B', (byte) 'P'));
    }
}

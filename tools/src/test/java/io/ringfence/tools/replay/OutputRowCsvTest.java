package io.ringfence.tools.replay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** CSV fields: RFC 4180 quoting, and client ids a spreadsheet would run as formulas defused. */
class OutputRowCsvTest {
    @Test
    void quotesAndDefusesFormulas() {
        assertEquals("o-1", OutputRow.csv("o-1"));
        assertEquals("\"o,\"\"1\"\"\"", OutputRow.csv("o,\"1\""));
        // analyst trial: a payment id like this was written raw, and Excel would run it
        assertEquals("'=cmd|' /C calc'!A0", OutputRow.csv("=cmd|' /C calc'!A0"));
        assertEquals("'+1", OutputRow.csv("+1"));
        assertEquals("'-1", OutputRow.csv("-1"));
        assertEquals("'@SUM(A1)", OutputRow.csv("@SUM(A1)"));
        assertEquals("\"'=1,2\"", OutputRow.csv("=1,2"), "defused, then quoted for its comma");
        assertEquals("", OutputRow.csv(""));
    }
}

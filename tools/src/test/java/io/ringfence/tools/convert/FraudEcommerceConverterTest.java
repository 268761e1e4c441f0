package io.ringfence.tools.convert;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FraudEcommerceConverterTest {
    private static final String HEADER = "user_id,signup_time,purchase_time,purchase_value,device_id,source,browser,sex,age,class\n";
    private static final String HEADER_IP = "user_id,signup_time,purchase_time,purchase_value,device_id,source,browser,sex,age,ip_address,class\n";

    @TempDir
    Path dir;

    @Test
    void shouldWriteSignupAndOrderPerRowSortedByTimeWithDocumentedTies() throws Exception {
        final String csv = HEADER
                // line 2: signup and purchase in the same minute (signup first), 2-digit year
                + "22,1/1/15 18:52,1/1/15 18:52,15,YSSKYOSJHPPLJ,SEO,Opera,M,53,1\n"
                // line 3: same minute as line 2 for both times, smaller user id
                + "7,1/1/15 18:52,1/1/15 18:52,20,AAAAAAAAAAAAA,Ads,Chrome,F,30,1\n"
                // line 4: earlier signup, later purchase, 4-digit year
                + "333320,12/31/2014 23:05,2/28/2015 7:09,16,EOGFQPIZPYXFZ,Direct,IE,F,53,0\n";
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ConversionSummary summary = convert(csv, bytes, new ArrayList<>());
        assertEquals(List.of(
                "{\"type\":\"activity\",\"time\":\"2014-12-31T23:05:00Z\",\"userId\":\"333320\",\"kind\":\"SIGNUP\",\"sessionId\":\"signup-333320\",\"deviceId\":\"EOGFQPIZPYXFZ\"}",
                "{\"type\":\"activity\",\"time\":\"2015-01-01T18:52:00Z\",\"userId\":\"7\",\"kind\":\"SIGNUP\",\"sessionId\":\"signup-7\",\"deviceId\":\"AAAAAAAAAAAAA\"}",
                "{\"type\":\"activity\",\"time\":\"2015-01-01T18:52:00Z\",\"userId\":\"22\",\"kind\":\"SIGNUP\",\"sessionId\":\"signup-22\",\"deviceId\":\"YSSKYOSJHPPLJ\"}",
                "{\"type\":\"order\",\"time\":\"2015-01-01T18:52:00Z\",\"orderId\":\"order-7\",\"userId\":\"7\",\"amount\":\"20.00\",\"currency\":\"USD\",\"deviceId\":\"AAAAAAAAAAAAA\",\"merchantId\":\"fraud-ecommerce\",\"label\":1}",
                "{\"type\":\"order\",\"time\":\"2015-01-01T18:52:00Z\",\"orderId\":\"order-22\",\"userId\":\"22\",\"amount\":\"15.00\",\"currency\":\"USD\",\"deviceId\":\"YSSKYOSJHPPLJ\",\"merchantId\":\"fraud-ecommerce\",\"label\":1}",
                "{\"type\":\"order\",\"time\":\"2015-02-28T07:09:00Z\",\"orderId\":\"order-333320\",\"userId\":\"333320\",\"amount\":\"16.00\",\"currency\":\"USD\",\"deviceId\":\"EOGFQPIZPYXFZ\",\"merchantId\":\"fraud-ecommerce\",\"label\":0}"),
                lines(bytes));
        assertEquals(3, summary.rowsRead());
        assertEquals(6, summary.eventsWritten());
        assertEquals(Map.of("bad-row", 0L), summary.skipped());
        assertTrue(summary.toLine().contains("2 fraud (class 1), 1 legit (class 0)"), summary.toLine());
        assertTrue(summary.toLine().contains("time span 2014-12-31T23:05:00Z .. 2015-02-28T07:09:00Z"), summary.toLine());
    }

    @Test
    void shouldTurnTheFloatIpIntoADottedQuadFromItsIntegerPart() throws Exception {
        final String csv = HEADER_IP
                + "22058,2/24/2015 22:55,4/18/2015 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,732758368.8,0\n"
                + "1359,1/1/2015 18:52,1/1/2015 18:52,15,YSSKYOSJHPPLJ,SEO,Opera,M,53,2621473820,1\n"
                + "5,1/2/2015 0:00,1/3/2015 0:00,9,BBBBBBBBBBBBB,SEO,Opera,M,53,4294967295.9,0\n";
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        convert(csv, bytes, new ArrayList<>());
        final String text = bytes.toString(StandardCharsets.UTF_8);
        // 732758368 = 43.173.1.96; 2621473820 = 156.64.132.28
        assertTrue(text.contains("\"userId\":\"22058\",\"kind\":\"SIGNUP\",\"sessionId\":\"signup-22058\",\"ip\":\"43.173.1.96\""), text);
        assertTrue(text.contains("\"orderId\":\"order-22058\",\"userId\":\"22058\",\"amount\":\"34.00\",\"currency\":\"USD\",\"ip\":\"43.173.1.96\""), text);
        assertTrue(text.contains("\"ip\":\"156.64.132.28\""), text);
        assertTrue(text.contains("\"ip\":\"255.255.255.255\""), text);
        assertEquals("0.0.0.0", FraudEcommerceConverter.dottedQuad(0));
        assertEquals("1.0.0.0", FraudEcommerceConverter.dottedQuad(16_777_216));
    }

    @Test
    void shouldParseTwoAndFourDigitYearsAsUtc() throws Exception {
        final String csv = HEADER
                + "1,2/24/15 22:55,12/14/2015 23:08,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n"
                + "2,8/18/15 9:05,8/18/15 9:05:30,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n";
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        convert(csv, bytes, new ArrayList<>());
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("\"time\":\"2015-02-24T22:55:00Z\""), text);
        assertTrue(text.contains("\"time\":\"2015-12-14T23:08:00Z\""), text);
        assertTrue(text.contains("\"time\":\"2015-08-18T09:05:00Z\""), text);
        assertTrue(text.contains("\"time\":\"2015-08-18T09:05:30Z\""), text);
    }

    @Test
    void shouldSkipAndReportBadRowsWithFileAndLineAndCountThem() throws Exception {
        final String csv = HEADER
                + "1,2/24/15 22:55,4/18/15 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n"   // 2 ok
                + "2,2/30/15 22:55,4/18/15 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n"   // 3 Feb 30
                + "3,2/24/15 22:55,4/18/15 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39\n"     // 4 9 columns
                + "4,2/24/15 22:55,4/18/15 2:47,0,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n"    // 5 value 0
                + "5,2/24/15 22:55,4/18/15 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,2\n"   // 6 class 2
                + "1,2/24/15 22:55,4/18/15 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n"   // 7 repeated user
                + "6,4/18/15 2:48,4/18/15 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n"    // 8 purchase before signup
                + "7,2015-04-18 02:48,4/18/15 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n" // 9 other format
                + "8,2/24/15 22:55,4/18/15 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n"  // 10 ok
                + "9,1/1/1970 0:00,4/18/15 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n"  // 11 the epoch: a time not set
                + "10,12/31/1969 23:00,4/18/15 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n"; // 12 before the times taken (review)
        final List<String> warnings = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ConversionSummary summary = convert(csv, bytes, warnings);
        assertEquals(11, summary.rowsRead());
        assertEquals(2, summary.records(), "users: the rows converted, not the bad ones");
        assertEquals(4, summary.eventsWritten());
        assertEquals(Map.of("bad-row", 9L), summary.skipped());
        assertEquals(9, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("test.csv:3: signup_time '2/30/15 22:55' is not a valid date-time"), warnings.get(0));
        assertEquals("test.csv:4: expected 10 columns but found 9", warnings.get(1));
        assertEquals("test.csv:5: purchase_value '0' is not a whole number > 0", warnings.get(2));
        assertEquals("test.csv:6: class '2' is not 0 or 1", warnings.get(3));
        assertEquals("test.csv:7: user_id 1 repeats the row on line 2", warnings.get(4));
        assertEquals("test.csv:8: purchase_time 4/18/15 2:47 is before signup_time 4/18/15 2:48", warnings.get(5));
        assertEquals("test.csv:9: signup_time '2015-04-18 02:48' is not M/d/yy H:mm or M/d/yyyy H:mm", warnings.get(6));
        assertEquals("test.csv:11: signup_time '1/1/1970 0:00' is the epoch (1970-01-01T00:00:00Z), which ringfence takes as a"
            + " time not set", warnings.get(7));
        assertEquals("test.csv:12: signup_time '12/31/1969 23:00' is 1969-12-31T23:00:00Z in UTC, outside the event times ringfence"
            + " takes (1970-01-01T00:00:00.000001Z to 2106-02-07T06:28:15.999999Z)", warnings.get(8));
    }

    /** Audit: the upstream file starts with a UTF-8 byte-order mark, and convert refused its header as not the header. */
    @Test
    void shouldTakeAHeaderAfterAByteOrderMark() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        convert("\uFEFF" + HEADER_IP + "1359,1/1/2015 18:52,1/1/2015 18:52,15,YSSKYOSJHPPLJ,SEO,Opera,M,53,2621473820,1\n",
            bytes, new ArrayList<>());
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("\"ip\":\"156.64.132.28\""), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldStopOnAWrongHeader() {
        final BadInputException e = assertThrows(BadInputException.class,
                () -> convert("user_id,signup_time\n1,2\n", new ByteArrayOutputStream(), new ArrayList<>()));
        assertEquals(1, e.line());
        assertTrue(e.reason().startsWith("expected the header user_id,signup_time,purchase_time"), e.reason());
    }

    @Test
    void shouldReportBadRowsOnStderrThroughTheCommand() throws Exception {
        final Path input = dir.resolve("fraud.csv");
        Files.writeString(input, HEADER
                + "1,2/24/15 22:55,4/18/15 2:47,34,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n"
                + "2,2/24/15 22:55,4/18/15 2:47,x,QVPSPJUOCKZAR,SEO,Chrome,M,39,0\n");
        final Path out = dir.resolve("out.jsonl");
        final CommandRun run = CommandRun.ringfence("convert", "--format", "fraud-ecommerce", "--input", input.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("skipped " + input + ":3: purchase_value 'x' is not a whole number > 0"), run.err());
        assertTrue(run.err().contains("fraud-ecommerce: 2 rows read, 1 users, 2 events written; users skipped: bad-row 1"), run.err());
        assertEquals(2, Files.readAllLines(out).size());
    }

    @Test
    void shouldExplainThePolicyInHelp() {
        final CommandRun run = CommandRun.ringfence("convert", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("fraud-ecommerce: \"Fraud ecommerce\" CSV"), run.out());
    }

    private static ConversionSummary convert(final String csv, final ByteArrayOutputStream bytes, final List<String> warnings)
            throws Exception {
        final FraudEcommerceConverter converter = new FraudEcommerceConverter();
        converter.reportTo(warnings::add);
        try (EventJsonWriter writer = new EventJsonWriter(bytes)) {
            return converter.convert(new StringReader(csv), "test.csv", writer);
        }
    }

    private static List<String> lines(final ByteArrayOutputStream bytes) {
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }
}

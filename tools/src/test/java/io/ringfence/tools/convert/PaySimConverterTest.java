package io.ringfence.tools.convert;

import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.tools.CommandRun;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaySimConverterTest {
    private static final String HEADER =
            "step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud,isFlaggedFraud\n";

    @TempDir
    Path dir;

    @Test
    void shouldWriteALabelledOrderAndAnUnlabelledPaymentPerRowSortedStablyByStep() throws Exception {
        final String csv = HEADER
                // row 1 (line 2): step 2, pandas floats
                + "2,TRANSFER,181.0,C1305486145,181.0,0.0,C553264065,0.0,0.0,1.0,0.0\n"
                // row 2: step 1, Java scientific notation for amount and balances
                + "1,CASH_OUT,1.916920493E7,C840083671,1.916920493E7,0.0,C38997010,21182.0,0.0,1,0\n"
                // row 3: step 2 again, after row 1 in the file: stays after it
                + "2,PAYMENT,9839.64,C1231006815,170136.0,160296.36,M1979787155,0.0,0.0,0,0\n"
                // row 4: step 1, the data set's largest amount written as a Java double
                + "1,CASH_IN,1.0E7,C1666544295,21249.0,1.0021249E7,C2044282225,0.0,0.0,0,0\n";
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ConversionSummary summary = convert(csv, bytes, new ArrayList<>());
        assertEquals(List.of(
                "{\"type\":\"order\",\"time\":\"2016-09-01T00:00:00Z\",\"orderId\":\"ps-2\",\"userId\":\"C840083671\",\"amount\":\"19169204.93\",\"currency\":\"USD\",\"instrumentId\":\"C840083671\",\"merchantId\":\"C38997010\",\"items\":[{\"sku\":\"CASH_OUT\",\"qty\":1,\"unitPrice\":\"19169204.93\"}],\"label\":1}",
                "{\"type\":\"payment\",\"time\":\"2016-09-01T00:00:00Z\",\"paymentId\":\"ps-2-p\",\"orderId\":\"ps-2\",\"userId\":\"C840083671\",\"instrumentId\":\"C840083671\",\"amount\":\"19169204.93\",\"currency\":\"USD\",\"result\":\"AUTHORIZED\"}",
                "{\"type\":\"order\",\"time\":\"2016-09-01T00:00:00Z\",\"orderId\":\"ps-4\",\"userId\":\"C1666544295\",\"amount\":\"10000000.00\",\"currency\":\"USD\",\"instrumentId\":\"C1666544295\",\"merchantId\":\"C2044282225\",\"items\":[{\"sku\":\"CASH_IN\",\"qty\":1,\"unitPrice\":\"10000000.00\"}],\"label\":0}",
                "{\"type\":\"payment\",\"time\":\"2016-09-01T00:00:00Z\",\"paymentId\":\"ps-4-p\",\"orderId\":\"ps-4\",\"userId\":\"C1666544295\",\"instrumentId\":\"C1666544295\",\"amount\":\"10000000.00\",\"currency\":\"USD\",\"result\":\"AUTHORIZED\"}",
                "{\"type\":\"order\",\"time\":\"2016-09-01T01:00:00Z\",\"orderId\":\"ps-1\",\"userId\":\"C1305486145\",\"amount\":\"181.00\",\"currency\":\"USD\",\"instrumentId\":\"C1305486145\",\"merchantId\":\"C553264065\",\"items\":[{\"sku\":\"TRANSFER\",\"qty\":1,\"unitPrice\":\"181.00\"}],\"label\":1}",
                "{\"type\":\"payment\",\"time\":\"2016-09-01T01:00:00Z\",\"paymentId\":\"ps-1-p\",\"orderId\":\"ps-1\",\"userId\":\"C1305486145\",\"instrumentId\":\"C1305486145\",\"amount\":\"181.00\",\"currency\":\"USD\",\"result\":\"AUTHORIZED\"}",
                "{\"type\":\"order\",\"time\":\"2016-09-01T01:00:00Z\",\"orderId\":\"ps-3\",\"userId\":\"C1231006815\",\"amount\":\"9839.64\",\"currency\":\"USD\",\"instrumentId\":\"C1231006815\",\"merchantId\":\"M1979787155\",\"items\":[{\"sku\":\"PAYMENT\",\"qty\":1,\"unitPrice\":\"9839.64\"}],\"label\":0}",
                "{\"type\":\"payment\",\"time\":\"2016-09-01T01:00:00Z\",\"paymentId\":\"ps-3-p\",\"orderId\":\"ps-3\",\"userId\":\"C1231006815\",\"instrumentId\":\"C1231006815\",\"amount\":\"9839.64\",\"currency\":\"USD\",\"result\":\"AUTHORIZED\"}"),
                lines(bytes));
        assertEquals(4, summary.rowsRead());
        assertEquals(8, summary.eventsWritten());
        assertEquals(Map.of("bad-row", 0L), summary.skipped());
        final String line = summary.toLine();
        assertTrue(line.contains("4 orders + 4 payments, labels (on orders): 2 fraud (isFraud 1), 2 legit (isFraud 0)"), line);
        assertTrue(line.contains("types: CASH_IN 1, CASH_OUT 1, DEBIT 0, PAYMENT 1, TRANSFER 1"), line);
        assertTrue(line.contains("steps 1..2 = time span 2016-09-01T00:00:00Z .. 2016-09-01T01:00:00Z"), line);
    }

    @Test
    void shouldWriteEventsTheEngineAccepts() throws Exception {
        final String csv = HEADER
                + "1,DEBIT,0.01,C1,0.0,0.0,C2,0.0,0.0,0,0\n"
                + "744,TRANSFER,10000000.00,C12345678901234567890123456789012345,1.0E7,0.0,M12345678901234567890123456789012345,0.0,0.0,1,1\n";
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        convert(csv, bytes, new ArrayList<>());
        final JsonEventParser parser = new JsonEventParser();
        final ParseResult result = new ParseResult();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
        final List<String> lines = lines(bytes);
        assertEquals(4, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            final int length = parser.parse(lines.get(i), i + 1, i + 1, buffer, 0, result);
            assertTrue(length != JsonEventParser.REJECTED && !result.isRejected(), "line " + (i + 1) + " rejected: " + result + "\n" + lines.get(i));
        }
        assertTrue(lines.get(2).contains("\"time\":\"2016-10-01T23:00:00Z\""), lines.get(2)); // step 744: hour 743 = 30 d 23 h
        assertTrue(lines.get(0).contains("\"amount\":\"0.01\""), lines.get(0));
    }

    @Test
    void shouldSkipAndReportEveryKindOfBadRowWithFileAndLine() throws Exception {
        final String ok = ",C1,100.0,0.0,M1,0.0,0.0,0,0\n";
        final String csv = HEADER
                + "1,PAYMENT,100.0" + ok                                          // 2 ok
                + "1,PAYMENT,100.0,C1,100.0,0.0,M1,0.0,0.0,0\n"                  // 3 10 columns
                + "0,PAYMENT,100.0" + ok                                          // 4 step 0
                + "1.5,PAYMENT,100.0" + ok                                        // 5 step not whole
                + "1,payment,100.0" + ok                                          // 6 type case
                + "1,REFUND,100.0" + ok                                           // 7 unknown type
                + "1,PAYMENT,12a.5" + ok                                          // 8 not a number
                + "1,PAYMENT,-5.00" + ok                                          // 9 negative
                + "1,PAYMENT,0.0" + ok                                            // 10 zero
                + "1,PAYMENT,1.005" + ok                                          // 11 three decimals
                + "1,PAYMENT,1.0E16" + ok                                         // 12 too large
                + "1,PAYMENT,100.0,C1,NaN,0.0,M1,0.0,0.0,0,0\n"                   // 13 balance not a number
                + "1,PAYMENT,100.0,,100.0,0.0,M1,0.0,0.0,0,0\n"                   // 14 empty nameOrig
                + "1,PAYMENT,100.0,C1,100.0,0.0,M123456789012345678901234567890123456,0.0,0.0,0,0\n" // 15 37-byte nameDest
                + "1,PAYMENT,100.0,C1,100.0,0.0,M1,0.0,0.0,2,0\n"                 // 16 isFraud 2
                + "1,PAYMENT,100.0,C1,100.0,0.0,M1,0.0,0.0,0.5,0\n"               // 17 isFraud 0.5
                + "1,PAYMENT,100.0,C1,100.0,0.0,M1,0.0,0.0,1.0,yes\n"             // 18 isFlaggedFraud
                + "783968,PAYMENT,2.50" + ok                                      // 19 an hour past 2106-02-07T06:28:15Z (review)
                + "1,PAYMENT,1.5E1" + ok                                          // 20 ok: 15.00
                + "2,PAYMENT,2.50" + ok;                                          // 21 ok
        final List<String> warnings = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ConversionSummary summary = convert(csv, bytes, warnings);
        assertEquals(List.of(
                "test.csv:3: expected 11 columns but found 10",
                "test.csv:4: step '0' is not a whole number from 1 to 783967",
                "test.csv:5: step '1.5' is not a whole number from 1 to 783967",
                "test.csv:6: type 'payment' is not one of CASH_IN, CASH_OUT, DEBIT, PAYMENT, TRANSFER",
                "test.csv:7: type 'REFUND' is not one of CASH_IN, CASH_OUT, DEBIT, PAYMENT, TRANSFER",
                "test.csv:8: amount '12a.5' is not a number",
                "test.csv:9: amount '-5.00' is not > 0",
                "test.csv:10: amount '0.0' is not > 0",
                "test.csv:11: amount '1.005' has more than 2 decimal places (cents); it is not rounded",
                "test.csv:12: amount '1.0E16' is larger than 10000000000000.00",
                "test.csv:13: oldbalanceOrg 'NaN' is not a number",
                "test.csv:14: nameOrig '' is empty or longer than 36 UTF-8 bytes",
                "test.csv:15: nameDest 'M123456789012345678901234567890123456' is empty or longer than 36 UTF-8 bytes",
                "test.csv:16: isFraud '2' is not 0 or 1",
                "test.csv:17: isFraud '0.5' is not 0 or 1",
                "test.csv:18: isFlaggedFraud 'yes' is not 0 or 1",
                "test.csv:19: step '783968' is not a whole number from 1 to 783967"), warnings);
        assertEquals(20, summary.rowsRead());
        assertEquals(3, summary.records(), "transactions: the rows converted, not the bad ones");
        assertEquals(Map.of("bad-row", 17L), summary.skipped());
        assertEquals(6, summary.eventsWritten());
        final List<String> lines = lines(bytes);
        assertTrue(lines.get(0).contains("\"orderId\":\"ps-1\""), lines.get(0));
        assertTrue(lines.get(2).contains("\"orderId\":\"ps-19\",\"userId\":\"C1\",\"amount\":\"15.00\""), lines.get(2));
        assertTrue(lines.get(4).contains("\"orderId\":\"ps-20\",\"userId\":\"C1\",\"amount\":\"2.50\""), lines.get(4));
    }

    @Test
    void shouldReportOnlyTheFirstHundredBadRowsButCountThemAll() throws Exception {
        final StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 150; i++) {
            csv.append("1,PAYMENT,x,C1,0.0,0.0,M1,0.0,0.0,0,0\n");
        }
        final List<String> warnings = new ArrayList<>();
        final ConversionSummary summary = convert(csv.toString(), new ByteArrayOutputStream(), warnings);
        assertEquals(Map.of("bad-row", 150L), summary.skipped());
        assertEquals(PaySimConverter.MAX_REPORTED + 1, warnings.size());
        assertEquals("test.csv: more bad rows; only the first 100 are reported, all are counted", warnings.get(100));
        assertTrue(summary.toLine().contains("no events"), summary.toLine());
    }

    @Test
    void shouldStopOnAWrongHeader() {
        final BadInputException e = assertThrows(BadInputException.class, () -> convert(
                "step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud\n",
                new ByteArrayOutputStream(), new ArrayList<>()));
        assertEquals(1, e.line());
        assertTrue(e.reason().startsWith("expected the header step,type,amount,nameOrig,"), e.reason());
        assertTrue(e.reason().endsWith("but found step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud"), e.reason());
    }

    @Test
    void shouldExitTwoOnAWrongHeaderAndLeaveNoOutputThroughTheCommand() throws Exception {
        final Path input = dir.resolve("paysim.csv");
        Files.writeString(input, "step,type,amount\n1,PAYMENT,5.0\n");
        final Path out = dir.resolve("out.jsonl");
        final CommandRun run = CommandRun.ringfence("convert", "--format", "paysim", "--input", input.toString(), "--out", out.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("bad input file " + input + ":1: expected the header step,type,amount,nameOrig"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void shouldReportBadRowsOnStderrThroughTheCommand() throws Exception {
        final Path input = dir.resolve("paysim.csv");
        Files.writeString(input, HEADER
                + "1,PAYMENT,9839.64,C1231006815,170136.0,160296.36,M1979787155,0.0,0.0,0,0\n"
                + "1,PAYMENT,9839.641,C1231006815,170136.0,160296.36,M1979787155,0.0,0.0,0,0\n");
        final Path out = dir.resolve("out.jsonl");
        final CommandRun run = CommandRun.ringfence("convert", "--format", "paysim", "--input", input.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("skipped " + input + ":3: amount '9839.641' has more than 2 decimal places"), run.err());
        assertTrue(run.err().contains("paysim: 2 rows read, 1 transactions, 2 events written; transactions skipped: bad-row 1"), run.err());
        assertEquals(2, Files.readAllLines(out).size());
    }

    @Test
    void shouldMapStepsToHoursFromTheDocumentedEpoch() {
        assertEquals(Instant.parse("2016-09-01T00:00:00Z"), PaySimConverter.timeOf(1));
        assertEquals(Instant.parse("2016-09-05T22:00:00Z"), PaySimConverter.timeOf(119));
        assertEquals(Instant.parse("2016-10-01T23:00:00Z"), PaySimConverter.timeOf(744));
    }

    @Test
    void shouldExplainThePolicyInHelp() {
        final CommandRun run = CommandRun.ringfence("convert", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("paysim: PaySim mobile-money CSV"), run.out());
        assertTrue(run.out().contains("payment AUTHORIZED: paymentId = ps-<r>-p"), run.out());
    }

    private static ConversionSummary convert(final String csv, final ByteArrayOutputStream bytes, final List<String> warnings)
            throws Exception {
        final PaySimConverter converter = new PaySimConverter();
        converter.reportTo(warnings::add);
        try (EventJsonWriter writer = new EventJsonWriter(bytes)) {
            return converter.convert(new StringReader(csv), "test.csv", writer);
        }
    }

    private static List<String> lines(final ByteArrayOutputStream bytes) {
        final String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}

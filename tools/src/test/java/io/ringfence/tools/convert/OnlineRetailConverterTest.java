package io.ringfence.tools.convert;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnlineRetailConverterTest {
    private static final String HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";

    /** Line numbers in the comments are the file's physical lines (the header is line 1). */
    private static final String FIXTURE = HEADER
            // 2-3: quoted description with a comma, and one with "" quotes
            + "536365,85123A,\"WHITE HANGING HEART T-LIGHT HOLDER, LARGE\",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
            + "536365,71053,\"WHITE METAL \"\"LANTERN\"\"\",6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom\n"
            // 4: a cancellation
            + "C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,14527.0,United Kingdom\n"
            // 5: a guest (no CustomerID)
            + "536380,22961,\"JAM MAKING SET, PRINTED\",24,2010-12-01 09:41:00,1.45,,United Kingdom\n"
            // 6-7: zero total (stock adjustment at price 0) and a negative total
            + "536414,22139,,56,2010-12-01 11:52:00,0,,United Kingdom\n"
            + "536416,22141,damaged,-2,2010-12-01 11:54:00,1.00,,United Kingdom\n"
            // 8-9: a 3-decimal price: 0.125 -> 0.12 (half-even); amount 0.375 + 1.85 = 2.225 -> 2.22
            + "536381,PADS,PADS TO MATCH ALL CUSHIONS,3,2010-12-01 12:00:00,0.125,15618.0,EIRE\n"
            + "536381,22633,HAND WARMER UNION JACK,1,2010-12-01 12:00:00,1.85,15618.0,EIRE\n"
            // 10-12: 536382 spans two minutes, its earliest line comes last; 536383 ties with it
            + "536382,10002,INFLATABLE POLITICAL GLOBE ,12,2010-12-01 13:01:00,0.85,12583.0,France\n"
            + "536383,21791,VINTAGE HEADS AND TAILS CARD GAME ,2,2010-12-01 13:00:00,1.25,17850.0,United Kingdom\n"
            + "536382,22326,ROUND SNACK BOXES SET OF4 WOODLAND ,24,2010-12-01 13:00:00,2.95,12583.0,France\n"
            // 13: a bad-debt adjustment
            + "A563185,B,Adjust bad debt,1,2011-08-12 14:50:00,11062.06,,United Kingdom\n"
            // 14: a BST date: 10:00 London = 09:00Z
            + "555156,23299,FOOD COVER WITH BEADS SET 2 ,6,2011-06-01 10:00:00,3.75,15643.0,United Kingdom\n"
            // 15: a second cancellation
            + "C536391,22556,PLASTERS IN TIN CIRCUS PARADE ,-12,2010-12-01 10:24:00,1.65,17548.0,United Kingdom\n"
            // 16: a GMT date, a £ in the description, quotes and non-ASCII in the country (JSON escaping)
            + "536400,84029E,\"RED WOOLLY HOTTIE, \"\"£\"\"\",1,2010-12-02 09:00:00,3.39,12345.0,\"Côte d\"\"Ivoire\"\n";

    private static final List<String> EXPECTED = List.of(
            "{\"type\":\"order\",\"time\":\"2010-12-01T08:26:00Z\",\"orderId\":\"536365\",\"userId\":\"17850\",\"amount\":\"35.64\","
                    + "\"currency\":\"GBP\",\"country\":\"United Kingdom\",\"merchantId\":\"online-retail\",\"channel\":\"web\","
                    + "\"items\":[{\"sku\":\"85123A\",\"qty\":6,\"unitPrice\":\"2.55\"},{\"sku\":\"71053\",\"qty\":6,\"unitPrice\":\"3.39\"}]}",
            "{\"type\":\"order\",\"time\":\"2010-12-01T09:41:00Z\",\"orderId\":\"536380\",\"userId\":\"guest-536380\",\"amount\":\"34.80\","
                    + "\"currency\":\"GBP\",\"country\":\"United Kingdom\",\"merchantId\":\"online-retail\",\"channel\":\"web\","
                    + "\"items\":[{\"sku\":\"22961\",\"qty\":24,\"unitPrice\":\"1.45\"}]}",
            "{\"type\":\"order\",\"time\":\"2010-12-01T12:00:00Z\",\"orderId\":\"536381\",\"userId\":\"15618\",\"amount\":\"2.22\","
                    + "\"currency\":\"GBP\",\"country\":\"EIRE\",\"merchantId\":\"online-retail\",\"channel\":\"web\","
                    + "\"items\":[{\"sku\":\"PADS\",\"qty\":3,\"unitPrice\":\"0.12\"},{\"sku\":\"22633\",\"qty\":1,\"unitPrice\":\"1.85\"}]}",
            "{\"type\":\"order\",\"time\":\"2010-12-01T13:00:00Z\",\"orderId\":\"536382\",\"userId\":\"12583\",\"amount\":\"81.00\","
                    + "\"currency\":\"GBP\",\"country\":\"France\",\"merchantId\":\"online-retail\",\"channel\":\"web\","
                    + "\"items\":[{\"sku\":\"10002\",\"qty\":12,\"unitPrice\":\"0.85\"},{\"sku\":\"22326\",\"qty\":24,\"unitPrice\":\"2.95\"}]}",
            "{\"type\":\"order\",\"time\":\"2010-12-01T13:00:00Z\",\"orderId\":\"536383\",\"userId\":\"17850\",\"amount\":\"2.50\","
                    + "\"currency\":\"GBP\",\"country\":\"United Kingdom\",\"merchantId\":\"online-retail\",\"channel\":\"web\","
                    + "\"items\":[{\"sku\":\"21791\",\"qty\":2,\"unitPrice\":\"1.25\"}]}",
            "{\"type\":\"order\",\"time\":\"2010-12-02T09:00:00Z\",\"orderId\":\"536400\",\"userId\":\"12345\",\"amount\":\"3.39\","
                    + "\"currency\":\"GBP\",\"country\":\"Côte d\\\"Ivoire\",\"merchantId\":\"online-retail\",\"channel\":\"web\","
                    + "\"items\":[{\"sku\":\"84029E\",\"qty\":1,\"unitPrice\":\"3.39\"}]}",
            "{\"type\":\"order\",\"time\":\"2011-06-01T09:00:00Z\",\"orderId\":\"555156\",\"userId\":\"15643\",\"amount\":\"22.50\","
                    + "\"currency\":\"GBP\",\"country\":\"United Kingdom\",\"merchantId\":\"online-retail\",\"channel\":\"web\","
                    + "\"items\":[{\"sku\":\"23299\",\"qty\":6,\"unitPrice\":\"3.75\"}]}");

    @TempDir
    Path dir;

    @Test
    void shouldWriteOneOrderPerInvoiceSortedByTimeInTheExactFormat() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ConversionSummary summary = convert(FIXTURE, bytes);

        assertEquals(EXPECTED, lines(bytes.toString(StandardCharsets.UTF_8)));
        assertEquals(15, summary.rowsRead());
        assertEquals(12, summary.records());
        assertEquals(7, summary.eventsWritten());
        final Map<String, Long> skipped = new LinkedHashMap<>();
        skipped.put("cancellation", 2L);
        skipped.put("bad-debt-adjustment", 1L);
        skipped.put("non-positive-amount", 2L);
        assertEquals(skipped, summary.skipped());
    }

    @Test
    void shouldConvertAGzipFileThroughTheCommandAndReportTheSummary() throws Exception {
        final Path input = gzip("fixture.csv.gz", FIXTURE);
        final Path out = dir.resolve("orders.jsonl");

        final CommandRun run = CommandRun.ringfence("convert", "--format", "online-retail", "--input", input.toString(), "--out", out.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(EXPECTED, Files.readAllLines(out, StandardCharsets.UTF_8));
        assertTrue(run.err().contains("15 rows read, 12 invoices, 7 orders written"), run.err());
        assertTrue(run.err().contains("cancellation 2, bad-debt-adjustment 1, non-positive-amount 2"), run.err());
        assertEquals(1, run.err().lines().count(), "one summary line when stderr is not a terminal: " + run.err());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void shouldWriteToStdoutWhenOutIsDash() throws Exception {
        final Path input = dir.resolve("fixture.csv");
        Files.writeString(input, FIXTURE, StandardCharsets.UTF_8);

        final CommandRun run = CommandRun.ringfence("convert", "--format", "online-retail", "--input", input.toString(), "--out", "-");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(EXPECTED, lines(run.out()));
    }

    @Test
    void shouldMatchTheIndependentTotalsOnTheFixture() throws Exception {
        final Map<String, long[]> cells = OnlineRetailIndependentTotals.expected(gzip("cells.csv.gz", FIXTURE));

        assertEquals(List.of(
                "Côte d\"Ivoire|2010-12-02T09:00:00Z",
                "EIRE|2010-12-01T12:00:00Z",
                "France|2010-12-01T13:00:00Z",
                "United Kingdom|2010-12-01T08:00:00Z",
                "United Kingdom|2010-12-01T09:00:00Z",
                "United Kingdom|2010-12-01T13:00:00Z",
                "United Kingdom|2011-06-01T09:00:00Z"), List.copyOf(cells.keySet()));
        assertArrayEquals(new long[] {1, 222}, cells.get("EIRE|2010-12-01T12:00:00Z"));
        assertArrayEquals(new long[] {1, 250}, cells.get("United Kingdom|2010-12-01T13:00:00Z"));
        assertArrayEquals(new long[] {7, 3564 + 3480 + 222 + 8100 + 250 + 339 + 2250}, OnlineRetailIndependentTotals.grandTotal(cells));
    }

    @Test
    void shouldRejectARowWithTheWrongColumnCount() throws Exception {
        assertBadRow("536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850.0\n", "expected 8 columns");
        assertBadRow("536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom,extra\n", "found 9");
    }

    @Test
    void shouldRejectABadNumber() throws Exception {
        assertBadRow("536366,22633,HAND WARMER,6x,2010-12-01 08:28:00,1.85,17850.0,United Kingdom\n", "Quantity '6x' is not an integer");
        assertBadRow("536366,22633,HAND WARMER,6,2010-12-01 08:28:00,\"1,85\",17850.0,United Kingdom\n", "UnitPrice '1,85' is not a decimal number");
        assertBadRow("536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850.5,United Kingdom\n", "CustomerID '17850.5'");
    }

    @Test
    void shouldRejectABadDate() throws Exception {
        assertBadRow("536366,22633,HAND WARMER,6,2010-13-01 08:28:00,1.85,17850.0,United Kingdom\n", "InvoiceDate '2010-13-01 08:28:00'");
        assertBadRow("536366,22633,HAND WARMER,6,01/12/2010 08:28,1.85,17850.0,United Kingdom\n", "InvoiceDate '01/12/2010 08:28'");
        // London kept summer time all through 1970: this is 1970-01-01T00:00:00Z, the time ringfence takes as not set
        assertBadRow("536366,22633,HAND WARMER,6,1970-01-01 01:00:00,1.85,17850.0,United Kingdom\n",
            "InvoiceDate '1970-01-01 01:00:00' is the epoch");
    }

    @Test
    void shouldRejectIdsOver36BytesAndInvoicesWithTwoCustomers() throws Exception {
        assertBadRow("536366,ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789X,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom\n",
                "StockCode 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789X' is longer than 36 UTF-8 bytes");
        assertBadRow("536365,22633,HAND WARMER,6,2010-12-01 08:26:00,1.85,12345.0,United Kingdom\n", "invoice 536365 has CustomerID '12345.0'");
        assertBadRow("X536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom\n", "InvoiceNo 'X536366' starts with 'X'");
    }

    @Test
    void shouldCountPhysicalLinesAfterAQuotedLineBreak() throws Exception {
        final String csv = HEADER
                + "536365,85123A,\"TWO\nLINES\",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
                + "536366,22633,HAND WARMER,six,2010-12-01 08:28:00,1.85,17850.0,United Kingdom\n";
        final BadInputException e = assertThrows(BadInputException.class, () -> convert(csv, OutputStream.nullOutputStream()));
        assertEquals(4, e.line());
    }

    @Test
    void shouldRejectAWrongHeaderAndAnUnterminatedQuote() throws Exception {
        final BadInputException header = assertThrows(BadInputException.class,
                () -> convert("Invoice,StockCode\n", OutputStream.nullOutputStream()));
        assertEquals(1, header.line());
        final BadInputException quote = assertThrows(BadInputException.class, () -> convert(HEADER
                + "536365,85123A,\"NO END,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n", OutputStream.nullOutputStream()));
        assertEquals(2, quote.line());
        assertTrue(quote.reason().startsWith("malformed CSV"), quote.reason());
    }

    @Test
    void shouldCreateTheOutputDirectoryAsTheOtherCommandsDoAndRefuseOneThatCannotBe() throws Exception {
        final Path input = dir.resolve("fixture.csv");
        Files.writeString(input, FIXTURE, StandardCharsets.UTF_8);
        final Path out = dir.resolve("out").resolve("nested").resolve("orders.jsonl"); // a fresh checkout has no out/
        final CommandRun run = CommandRun.ringfence("convert", "--format", "online-retail", "--input", input.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(EXPECTED, Files.readAllLines(out, StandardCharsets.UTF_8));

        final Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        final CommandRun blocked = CommandRun.ringfence("convert", "--format", "online-retail", "--input", input.toString(),
                "--out", file.resolve("orders.jsonl").toString());
        assertEquals(2, blocked.exitCode(), blocked.err());
        assertTrue(blocked.err().contains("cannot create the output directory " + file), blocked.err());
    }

    @Test
    void shouldExitWithUsageErrorForAnUnknownFormatListingTheKnownOnes() {
        final CommandRun run = CommandRun.ringfence("convert", "--format", "shopify", "--out", dir.resolve("x.jsonl").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown --format 'shopify'; known formats: online-retail"), run.err());
    }

    @Test
    void shouldExitWithUsageErrorForAMissingInputFile() {
        final CommandRun run = CommandRun.ringfence("convert", "--format", "online-retail",
                "--input", dir.resolve("absent.csv.gz").toString(), "--out", dir.resolve("x.jsonl").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("input file not found"), run.err());
    }

    @Test
    void shouldExplainThePolicyInHelp() {
        final CommandRun run = CommandRun.ringfence("convert", "--help");
        assertEquals(0, run.exitCode());
        for (final String phrase : List.of("--format=FORMAT", "--out=FILE.jsonl", "online-retail", "rounded",
                "half-even to pence", "cancellations (InvoiceNo starts with C)", "bad-debt adjustments (A)",
                "<= 0.00", "Europe/London", "\"guest-\" + InvoiceNo", "ties keep the order", "Exit codes")) {
            assertTrue(run.out().contains(phrase), () -> "help lacks '" + phrase + "':\n" + run.out());
        }
        run.out().lines().forEach(line -> assertTrue(line.length() <= 80, () -> "help line over 80 columns: " + line));
    }

    private void assertBadRow(final String row, final String reason) throws IOException {
        // line 2 is a good row, so the bad row is line 3
        final String csv = HEADER
                + "536365,85123A,\"WHITE HANGING HEART T-LIGHT HOLDER, LARGE\",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
                + row;
        final Path input = dir.resolve("bad.csv");
        Files.writeString(input, csv, StandardCharsets.UTF_8);
        final Path out = dir.resolve("bad.jsonl");

        final CommandRun run = CommandRun.ringfence("convert", "--format", "online-retail", "--input", input.toString(), "--out", out.toString());

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(input + ":3: "), () -> "message should name the file and line 3: " + run.err());
        assertTrue(run.err().contains(reason), () -> "message should say '" + reason + "': " + run.err());
        assertFalse(Files.exists(out), "no output file after bad input");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    private static ConversionSummary convert(final String csv, final OutputStream out) throws IOException, BadInputException {
        try (EventJsonWriter writer = new EventJsonWriter(out)) {
            return new OnlineRetailConverter().convert(new StringReader(csv), "fixture.csv", writer);
        }
    }

    private Path gzip(final String name, final String text) throws IOException {
        final Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private static List<String> lines(final String text) {
        assertTrue(text.isEmpty() || text.endsWith("\n"), "every line ends with a newline");
        return text.lines().toList();
    }
}

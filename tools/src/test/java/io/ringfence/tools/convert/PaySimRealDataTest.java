package io.ringfence.tools.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.tools.CommandRun;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Converts both real PaySim files (shared/data/README.md §3) and runs every output line through
 * the engine's {@link JsonEventParser}: nothing may be rejected. Counts are checked against the
 * README's published numbers and against the CSV read with nothing but {@code String.split};
 * every order is checked against its source row (found by its row number). Fails (never skips)
 * when a data file is absent.
 */
class PaySimRealDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldConvertTheExactPrefixInStepOrder() throws Exception {
        final Counts counts = convertAndCheck(realDataFile("paysim/paysim_first5330.csv"), 5_330, 42);
        // README §3a: all of steps 1-4 (2,708 + 1,014 + 552 + 565) and the first 491 rows of step 5
        assertEquals(Map.of(1, 2_708L, 2, 1_014L, 3, 552L, 4, 565L, 5, 491L), counts.ordersPerStep);
        assertTrue(counts.fileOrderKept, "the prefix is already in step order, so orders must come out in row order");
    }

    @Test
    void shouldConvertTheShuffledFraudEnrichedSampleSortedByStep() throws Exception {
        final Counts counts = convertAndCheck(realDataFile("paysim/paysim_sample_steps1-119_allfraud_plus50k_legit.csv"), 51_392, 1_392);
        assertEquals(119, counts.ordersPerStep.size(), "steps 1-119 all present");
        assertEquals(1, counts.ordersPerStep.firstKey());
        assertEquals(119, counts.ordersPerStep.lastKey());
        assertFalse(counts.fileOrderKept, "the sample is shuffled; sorted output cannot be in row order");
    }

    private Counts convertAndCheck(final Path data, final int rows, final long publishedFraud) throws Exception {
        final List<String> csv = Files.readAllLines(data, StandardCharsets.UTF_8);
        assertEquals(rows + 1, csv.size(), "header + rows");
        long independentFraud = 0;
        for (final String row : csv.subList(1, csv.size())) {
            final String label = row.split(",", -1)[9];
            if (label.equals("1") || label.equals("1.0")) {
                independentFraud++;
            }
        }
        assertEquals(publishedFraud, independentFraud, "isFraud=1 rows per shared/data/README.md");

        final Path out = dir.resolve("paysim.jsonl");
        final CommandRun run = CommandRun.ringfence("convert", "--format", "paysim", "--input", data.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains(rows + " rows read, " + rows + " transactions, " + 2 * rows
                + " events written; transactions skipped: bad-row 0"), run.err());
        assertTrue(run.err().contains("labels (on orders): " + independentFraud + " fraud (isFraud 1)"), run.err());

        final JsonEventParser parser = new JsonEventParser();
        final ParseResult result = new ParseResult();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        final Counts counts = new Counts();
        final boolean[] seen = new boolean[rows + 1];
        Instant previous = Instant.MIN;
        JsonNode lastOrder = null;
        long previousRow = 0;
        long line = 0;
        try (BufferedReader reader = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                line++;
                final int length = parser.parse(text, line, line, buffer, 0, result);
                assertTrue(length != JsonEventParser.REJECTED && !result.isRejected(), "line " + line + " rejected: " + result + "\n" + text);
                final JsonNode event = JSON.readTree(text);
                final Instant time = Instant.parse(event.get("time").asText());
                assertTrue(!time.isBefore(previous), "line " + line + " is earlier than the line before it");
                previous = time;
                assertEquals("USD", event.get("currency").asText());
                if (line % 2 == 1) {
                    assertEquals("order", event.get("type").asText(), "odd lines are orders: line " + line);
                    final int row = Integer.parseInt(event.get("orderId").asText().substring(PaySimConverter.ID_PREFIX.length()));
                    assertFalse(seen[row], "row " + row + " written twice");
                    seen[row] = true;
                    if (row < previousRow) {
                        counts.fileOrderKept = false;
                    }
                    previousRow = row;
                    checkAgainstSource(event, csv.get(row).split(",", -1), time, row);
                    counts.fraud += event.get("label").asInt();
                    counts.ordersPerStep.merge((int) Duration.between(PaySimConverter.EPOCH, time).toHours() + 1, 1L, Long::sum);
                    lastOrder = event;
                } else {
                    assertEquals("payment", event.get("type").asText(), "even lines are payments: line " + line);
                    assertEquals(lastOrder.get("orderId").asText() + "-p", event.get("paymentId").asText());
                    assertEquals(lastOrder.get("orderId").asText(), event.get("orderId").asText());
                    assertEquals(lastOrder.get("userId").asText(), event.get("userId").asText());
                    assertEquals(lastOrder.get("instrumentId").asText(), event.get("instrumentId").asText());
                    assertEquals(lastOrder.get("amount").asText(), event.get("amount").asText());
                    assertEquals(lastOrder.get("time").asText(), event.get("time").asText());
                    assertEquals("AUTHORIZED", event.get("result").asText());
                    assertFalse(event.has("label"), "payments carry no label: line " + line);
                }
            }
        }
        assertEquals(2L * rows, line);
        assertEquals(independentFraud, counts.fraud);
        System.out.printf("paysim: %s%n", run.err().strip());
        return counts;
    }

    /** The order must be its source row: step, type, amount (exact), accounts and label. */
    private static void checkAgainstSource(final JsonNode order, final String[] f, final Instant time, final int row) {
        final String where = "row " + row + " (" + String.join(",", f) + ")";
        assertEquals(PaySimConverter.EPOCH.plus(Duration.ofHours(Long.parseLong(f[0]) - 1)), time, where);
        assertEquals(f[1], order.get("items").get(0).get("sku").asText(), where);
        assertEquals(1, order.get("items").size(), where);
        assertEquals(1, order.get("items").get(0).get("qty").asInt(), where);
        final BigDecimal amount = new BigDecimal(order.get("amount").asText());
        assertEquals(0, amount.compareTo(new BigDecimal(f[2])), where + " amount " + amount);
        assertEquals(2, amount.scale(), where);
        assertEquals(order.get("amount").asText(), order.get("items").get(0).get("unitPrice").asText(), where);
        assertEquals(f[3], order.get("userId").asText(), where);
        assertEquals(f[3], order.get("instrumentId").asText(), where);
        assertEquals(f[6], order.get("merchantId").asText(), where);
        assertEquals(f[9].startsWith("1") ? 1 : 0, order.get("label").asInt(), where);
    }

    private static Path realDataFile(final String relative) {
        return SharedDataFiles.require(relative, "PaySim", 3);
    }

    private static final class Counts {
        final TreeMap<Integer, Long> ordersPerStep = new TreeMap<>();
        long fraud;
        boolean fileOrderKept = true;
    }
}

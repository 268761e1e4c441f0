package io.ringfence.tools.convert;

import io.ringfence.tools.CommandRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Converts the complete Online Retail file and checks the output, summed per (country, hour)
 * from the JSON Lines themselves, against {@link OnlineRetailIndependentTotals}, which shares
 * no code with the converter. Fails (never skips) when the data file is absent.
 */
class OnlineRetailRealDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldMatchIndependentlyComputedHourlyTotalsPerCountryOnTheRealData() throws Exception {
        final Path data = OnlineRetailIndependentTotals.realDataFile();
        final Path out = dir.resolve("online-retail.jsonl");

        final CommandRun run = CommandRun.ringfence("convert", "--format", "online-retail", "--input", data.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());

        // Published counts for the UCI file (shared/data/README.md section 1).
        assertTrue(run.err().contains("541909 rows read, 25900 invoices, "), run.err());
        assertTrue(run.err().contains("cancellation 3836, "), run.err());

        final Map<String, long[]> actual = new TreeMap<>();
        final Set<String> orderIds = new HashSet<>();
        Instant previous = Instant.MIN;
        long lines = 0;
        try (BufferedReader reader = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines++;
                final JsonNode order = JSON.readTree(line);
                final Instant time = Instant.parse(order.get("time").asText());
                assertTrue(!time.isBefore(previous), "line " + lines + " is earlier than the line before it");
                previous = time;
                assertTrue(orderIds.add(order.get("orderId").asText()), "orderId repeated on line " + lines);
                final BigDecimal amount = new BigDecimal(order.get("amount").asText());
                assertEquals(2, amount.scale(), "amount in pence on line " + lines);
                assertTrue(amount.signum() > 0, "positive amount on line " + lines);
                final long[] cell = actual.computeIfAbsent(
                        OnlineRetailIndependentTotals.key(order.get("country").asText(), time), k -> new long[2]);
                cell[0]++;
                cell[1] += amount.unscaledValue().longValueExact();
            }
        }

        final Map<String, long[]> expected = OnlineRetailIndependentTotals.expected(data);
        assertSameCells(expected, actual);
        final long[] total = OnlineRetailIndependentTotals.grandTotal(expected);
        assertEquals(lines, total[0]);
        assertTrue(run.err().contains(lines + " orders written"), run.err());
        System.out.printf("online-retail: %s%n  %d (country, hour) cells, %d orders, grand total %d pence%n",
                run.err().strip(), expected.size(), total[0], total[1]);
    }

    private static void assertSameCells(final Map<String, long[]> expected, final Map<String, long[]> actual) {
        final List<String> differences = new ArrayList<>();
        final Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (final String key : keys) {
            final long[] e = expected.getOrDefault(key, new long[2]);
            final long[] a = actual.getOrDefault(key, new long[2]);
            if (e[0] != a[0] || e[1] != a[1]) {
                differences.add(key + ": expected {count " + e[0] + ", pence " + e[1] + "} but converter gave {count " + a[0] + ", pence " + a[1] + "}");
            }
        }
        if (!differences.isEmpty()) {
            fail(differences.size() + " of " + keys.size() + " (country, hour) cells differ, first ones:\n"
                    + String.join("\n", differences.subList(0, Math.min(20, differences.size()))));
        }
    }
}

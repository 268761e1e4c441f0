package io.ringfence.tools.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Acceptance of the engine core on real data: the Online Retail invoices, converted and run
 * through journal and pipeline with a one-hour tumbling window of count and sum(amount) by
 * country, give exactly the totals {@link OnlineRetailIndependentTotals} computes from the CSV
 * without any of the engine's code.
 */
class OnlineRetailWindowTotalsTest {
    @TempDir
    Path dir;

    @Test
    void shouldGiveExactlyTheIndependentHourlyTotalsPerCountry() throws IOException {
        final Path csv = OnlineRetailIndependentTotals.realDataFile();
        final Path events = dir.resolve("orders.jsonl");
        final CommandRun convert = CommandRun.ringfence("convert", "--format", "online-retail", "--input", csv.toString(),
                "--out", events.toString());
        assertEquals(0, convert.exitCode(), convert.err());

        final Path config = dir.resolve("country.yaml");
        Files.writeString(config, String.join("\n",
                "windows:",
                "  - name: gmv_by_country_1h",
                "    key: country",
                "    kind: tumbling",
                "    size: 1h",
                "    lateness: 0s",
                "    metrics: [count, sum(amount)]", ""));
        final Path out = dir.resolve("out.jsonl");
        final CommandRun run = CommandRun.ringfence("run", "--input", events.toString(), "--data", dir.resolve("data").toString(),
                "--out", out.toString(), "--config", config.toString());
        assertEquals(0, run.exitCode(), run.err());

        final ObjectMapper json = new ObjectMapper();
        final Map<String, long[]> actual = new TreeMap<>();
        long late = -1;
        long decisions = 0;
        try (BufferedReader reader = Files.newBufferedReader(out)) {
            String line;
            while ((line = reader.readLine()) != null) {
                final JsonNode n = json.readTree(line);
                if ("decision".equals(n.get("type").asText())) {
                    decisions++;
                    continue;
                }
                if ("fraudAlert".equals(n.get("type").asText()) || "trendingPush".equals(n.get("type").asText())) {
                    continue; // a held invoice is pushed to fraud-alert subscribers too; best sellers to trending ones
                }
                if ("orderStatusPush".equals(n.get("type").asText())) {
                    continue; // each invoice is CREATED, and (no payments in this data) UNPAID_OVERDUE 30m later
                }
                assertEquals("windowResult", n.get("type").asText(), line);
                assertEquals("GBP", n.get("currency").asText(), line);
                final String key = OnlineRetailIndependentTotals.key(n.get("key").asText(), Instant.parse(n.get("start").asText()));
                final long pence = new BigDecimal(n.get("sum").asText()).movePointRight(2).longValueExact();
                final long[] previous = actual.put(key, new long[] {n.get("count").asLong(), pence});
                assertEquals(null, previous, "one result per country and hour: " + key);
                late = n.get("lateTotal").asLong();
            }
        }
        assertEquals(0, late, "the converted file is in time order: nothing is late");
        assertEquals(19_959, decisions, "every invoice (order) is answered with a decision");
        final Map<String, long[]> expected = OnlineRetailIndependentTotals.expected(csv);
        assertEquals(expected.size(), actual.size(), "number of (country, hour) cells");
        for (final Map.Entry<String, long[]> e : expected.entrySet()) {
            final long[] a = actual.get(e.getKey());
            assertEquals(e.getValue()[0], a == null ? -1 : a[0], "count of " + e.getKey());
            assertEquals(e.getValue()[1], a == null ? -1 : a[1], "sum in pence of " + e.getKey());
        }
    }
}

package io.ringfence.tools.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.engine.anomaly.AnomalyDetector;
import io.ringfence.engine.anomaly.AnomalyResult;
import io.ringfence.engine.anomaly.AnomalySpec;
import io.ringfence.tools.CommandRun;
import io.ringfence.tools.convert.OnlineRetailIndependentTotals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The measurement's detector is the engine's: Online Retail converted to events and run through
 * journal and pipeline ({@code ringfence run}) with an {@code anomalies:} monitor on the UK's
 * hourly orders and revenue raises exactly the alerts (hour, observed, expected, score) that
 * {@link OnlineRetailAnomalyDetectionTest}'s harness computes for the same clean series and
 * settings, with each forecast ({@code forecast: seasonal-mean} and {@code forecast: blend} on a
 * third and fourth monitor of the UK's orders). So the figures measured there are what a shop running the engine gets.
 */
class OnlineRetailAnomalyWiredTest {
    private static final String UK = "United Kingdom";

    @TempDir
    Path dir;

    @Test
    void shouldRaiseTheHarnessAlertsThroughTheRealPipeline() throws IOException {
        final List<OnlineRetailAnomalyDetectionTest.Series> all = OnlineRetailAnomalyDetectionTest.series();
        final Path csv = OnlineRetailIndependentTotals.realDataFile();
        final Path events = dir.resolve("orders.jsonl");
        final CommandRun convert = CommandRun.ringfence("convert", "--format", "online-retail", "--input", csv.toString(),
            "--out", events.toString());
        assertEquals(0, convert.exitCode(), convert.err());
        final Path config = dir.resolve("anomalies.yaml");
        Files.writeString(config, String.join("\n",
            "windows:",
            "  - name: gmv_by_country_1h",
            "    key: country",
            "    kind: tumbling",
            "    size: 1h",
            "    lateness: 0s",
            "    metrics: [count, sum(amount)]",
            "anomalies:",
            "  - name: uk_orders",
            "    window: gmv_by_country_1h",
            "    metric: count",
            "    keys: [" + UK + "]",
            "    detector: {timeZone: " + OnlineRetailAnomalyDetectionTest.SHOP_ZONE + ", closed: [" + String.join(", ", OnlineRetailAnomalyDetectionTest.CLOSURES) + "]}",
            "  - name: uk_revenue",
            "    window: gmv_by_country_1h",
            "    metric: sum(amount)",
            "    keys: [" + UK + "]",
            "    detector: {timeZone: " + OnlineRetailAnomalyDetectionTest.SHOP_ZONE + ", closed: [" + String.join(", ", OnlineRetailAnomalyDetectionTest.CLOSURES) + "]}",
            "  - name: uk_orders_median",
            "    window: gmv_by_country_1h",
            "    metric: count",
            "    keys: [" + UK + "]",
            "    detector: {forecast: seasonal-mean, timeZone: " + OnlineRetailAnomalyDetectionTest.SHOP_ZONE + ", closed: ["
                + String.join(", ", OnlineRetailAnomalyDetectionTest.CLOSURES) + "]}",
            "  - name: uk_orders_blend",
            "    window: gmv_by_country_1h",
            "    metric: count",
            "    keys: [" + UK + "]",
            "    detector: {forecast: blend, timeZone: " + OnlineRetailAnomalyDetectionTest.SHOP_ZONE + ", closed: ["
                + String.join(", ", OnlineRetailAnomalyDetectionTest.CLOSURES) + "]}", ""));
        final Path out = dir.resolve("out.jsonl");
        final CommandRun run = CommandRun.ringfence("run", "--input", events.toString(), "--data", dir.resolve("data").toString(),
            "--out", out.toString(), "--config", config.toString());
        assertEquals(0, run.exitCode(), run.err());

        final List<String> orders = new ArrayList<>();
        final List<String> revenue = new ArrayList<>();
        final List<String> median = new ArrayList<>();
        final List<String> blend = new ArrayList<>();
        final ObjectMapper json = new ObjectMapper();
        try (BufferedReader reader = Files.newBufferedReader(out)) {
            String line;
            while ((line = reader.readLine()) != null) {
                final JsonNode n = json.readTree(line);
                if (!"anomalyAlert".equals(n.get("type").asText())) {
                    continue;
                }
                assertEquals("gmv_by_country_1h", n.get("window").asText(), line);
                assertEquals(UK, n.get("key").asText(), line);
                final String row = row(Instant.parse(n.get("time").asText()).getEpochSecond() * 1_000_000L, n.get("observed").asDouble(),
                    n.get("expected").asDouble(), n.get("score").asDouble());
                final String text = n.get("text").asText();
                (text.startsWith("uk_orders ") ? orders : text.startsWith("uk_orders_median ") ? median
                    : text.startsWith("uk_orders_blend ") ? blend : revenue).add(row);
            }
        }
        final List<String> expectedOrders = harness(all.get(0), OnlineRetailAnomalyDetectionTest.defaults(all.get(0)));
        final List<String> expectedRevenue = harness(all.get(1), OnlineRetailAnomalyDetectionTest.defaults(all.get(1)));
        assertTrue(all.get(0).name().startsWith(UK) && all.get(1).name().startsWith(UK));
        assertTrue(expectedOrders.size() > 10, "the clean series has alerts to compare: " + expectedOrders.size());
        assertEquals(expectedOrders, orders, "UK orders/h alerts");
        assertEquals(expectedRevenue, revenue, "UK revenue/h alerts");
        final List<String> expectedMedian = harness(all.get(0), OnlineRetailAnomalyDetectionTest.seasonalMedian(all.get(0)));
        assertTrue(expectedMedian.size() > 10 && !expectedMedian.equals(expectedOrders), "the seasonal mean alerts on its own hours: " + expectedMedian.size());
        assertEquals(expectedMedian, median, "UK orders/h alerts, forecast: seasonal-mean");
        final List<String> expectedBlend = harness(all.get(0), OnlineRetailAnomalyDetectionTest.blend(all.get(0)));
        assertTrue(expectedBlend.size() > 10 && !expectedBlend.equals(expectedOrders) && !expectedBlend.equals(expectedMedian),
            "the blend alerts on its own hours: " + expectedBlend.size());
        assertEquals(expectedBlend, blend, "UK orders/h alerts, forecast: blend");
    }

    /** The harness's alerts on the clean series: the hour's start, observed, expected, score. */
    private static List<String> harness(final OnlineRetailAnomalyDetectionTest.Series s, final AnomalySpec spec) {
        final int[] phases = s.phases(spec);
        final AnomalyDetector d = new AnomalyDetector(spec);
        final List<String> rows = new ArrayList<>();
        for (int t = 0; t < s.values().length; t++) {
            final long start = (s.firstHour() + t) * OnlineRetailAnomalyDetectionTest.HOUR_MICROS;
            final AnomalyResult r = d.observeAt(start, s.values()[t], phases[t]);
            if (r.isAlert()) {
                rows.add(row(start, r.alertObserved(), r.alertExpected(), r.alertScore()));
            }
        }
        return rows;
    }

    private static String row(final long start, final double observed, final double expected, final double score) {
        return Instant.ofEpochSecond(start / 1_000_000L) + " " + observed + " " + expected + " " + score;
    }
}

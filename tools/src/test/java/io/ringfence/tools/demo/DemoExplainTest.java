package io.ringfence.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code explain} on orders of a demo run (engine + gateway + shop over TCP) gives the decision each
 * order actually received over the wire at the time: outcome, score bits and reasons, for every
 * held order and a spread of approved ones.
 */
class DemoExplainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void explainMatchesTheDecisionsTheShopReceived() throws Exception {
        final Path data = dir.resolve("demo");
        final Path received = dir.resolve("decisions.jsonl");
        final CommandRun demo = CommandRun.ringfence("demo", "--events", "4000", "--warmup", "0", "--rate", "8000",
                "--users", "200", "--fraud-rate", "0.03", "--data", data.toString(), "--decisions", received.toString());
        assertEquals(0, demo.exitCode(), demo.err() + demo.out());
        assertTrue(demo.out().contains("./ringfence explain --data " + data), demo.out());
        assertTrue(Files.isRegularFile(data.resolve("ringfence-config.yaml")), "the demo records its configuration");

        // orders only (explain takes an order or payment id; payments are explained the same way)
        final Map<String, JsonNode> byOrder = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(received)) {
            final JsonNode d = JSON.readTree(line);
            if (d.has("orderId") && !d.has("paymentId")) {
                final JsonNode before = byOrder.putIfAbsent(d.get("orderId").asText(), d);
                if (before != null) {
                    assertEquals(before, d, "a resent order is answered with the same decision");
                }
            }
        }
        final List<String> held = new ArrayList<>();
        final List<String> approved = new ArrayList<>();
        byOrder.forEach((id, d) -> (d.get("decision").asText().equals("APPROVE") ? approved : held).add(id));
        assertFalse(held.isEmpty(), "the demo's fraud patterns put some orders on review or decline");
        // the demo names something to explain: the first DECLINE the shop received, order or payment
        final java.util.regex.Matcher hint = java.util.regex.Pattern.compile("explain --data \\S+ --order (\\S+) +\\(the first declined (\\w+) after the warm-up")
                .matcher(demo.out());
        assertTrue(hint.find(), demo.out());
        JsonNode firstDecline = null;
        for (final String line : Files.readAllLines(received)) {
            final JsonNode d = JSON.readTree(line);
            if (firstDecline == null && d.get("decision").asText().equals("DECLINE")) {
                firstDecline = d;
            }
        }
        assertTrue(firstDecline != null, "the fraud patterns decline something");
        final String kind = firstDecline.has("paymentId") ? "payment" : "order";
        assertEquals(kind, hint.group(2));
        assertEquals(firstDecline.get(kind + "Id").asText(), hint.group(1), "the hint is the first decline received");
        final CommandRun hinted = CommandRun.ringfence("explain", "--data", data.toString(), "--order", hint.group(1), "--json");
        assertEquals(0, hinted.exitCode(), hinted.err());
        assertTrue(hinted.out().contains("\"decision\":\"DECLINE\""), hinted.out());
        final List<String> sample = new ArrayList<>(held.subList(0, Math.min(12, held.size())));
        for (int i = 0; i < 8; i++) {
            sample.add(approved.get(i * (approved.size() - 1) / 7));
        }
        for (final String id : sample) {
            final CommandRun explain = CommandRun.ringfence("explain", "--data", data.toString(), "--order", id, "--json");
            assertEquals(0, explain.exitCode(), explain.err());
            final JsonNode e = JSON.readTree(explain.out().trim().lines().reduce((a, b) -> b).orElseThrow());
            final JsonNode d = byOrder.get(id);
            assertEquals(d.get("seq").asLong(), e.get("seq").asLong(), id);
            assertEquals(d.get("decision").asText(), e.get("decision").asText(), id);
            assertEquals(Double.doubleToRawLongBits(d.get("score").asDouble()), Double.doubleToRawLongBits(e.get("score").asDouble()), id);
            assertEquals(d.get("reasons") == null ? List.of() : JSON.convertValue(d.get("reasons"), List.class),
                    JSON.convertValue(e.get("reasons"), List.class), id);
        }
    }
}

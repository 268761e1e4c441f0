package io.ringfence.tools.fraud;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refunds and chargebacks are not scored; {@code explain} of one says so and succeeds, rather than
 * blaming {@code fraud.enabled} (review of the change that stopped scoring them).
 */
class ExplainRefundTest {
    @TempDir
    Path dir;

    @Test
    void saysARefundWasNotScoredAndWhy() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of(
            "{\"type\":\"order\",\"time\":\"2026-01-05T10:01:00Z\",\"orderId\":\"o-1\",\"userId\":\"u-1\",\"amount\":\"30.00\","
                + "\"currency\":\"EUR\",\"instrumentId\":\"card-1\"}",
            "{\"type\":\"payment\",\"time\":\"2026-01-05T10:01:05Z\",\"paymentId\":\"p-1\",\"orderId\":\"o-1\",\"userId\":\"u-1\","
                + "\"instrumentId\":\"card-1\",\"amount\":\"30.00\",\"currency\":\"EUR\",\"result\":\"AUTHORIZED\"}",
            "{\"type\":\"payment\",\"time\":\"2026-01-05T11:00:00Z\",\"paymentId\":\"r-1\",\"orderId\":\"o-1\",\"userId\":\"u-1\","
                + "\"instrumentId\":\"card-1\",\"amount\":\"5.00\",\"currency\":\"EUR\",\"result\":\"REFUNDED\"}"));
        final Path data = dir.resolve("data");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(),
            "--out", dir.resolve("out.jsonl").toString());
        assertEquals(0, run.exitCode(), run.err());
        final String refund = Files.readAllLines(dir.resolve("out.jsonl")).stream()
            .filter(l -> l.contains("\"type\":\"decision\"") && l.contains("\"paymentId\":\"r-1\"")).findFirst().orElseThrow();
        assertTrue(refund.contains("\"decision\":\"APPROVE\"") && refund.contains("\"reasons\":[]"), "approved unscored: " + refund);
        assertTrue(run.out().contains("1 partial refunds") || run.err().contains("1 partial refunds"),
            "the summary counts the partial refund: " + run.out() + run.err());

        final CommandRun explain = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "r-1");
        assertEquals(0, explain.exitCode(), explain.err());
        assertTrue(explain.err().contains("seq 3 is a refund or chargeback of 'r-1': not scored"), explain.err());
        assertFalse(explain.err().contains("fraud.enabled"), explain.err());
        // --json: a line on stdout for it, not nothing (model trial)
        final CommandRun json = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "r-1", "--json");
        assertEquals(0, json.exitCode(), json.err());
        final com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out().trim());
        assertEquals(3, n.get("seq").asLong());
        assertEquals("r-1", n.get("paymentId").asText());
        assertFalse(n.get("scored").asBoolean(), n.toString());

        // analyst trial: a payment's explanation listed the orders-only NEW_ACCOUNT_FAST_ORDER as not fired while
        // seconds_since_signup met it; rules now say which events they are on and whether they apply to this one
        final CommandRun paid = CommandRun.ringfence("explain", "--data", data.toString(), "--order", "p-1");
        assertEquals(0, paid.exitCode(), paid.err());
        assertTrue(paid.out().matches("(?s).*n/a\\s+NEW_ACCOUNT_FAST_ORDER .*\\(on: order only, not payments\\).*"), paid.out());
        assertTrue(paid.out().matches("(?s).*\\n  -\\s+CARD_TESTING .*"), "a payments rule that did not fire: " + paid.out());
        final com.fasterxml.jackson.databind.JsonNode p = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
            CommandRun.ringfence("explain", "--data", data.toString(), "--order", "p-1", "--json").out().trim());
        int checked = 0;
        for (final com.fasterxml.jackson.databind.JsonNode rule : p.get("rules")) {
            if (rule.get("reason").asText().equals("NEW_ACCOUNT_FAST_ORDER")) {
                assertEquals("order", rule.get("on").asText(), rule.toString());
                assertFalse(rule.get("applies").asBoolean(), rule.toString());
                checked++;
            } else if (rule.get("reason").asText().equals("CARD_TESTING")) {
                assertTrue(rule.get("applies").asBoolean(), rule.toString());
                checked++;
            }
        }
        assertEquals(2, checked, "both rules are listed: " + p.get("rules"));
    }
}

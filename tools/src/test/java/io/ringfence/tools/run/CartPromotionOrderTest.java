package io.ringfence.tools.run;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push-contract audit: a cart promotion an event reveals (its deadline passed by the event's time) leaves before that
 * event's own pushes, as the README says ("at the first event whose time is after it, before that event is handled"). It
 * came after the order's CREATED push and its trending list, so a subscriber of the user read "order created" and then
 * "cart abandoned", the times of one event's pushes going backwards.
 */
class CartPromotionOrderTest {
    @TempDir
    Path dir;

    @Test
    void aPromotionDueByAnOrdersTimeComesBeforeThatOrdersPushes() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of(
                "{\"type\":\"activity\",\"time\":\"2026-12-01T13:00:00Z\",\"userId\":\"c12\",\"kind\":\"ADD_TO_CART\",\"sku\":\"B\"}",
                "{\"type\":\"order\",\"time\":\"2026-12-01T13:30:00.000001Z\",\"orderId\":\"co12\",\"userId\":\"c12\",\"amount\":\"1.00\","
                        + "\"currency\":\"EUR\",\"items\":[{\"sku\":\"B\",\"qty\":1,\"unitPrice\":\"1.00\",\"category\":\"k\"}]}"));
        final Path config = dir.resolve("c.yaml");
        Files.writeString(config, "windows: []\ncarts:\n  delay: 30m\n");
        final Path out = dir.resolve("out.jsonl");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("data").toString(),
                "--out", out.toString(), "--config", config.toString());
        assertEquals(0, run.exitCode(), run.err());
        final List<String> atOrder = Files.readAllLines(out).stream().filter(l -> l.contains("\"seq\":2,")).toList();
        assertEquals(4, atOrder.size(), atOrder.toString());
        assertTrue(atOrder.get(0).startsWith("{\"type\":\"trendingPush\"") && atOrder.get(0).contains("cartAbandoned")
                && atOrder.get(0).contains("\"time\":\"2026-12-01T13:30:00Z\""), "the promotion first: " + atOrder);
        // then the order's own: its decision, its CREATED push, the sales list it changed
        assertTrue(atOrder.get(1).startsWith("{\"type\":\"decision\""), atOrder.toString());
        assertTrue(atOrder.get(2).startsWith("{\"type\":\"orderStatusPush\"") && atOrder.get(2).contains("CREATED"), atOrder.toString());
        assertTrue(atOrder.get(3).startsWith("{\"type\":\"trendingPush\"") && atOrder.get(3).contains("trendingSales"), atOrder.toString());
    }
}

package io.ringfence.engine.commerce;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ringfence.engine.commerce.CommerceHarness.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An order event sent again under its orderId (a shop's retry) is ignored by the lifecycle and, since
 * the order stage knows it is a repeat, not counted again by trending (pushes trial: A x2 re-sent
 * twice ranked A 6 above B 3).
 */
class RepeatedOrderTrendingTest {
    private static String line(final String sku, final int qty) {
        return "{\"sku\":\"" + sku + "\",\"qty\":" + qty + ",\"unitPrice\":\"1.00\",\"category\":\"toys\"}";
    }

    @Test
    void shouldNotCountARepeatedOrderInTrending() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.trending.enabled = true;
            c.trending.minInterval = "1m";
            c.decisions.repeats = "again"; // the order book's own defence against retries (decisions.repeats: first answers them first: RepeatedIdTest)
        });
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", line("A", 2)));
        h.send(order("2026-01-05T10:00:10Z", "o2", "u1", line("B", 3)));
        h.send(order("2026-01-05T10:00:20Z", "o1", "u1", line("A", 2)));
        h.send(order("2026-01-05T10:00:30Z", "o1", "u1", line("A", 2)));
        final List<String> pushes = h.pushes(order("2026-01-05T10:01:10Z", "o3", "u1", line("C", 1)));
        final List<String> trending = pushes.stream().filter(s -> s.contains("trendingSales")).toList();
        assertEquals(1, trending.size(), pushes.toString());
        assertTrue(trending.get(0).contains("\"items\":[{\"sku\":\"B\",\"count\":3},{\"sku\":\"A\",\"count\":2},{\"sku\":\"C\",\"count\":1}]"),
            trending.get(0));
        assertEquals(2, h.commerce().duplicateOrders());
    }
}

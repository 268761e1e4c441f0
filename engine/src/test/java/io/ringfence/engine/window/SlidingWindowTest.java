package io.ringfence.engine.window;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static io.ringfence.engine.window.TestEvents.HOUR;
import static io.ringfence.engine.window.TestEvents.MINUTE;
import static io.ringfence.engine.window.TestEvents.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlidingWindowTest {
    private final Harness h = new Harness(new WindowConfig().name("user_1h").key("user").kind("sliding").size("1h").step("15m")
        .metrics("count", "sum(amount)", "distinct(deviceId)"));
    private final SlidingWindow w = h.aggregator.sliding("user_1h");
    private final WindowView view = new WindowView();
    private final long u1 = w.keyHash("EUR", "u1");
    private final int devices = w.distinctIndex("deviceId");

    private boolean query(final long asOfMinutes) {
        return w.query(u1, asOfMinutes * MINUTE, view);
    }

    @Test
    void shouldAggregateThePanesEndingWithTheAsOfPane() {
        assertTrue(h.feedAll(
            order(5 * MINUTE).user("u1").amount(100).device("d1"),
            order(20 * MINUTE).user("u1").amount(200).device("d2"),
            order(50 * MINUTE).user("u1").amount(300).device("d1")).isEmpty(), "sliding windows never emit");

        assertTrue(query(50));                      // panes 0, 15, 30, 45 → events 5, 20, 50
        assertEquals(0, view.start());
        assertEquals(60 * MINUTE, view.end());
        assertEquals(3, view.count());
        assertEquals(600, view.sum());
        assertEquals(100, view.min());
        assertEquals(300, view.max());
        assertEquals(200, view.mean());
        assertEquals(2, view.distinct(devices));

        h.feed(order(70 * MINUTE).user("u1").amount(400).device("d3")); // watermark 70: pane 0 released
        assertTrue(query(70));                      // panes 15..60 → events 20, 50, 70
        assertEquals(3, view.count());
        assertEquals(900, view.sum());
        assertEquals(3, view.distinct(devices));

        assertFalse(query(50), "range starts in a released pane");
        assertEquals(2, view.count(), "only the 20m and 50m events are still kept");
        assertEquals(500, view.sum());

        h.feed(order(100 * MINUTE).user("u1").amount(500).device("d1"));
        assertTrue(query(100));                     // panes 45..90 → events 50, 70, 100
        assertEquals(3, view.count());
        assertEquals(1200, view.sum());
        assertEquals(2, view.distinct(devices));

        assertTrue(query(5 * 60));
        assertEquals(0, view.count(), "nothing in the future");
        assertEquals(0, view.sum());
    }

    @Test
    void shouldCountLateEventsWithoutMergingThem() {
        h.feedAll(order(50 * MINUTE).user("u1").amount(300), order(100 * MINUTE).user("u1").amount(500));
        h.feed(order(80 * MINUTE).user("u1").amount(7)); // pane [75,90) closed at watermark 100
        assertEquals(1, h.aggregator.lateCount("user_1h"));
        query(100);
        assertEquals(800, view.sum());
        h.feed(order(95 * MINUTE).user("u1").amount(9)); // pane [90,105) still open
        query(100);
        assertEquals(809, view.sum());
    }

    @Test
    void shouldEvictKeyWhenAllItsPanesExpire() {
        h.feedAll(order(5 * MINUTE).user("u1"), order(100 * MINUTE).user("u1"));
        assertEquals(1, h.aggregator.liveKeys("user_1h"));
        h.feed(order(3 * HOUR).user("u2"));          // u1's newest pane [90,105) expires at 150m
        assertEquals(1, h.aggregator.liveKeys("user_1h"));
        assertFalse(query(100));
        assertEquals(0, view.count());
        assertTrue(w.query(w.keyHash("EUR", "u2"), 3 * HOUR, view));
        assertEquals(1, view.count());
    }

    @Test
    void shouldHashEventKeysTheWayTheWindowStoresThem() {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
        order(MINUTE).user("u1").currency("EUR").encode(buffer, 8);
        assertEquals(u1, w.keyHash(buffer, 8));
        order(MINUTE).user("u1").currency("GBP").encode(buffer, 8);
        assertNotEquals(u1, w.keyHash(buffer, 8), "money windows keep currencies apart");
        order(MINUTE).user("").encode(buffer, 8);
        assertEquals(SlidingWindow.NO_KEY, w.keyHash(buffer, 8));

        h.feed(order(MINUTE).user("u1").currency("GBP").amount(5));
        order(MINUTE).user("u1").currency("GBP").encode(buffer, 8);
        w.query(w.keyHash(buffer, 8), MINUTE, view);
        assertEquals(5, view.sum());
        w.query(u1, MINUTE, view);
        assertEquals(0, view.count());
    }

    @Test
    void shouldHashCompositeKeysWithoutCurrencyWhenNoMoneyMetric() {
        final Harness c = new Harness(new WindowConfig().name("ud").key("user", "device").kind("sliding").size("10m").step("1m")
            .events("order", "activity").metrics("count"));
        final SlidingWindow s = c.aggregator.sliding("ud");
        c.feedAll(order(MINUTE).user("a").device("d").currency("EUR"), order(2 * MINUTE).user("a").device("d").currency("GBP"),
            TestEvents.activity(3 * MINUTE).user("a").device("d"));
        s.query(s.keyHash(null, "a", "d"), 3 * MINUTE, view);
        assertEquals(3, view.count());
    }
}

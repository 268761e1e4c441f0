package io.ringfence.engine.window;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ringfence.engine.window.TestEvents.MINUTE;
import static io.ringfence.engine.window.TestEvents.order;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EvictionTest {
    @Test
    void shouldDropNewKeysBeyondMaxKeysAndAcceptThemOnceClosedWindowsFreeRoom() {
        final Harness h = new Harness(new WindowConfig().name("u").key("user").kind("tumbling").size("1h").maxKeys(2).metrics("count"));
        h.feedAll(order(10 * MINUTE).user("u1"), order(20 * MINUTE).user("u2"), order(30 * MINUTE).user("u3"));
        assertEquals(1, h.aggregator.keysDropped("u"));
        assertEquals(2, h.aggregator.liveKeys("u"));

        final List<Harness.Result> closed = h.feed(order(70 * MINUTE).user("u1"));
        assertEquals(List.of("u u1 [0,3600000000) n=1", "u u2 [0,3600000000) n=1"),
            closed.stream().map(Harness.Result::brief).toList(), "the dropped u3 is not reported");
        assertEquals(1, h.aggregator.liveKeys("u"), "u1 and u2 evicted at close, u1 back for the new window");

        h.feed(order(80 * MINUTE).user("u3"));
        h.feed(order(81 * MINUTE).user("u1"));
        assertEquals(2, h.aggregator.liveKeys("u"));
        assertEquals(1, h.aggregator.keysDropped("u"));
        h.feed(order(82 * MINUTE).user("u4"));
        assertEquals(2, h.aggregator.keysDropped("u"));
    }

    @Test
    void shouldReuseEvictedStateForNewKeysWithoutGrowing() {
        final Harness h = new Harness(new WindowConfig().name("s").key("user").kind("sliding").size("10m").step("1m")
            .maxKeys(3).metrics("count", "sum(amount)"));
        // each minute three fresh users: keys expire 10 minutes later, so at most 3 × 11 would be live without the bound
        for (int minute = 0; minute < 100; minute++) {
            for (int u = 0; u < 3; u++) {
                h.feed(order(minute * MINUTE).user("m" + minute + "-" + u));
            }
        }
        assertEquals(3, h.aggregator.liveKeys("s"));
        // the first 3 users fill the window; every user until their panes expire at minute 10 is dropped, and so on
        final SlidingWindow w = h.aggregator.sliding("s");
        final WindowView v = new WindowView();
        w.query(w.keyHash("EUR", "m90-0"), 99 * MINUTE, v);
        assertEquals(1, v.count(), "users of minute 90 were admitted after minute 80's expired");
        assertEquals(300 - 30, h.aggregator.keysDropped("s"));
    }

    @Test
    void shouldReturnHyperLogLogRegistersWhenPanesCloseSoKeyChurnDoesNotGrowMemory() {
        final Harness h = new Harness(new WindowConfig().name("d").key("country").kind("tumbling").size("1h")
            .metrics("distinct(userId)"));
        // 200 hours; each hour a fresh country with 40 users (past the exact bound of 32), so every pane estimates
        for (int hour = 0; hour < 200; hour++) {
            for (int u = 0; u < 40; u++) {
                h.feed(order(hour * 60 * MINUTE + u * MINUTE / 2).country("C" + hour).user("h" + hour + "u" + u));
            }
        }
        assertEquals(1, h.aggregator.liveKeys("d"));
        assertEquals(1, h.aggregator.registerArraysCreated("d"),
            "one pane estimates at a time, so one register array serves all 200 hours");
    }
}

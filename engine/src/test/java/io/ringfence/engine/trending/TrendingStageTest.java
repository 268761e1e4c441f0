package io.ringfence.engine.trending;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.output.OutputBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.ringfence.engine.trending.PushEvents.activity;
import static io.ringfence.engine.trending.PushEvents.at;
import static io.ringfence.engine.trending.PushEvents.order;
import static io.ringfence.engine.trending.PushEvents.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trending lists with hand-worked expectations: ranking and ties, rate limit, sliding expiry, eviction, bounds, views' category. */
class TrendingStageTest {
    private final PushEvents events = new PushEvents();
    private final OutputBuffer out = new OutputBuffer(4096);
    private long seq;

    /** 10 minutes in two 5-minute panes, top 2, at most one examination per category per minute. */
    private static TrendingConfig config() {
        final TrendingConfig c = new TrendingConfig();
        c.size = "10m";
        c.step = "5m";
        c.k = 2;
        c.minInterval = "1m";
        return c;
    }

    private List<String> feed(final TrendingStage stage, final String json) {
        stage.onEvent(++seq, events.encode(json), 0, false, out);
        return events.drain(out);
    }

    private static String push(final long seq, final long seconds, final String window, final String category, final String items) {
        return "{\"type\":\"trendingPush\",\"seq\":" + seq + ",\"time\":\"" + at(seconds) + "\",\"window\":\"" + window
            + "\",\"category\":\"" + category + "\",\"items\":[" + items + "]}";
    }

    private static String item(final String sku, final long count) {
        return "{\"sku\":\"" + sku + "\",\"count\":" + count + "}";
    }

    @Test
    void shouldPushTheTopListWhenItChangesAtMostOncePerMinuteWithTiesBySku() {
        final TrendingStage stage = new TrendingStage(config().validate("trending"));
        assertEquals(List.of(push(1, 0, "trendingSales", "home", item("A", 2))), feed(stage, order(0, "u1", "A", "2", "home")),
            "a category's first list is pushed at once");
        assertEquals(List.of(), feed(stage, order(10, "u1", "B", "2", "home")), "within a minute of the last examination");
        assertEquals(List.of(), feed(stage, order(30, "u1", "C", "5", "home")));
        assertEquals(List.of(push(4, 60, "trendingSales", "home", item("C", 5) + "," + item("B", 3))),
            feed(stage, order(60, "u1", "B", "1", "home")), "a minute on: C 5, B 3, A 2 -> top two C, B");
        assertEquals(List.of(), feed(stage, order(70, "u1", "A", "1", "home")), "A 3 ties B 3 but the list is not due");
        assertEquals(List.of(push(6, 120, "trendingSales", "toys", item("X", 1)),
                push(6, 120, "trendingSales", "home", item("C", 5) + "," + item("A", 3))),
            feed(stage, order(120, "u1", "X", "1", "toys")),
            "another category has its own rate limit; home's change of 70 s is due at 120 s, pushed at this event:"
                + " A and B tie at 3, A first by sku bytes");
        assertEquals(List.of(), feed(stage, order(125, "u1", "D", "1", "home")), "home was examined at 120 s");
        assertEquals(List.of(), feed(stage, order(190, "u1", "D", "1", "home")), "C 5, A 3 unchanged: nothing pushed");
        assertEquals(4, stage.counter("sales", "pushes"), "home three times, toys once");
        assertEquals(0, stage.counter("views", "pushes"));
    }

    @Test
    void shouldComputeAnOrdersListsOnceAllItsLinesAreCounted() {
        // pushes trial: the list was computed after the first line, so an order of A x1 and B x5 pushed [A 1], which
        // then stood for a minute
        final TrendingStage stage = new TrendingStage(config().validate("trending"));
        assertEquals(List.of(push(1, 0, "trendingSales", "toys", item("B", 5) + "," + item("A", 1)),
                push(1, 0, "trendingSales", "home", item("H", 2))),
            feed(stage, order(0, "u1", "A", "1", "toys", "H", "2", "home", "B", "5", "toys")),
            "one list per category, in the order the lines first name them, after the whole order");
        assertEquals(List.of(push(2, 60, "trendingSales", "toys", item("C", 9) + "," + item("B", 5))),
            feed(stage, order(60, "u1", "C", "4", "toys", "C", "5", "toys")), "two lines of one sku add up before the list");
    }

    @Test
    void shouldExpirePanesAndEvictIdleSkusAndCategories() {
        final TrendingStage stage = new TrendingStage(config().validate("trending"));
        assertEquals(List.of(push(1, 0, "trendingSales", "home", item("A", 1))), feed(stage, order(0, "u1", "A", "1", "home")));
        assertEquals(List.of(push(2, 360, "trendingSales", "home", item("A", 1) + "," + item("B", 1))),
            feed(stage, order(360, "u1", "B", "1", "home")), "minute 6, pane 1: the window still holds pane 0");
        assertEquals(List.of(push(3, 660, "trendingSales", "home", item("B", 2))),
            feed(stage, order(660, "u1", "B", "1", "home")), "minute 11, pane 2: pane 0 left the window and A with it");
        assertEquals(1, stage.counter("sales", "liveSkus"), "A was evicted when its count reached 0");
        assertEquals(List.of(push(4, 1260, "trendingSales", "home", "")), feed(stage, payment(1260, "u1")),
            "minute 21 (pane 4): any event moves the clock; B's panes 1 and 2 have both left the window, and the"
                + " subscribers' list [B 2] is replaced by an empty one");
        assertEquals(0, stage.counter("sales", "liveSkus"));
        assertEquals(0, stage.counter("sales", "liveCategories"), "an empty category is evicted once its empty list is pushed");
        assertEquals(List.of(), feed(stage, order(720, "u1", "Z", "1", "home")), "minute 12 is pane 2, outside panes 3-4");
        assertEquals(1, stage.counter("sales", "late"));
        assertEquals(List.of(push(6, 1260, "trendingSales", "home", item("Z", 1))), feed(stage, order(900, "u1", "Z", "1", "home")),
            "minute 15 is pane 3, inside the window: the back-filled event counts, stamped with the stage's time");
    }

    @Test
    void shouldCountViewsUnderTheCategoryLastSeenOnAnOrderLineElseUnknown() {
        final TrendingStage stage = new TrendingStage(config().validate("trending"));
        assertEquals(List.of(push(1, 0, "trendingViews", "unknown", item("A", 1))), feed(stage, activity(0, "u1", "VIEW", "A")));
        assertEquals(List.of(), feed(stage, activity(1, "u1", "VIEW", "")), "a view without a sku counts nowhere");
        assertEquals(List.of(), feed(stage, activity(2, "u1", "ADD_TO_CART", "A")), "not a view");
        assertEquals(List.of(push(4, 3, "trendingSales", "home", item("A", 1))), feed(stage, order(3, "u1", "A", "1", "home")));
        assertEquals(List.of(push(5, 4, "trendingViews", "home", item("A", 1))), feed(stage, activity(4, "u1", "VIEW", "A")),
            "A's category is now known");
        assertEquals(List.of(push(6, 5, "trendingSales", "unknown", item("B", 1))), feed(stage, order(5, "u1", "B", "1", "")),
            "a line without a category sells under unknown");
        assertEquals(List.of(), feed(stage, order(6, "u1", "A", "-1", "garden")), "a negative line sells nothing but teaches the category");
        assertEquals(List.of(push(8, 7, "trendingViews", "garden", item("A", 1))), feed(stage, activity(7, "u1", "VIEW", "A")));
        assertEquals(1, stage.counter("skus", "live"));
    }

    @Test
    void shouldDropNewCategoriesBeyondTheCapAndAdmitANewSkuOfAFullCategoryOnceItOutsellsTheLeast() {
        final TrendingConfig c = config();
        c.maxCategories = 1;
        c.maxSkusPerCategory = 2;
        c.maxSkus = 2;
        final TrendingStage stage = new TrendingStage(c.validate("trending"));
        assertEquals(List.of(push(1, 0, "trendingSales", "home", item("A", 2) + "," + item("B", 1))),
            feed(stage, order(0, "u1", "A", "2", "home", "B", "1", "home", "C", "1", "home")),
            "C's one sale does not outsell B's one: not admitted");
        assertEquals(1, stage.counter("sales", "refusedSkus"));
        assertEquals(0, stage.counter("sales", "replacedSkus"));
        assertEquals(1, stage.counter("skus", "dropped"), "A and B were learned, C did not fit");
        feed(stage, order(1, "u1", "C", "1", "home"));
        assertEquals(1, stage.counter("sales", "replacedSkus"), "C's second sale outsells B: C takes B's place");
        assertEquals(1, stage.salesCount("home", "C"), "its own count: the sale that got it in");
        assertEquals(-1, stage.salesCount("home", "B"));
        feed(stage, order(2, "u1", "X", "1", "toys"));
        assertEquals(1, stage.counter("sales", "droppedCategories"));
        assertEquals(2, stage.counter("sales", "liveSkus"));
    }

    @Test
    void shouldLetASellingSkuIntoAFullCategoryButNotOneOffs() {
        // before: a full category refused new skus, so its list kept the first maxSkusPerCategory skus for as long
        // as each sold once a window, and a new best seller never showed
        final TrendingConfig c = config();
        c.maxSkusPerCategory = 3;
        final TrendingStage stage = new TrendingStage(c.validate("trending"));
        // ties of the estimate go by the sku's hash: here A < B < C
        feed(stage, order(0, "u1", "A", "1", "home", "B", "1", "home", "C", "1", "home"));
        feed(stage, order(61, "u1", "D", "1", "home")); // 1 recent sale, not more than A's 1: not admitted
        feed(stage, order(62, "u1", "D", "1", "home")); // 2: takes A's place (the least, by hash); D's estimate 2
        feed(stage, order(63, "u1", "E", "1", "home")); // one-offs: 1 is not more than B's 1
        feed(stage, order(64, "u1", "F", "1", "home"));
        assertEquals(1, stage.counter("sales", "replacedSkus"));
        assertEquals(3, stage.counter("sales", "refusedSkus"));
        assertEquals(List.of(push(6, 125, "trendingSales", "home", item("D", 2) + "," + item("B", 1))),
            feed(stage, order(125, "u1", "D", "1", "home")), "D's own 2 sales since it got in, never the inherited count");
        assertEquals(-1, stage.salesCount("home", "E"));
    }

    @Test
    void shouldLetInheritedCountsLeaveTheWindowWithTheirPane() {
        final TrendingConfig c = config(); // two 5-minute panes
        c.maxSkusPerCategory = 2;
        final TrendingStage stage = new TrendingStage(c.validate("trending"));
        feed(stage, order(0, "u1", "A", "6", "home", "B", "5", "home"));
        feed(stage, order(301, "u1", "C", "3", "home")); // pane 1: 3 recent sales, not more than B's 5
        feed(stage, order(302, "u1", "C", "3", "home")); // 6: takes B's place, inheriting B's 5 of pane 0; C's estimate 8
        feed(stage, order(303, "u1", "A", "5", "home")); // A 11
        // pane 2: pane 0 leaves with A's 6 and C's inherited 5: A 5, C 3; D's 4 outsells C and takes its place.
        // Had C's inherited 5 stayed (C 8), the least would be A (5), and D's 4 would not be admitted
        assertEquals(List.of(push(5, 603, "trendingSales", "home", item("A", 5) + "," + item("D", 4))),
            feed(stage, order(603, "u1", "D", "4", "home")));
    }

    @Test
    void shouldPushAChangeMadeWithinTheIntervalOnceItIsOverAtAnEventOfAnyKind() {
        // audit: orders of T6 x20 and T7 x30 came within a minute of the push of [T4 10, T5 1]; no toys order came after,
        // and subscribers kept [T4 10, T5 1] for good while the top two were T7 30, T6 20
        final TrendingStage stage = new TrendingStage(config().validate("trending"));
        assertEquals(List.of(push(1, 0, "trendingSales", "toys", item("T4", 10) + "," + item("T5", 1))),
            feed(stage, order(0, "u1", "T4", "10", "toys", "T5", "1", "toys")));
        assertEquals(List.of(), feed(stage, order(10, "u2", "T6", "20", "toys")), "within the minute");
        assertEquals(List.of(), feed(stage, order(50, "u3", "T7", "30", "toys")), "within the minute");
        assertEquals(List.of(), feed(stage, payment(59, "u1")), "not due yet");
        assertEquals(List.of(push(5, 61, "trendingSales", "toys", item("T7", 30) + "," + item("T6", 20))),
            feed(stage, payment(61, "u1")), "due at 60 s: pushed at the first event after, whatever its kind");
        assertEquals(List.of(), feed(stage, payment(200, "u1")), "nothing changed since");
        assertEquals(2, stage.counter("sales", "pushes"));
    }

    @Test
    void shouldPushAListThatTheWindowSlidingChangesWithoutASale() {
        final TrendingStage stage = new TrendingStage(config().validate("trending"));
        assertEquals(List.of(push(1, 0, "trendingSales", "home", item("A", 5))), feed(stage, order(0, "u1", "A", "5", "home")));
        assertEquals(List.of(push(2, 360, "trendingSales", "home", item("A", 5) + "," + item("B", 1))),
            feed(stage, order(360, "u1", "B", "1", "home")), "minute 6, pane 1");
        assertEquals(List.of(push(3, 600, "trendingSales", "home", item("B", 1))), feed(stage, payment(600, "u1")),
            "minute 10, pane 2: pane 0 leaves the window with A's 5; no home sale needed to say so");
    }

    @Test
    void shouldMakeRoomForANewCategoryByPushingTheEmptiedOnesFirst() {
        // review: categories whose skus all left the window are kept until their empty list is pushed; on a full board
        // they made a new category's sale be dropped (counted in droppedCategories) while they waited
        final TrendingConfig c = config();
        c.maxCategories = 2;
        final TrendingStage stage = new TrendingStage(c.validate("trending"));
        assertEquals(List.of(push(1, 0, "trendingSales", "home", item("A", 1)), push(1, 0, "trendingSales", "toys", item("T", 1))),
            feed(stage, order(0, "u1", "A", "1", "home", "T", "1", "toys")));
        assertEquals(List.of(push(2, 600, "trendingSales", "home", ""), push(2, 600, "trendingSales", "toys", ""),
                push(2, 600, "trendingSales", "books", item("B", 3))),
            feed(stage, order(600, "u1", "B", "3", "books")),
            "minute 10: pane 0 left the window; home and toys are pushed empty and forgotten, and books gets a place");
        assertEquals(0, stage.counter("sales", "droppedCategories"));
        assertEquals(1, stage.counter("sales", "liveCategories"));
    }

    @Test
    void shouldKeepAPendingChangeAcrossASnapshot() {
        final TrendingStage first = new TrendingStage(config().validate("trending"));
        feed(first, order(0, "u1", "T4", "10", "toys"));
        feed(first, order(10, "u2", "T6", "20", "toys")); // changed within the minute: pending
        final io.ringfence.engine.snapshot.StateWriter w = new io.ringfence.engine.snapshot.StateWriter(1 << 16);
        first.writeState(w);
        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(w.position());
        w.buffer().getBytes(0, bytes, w.position());
        bytes.flip();
        final TrendingStage restored = new TrendingStage(config().validate("trending"));
        restored.readState(new io.ringfence.engine.snapshot.StateReader(bytes));
        assertEquals(first.stateHash(), restored.stateHash());
        final List<String> original = feed(first, payment(70, "u1"));
        seq--;
        assertEquals(original, feed(restored, payment(70, "u1")), "the restored stage pushes the pending change alike");
        assertEquals(List.of(push(3, 70, "trendingSales", "toys", item("T6", 20) + "," + item("T4", 10))), original);
        assertEquals(first.stateHash(), restored.stateHash());
    }

    @Test
    void shouldRefuseASnapshotWhoseCategoryHoldsMoreSkusThanItsPlaces() {
        final TrendingStage stage = new TrendingStage(config().validate("trending"));
        feed(stage, order(0, "u1", "A", "1", "home", "B", "1", "home", "C", "1", "home"));
        final io.ringfence.engine.snapshot.StateWriter w = new io.ringfence.engine.snapshot.StateWriter(1 << 16);
        stage.writeState(w);
        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(w.position());
        w.buffer().getBytes(0, bytes, w.position());
        bytes.flip();
        final TrendingConfig fewer = config();
        fewer.maxSkusPerCategory = 2;
        final TrendingStage restored = new TrendingStage(fewer.validate("trending"));
        final io.ringfence.engine.snapshot.SnapshotFormatException e = assertThrows(
            io.ringfence.engine.snapshot.SnapshotFormatException.class,
            () -> restored.readState(new io.ringfence.engine.snapshot.StateReader(bytes)));
        assertEquals("trending board trendingSales: category slot 0 holds 3 skus, counted 3, at most 2", e.getMessage());
    }

    @Test
    void shouldForgetSkuCategoriesIdlePastTheirTtl() {
        final TrendingConfig c = config();
        c.skuTtl = "1h";
        final TrendingStage stage = new TrendingStage(c.validate("trending"));
        feed(stage, order(0, "u1", "A", "1", "home"));
        for (int i = 0; i < 4; i++) {
            feed(stage, payment(3_601 + i, "u1"));
        }
        assertEquals(0, stage.counter("skus", "live"));
        assertEquals(1, stage.counter("skus", "evicted"));
        final List<String> pushes = new ArrayList<>(feed(stage, activity(3_700, "u1", "VIEW", "A")));
        assertEquals(List.of(push(6, 3_700, "trendingViews", "unknown", item("A", 1))), pushes);
    }

    @Test
    void shouldRefuseBadConfigurationNamingTheField() {
        final TrendingConfig c = config();
        c.size = "7m";
        assertTrue(assertThrows(ConfigException.class, () -> c.validate("trending")).getMessage()
            .startsWith("trending.size: '7m' must be a positive multiple of step"));
        final TrendingConfig k = config();
        k.k = 0;
        assertTrue(assertThrows(ConfigException.class, () -> k.validate("trending")).getMessage().startsWith("trending.k: '0'"));
        final TrendingConfig skus = config();
        skus.maxSkusPerCategory = 1;
        assertTrue(assertThrows(ConfigException.class, () -> skus.validate("trending")).getMessage()
            .contains("maxSkusPerCategory: '1' must be between k (2)"));
        final TrendingConfig ttl = config();
        ttl.skuTtl = "5m";
        assertTrue(assertThrows(ConfigException.class, () -> ttl.validate("trending")).getMessage().startsWith("trending.skuTtl"));
        final TrendingConfig interval = config();
        interval.minInterval = "soon";
        assertTrue(assertThrows(ConfigException.class, () -> interval.validate("trending")).getMessage()
            .startsWith("trending.minInterval: 'soon' is not a duration"));
        final TrendingConfig panes = config();
        panes.size = "1d";
        panes.step = "1s";
        assertTrue(assertThrows(ConfigException.class, () -> panes.validate("trending")).getMessage().contains("at most 1440 steps"));
    }

    @Test
    void shouldDoNothingWhenDisabled() {
        final TrendingConfig c = config();
        c.enabled = false;
        final TrendingStage stage = new TrendingStage(c.validate("trending"));
        assertEquals(List.of(), feed(stage, order(0, "u1", "A", "1", "home")));
    }
}

package io.ringfence.engine.cart;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.engine.trending.PushEvents;
import io.ringfence.engine.trending.PushTraffic;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.ringfence.engine.trending.PushEvents.activity;
import static io.ringfence.engine.trending.PushEvents.at;
import static io.ringfence.engine.trending.PushEvents.order;
import static io.ringfence.engine.trending.PushEvents.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cart abandonment with hand-worked timelines: the deadline, once per cart, orders in time and late, bounds, idle eviction. */
class CartStageTest {
    private final PushEvents events = new PushEvents();
    private final OutputBuffer out = new OutputBuffer(4096);
    private long seq;

    /** 10 minutes to order, carts forgotten an hour after their last add, 2 carts of 2 skus. */
    private static CartConfig config() {
        final CartConfig c = new CartConfig();
        c.delay = "10m";
        c.idleTtl = "1h";
        c.maxCarts = 2;
        c.maxItemsPerCart = 2;
        return c;
    }

    private List<String> feed(final CartStage stage, final String json) {
        stage.onEvent(++seq, events.encode(json), 0, out);
        return events.drain(out);
    }

    private static String promotion(final long seq, final long seconds, final String user, final String items) {
        return "{\"type\":\"trendingPush\",\"seq\":" + seq + ",\"time\":\"" + at(seconds)
            + "\",\"window\":\"cartAbandoned\",\"userId\":\"" + user + "\",\"items\":[" + items + "]}";
    }

    private static String item(final String sku, final long count) {
        return "{\"sku\":\"" + sku + "\",\"count\":" + count + "}";
    }

    private static String add(final long seconds, final String user, final String sku) {
        return activity(seconds, user, "ADD_TO_CART", sku);
    }

    /**
     * Carts over several pages of {@value CartBook#PAGE_SLOTS} (the last partly used): a snapshot
     * restores every page and each cart's timers by slot, and the restored stage continues exactly.
     */
    @Test
    void shouldContinueFromASnapshotWhenCartsSpanSeveralPages() {
        final CartConfig c = config();
        c.delay = "1h";
        c.idleTtl = "3d";
        c.maxCarts = 5_000;
        c.maxItemsPerCart = 3;
        final List<String> lines = PushTraffic.lines(17, 30_000, 3_000);
        final int at = 20_000;
        final CartStage straight = new CartStage(c.validate("carts"));
        for (int i = 0; i < at; i++) {
            feed(straight, lines.get(i));
        }
        final int open = straight.openCarts();
        assertTrue(open > 2 * CartBook.PAGE_SLOTS && open % CartBook.PAGE_SLOTS != 0, "carts open at the snapshot: " + open);
        final StateWriter w = new StateWriter(1 << 16);
        straight.writeState(w);
        final ByteBuffer bytes = ByteBuffer.allocate(w.position());
        w.buffer().getBytes(0, bytes, w.position());
        bytes.flip();
        final CartStage restored = new CartStage(c.validate("carts"));
        restored.readState(new StateReader(bytes));
        assertEquals(straight.stateHash(), restored.stateHash(), "restored state hash");
        final List<String> expected = new ArrayList<>();
        final List<String> actual = new ArrayList<>();
        for (int i = at; i < lines.size(); i++) {
            expected.addAll(feed(straight, lines.get(i)));
            seq--; // the same event (sequence) for the restored stage
            actual.addAll(feed(restored, lines.get(i)));
        }
        assertTrue(expected.size() > 100, "promotions after the snapshot: " + expected.size());
        assertEquals(expected, actual);
        assertEquals(straight.stateHash(), restored.stateHash());
        assertTrue(straight.idleEvicted() > 0 && straight.ordersClosing() > 0);
    }

    @Test
    void shouldPushOncePerCartWhenNoOrderFollowsTheFirstAddWithinTheDelay() {
        final CartStage stage = new CartStage(config().validate("carts"));
        assertEquals(List.of(), feed(stage, add(0, "u1", "A")));
        assertEquals(List.of(), feed(stage, add(60, "u1", "B")));
        assertEquals(List.of(), feed(stage, add(120, "u1", "A")));
        assertEquals(List.of(), feed(stage, payment(600, "u2")), "at the deadline itself an order would still be in time");
        assertEquals(List.of(promotion(5, 600, "u1", item("A", 2) + "," + item("B", 1))), feed(stage, payment(601, "u2")),
            "first add at 0 + 10 minutes, revealed by the first event after it; skus in the order first added");
        assertEquals(List.of(), feed(stage, add(700, "u1", "C")), "the cart was promoted once; C is beyond 2 skus");
        assertEquals(1, stage.itemsDropped());
        assertEquals(List.of(), feed(stage, payment(2_000, "u2")), "no second promotion for the same cart");
        assertEquals(List.of(), feed(stage, order(2_100, "u1", "A", "2", "home")), "the order closes the cart");
        assertEquals(0, stage.openCarts());
        assertEquals(List.of(), feed(stage, add(2_200, "u1", "D")), "a new cart");
        assertEquals(List.of(promotion(10, 2_800, "u1", item("D", 1))), feed(stage, payment(2_801, "u2")));
        assertEquals(2, stage.pushes());
    }

    @Test
    void shouldNotPushWhenTheUserOrdersInTimeButIgnoreAnOrderThatHappenedBeforeTheCart() {
        final CartStage stage = new CartStage(config().validate("carts"));
        feed(stage, add(0, "u1", "A"));
        assertEquals(List.of(), feed(stage, order(600, "u1", "A", "1", "home")), "an order at exactly the deadline is in time");
        assertEquals(List.of(), feed(stage, payment(700, "u2")));
        assertEquals(1, stage.ordersClosing());

        feed(stage, add(1_000, "u2", "B"));
        assertEquals(List.of(), feed(stage, order(900, "u2", "B", "1", "home")), "an order from before the cart, arriving late");
        assertEquals(List.of(), feed(stage, add(1_100, "u3", "")), "an add without a sku opens nothing");
        assertEquals(List.of(), feed(stage, activity(1_200, "u3", "VIEW", "B")), "a view is not an add");
        assertEquals(1, stage.openCarts());
        assertEquals(List.of(promotion(8, 1_600, "u2", item("B", 1))), feed(stage, payment(1_601, "u9")));
    }

    @Test
    void shouldOpenNoCartForAnAddThatArrivesAfterItsUsersLaterStampedOrder() {
        // pushes trial: the clickstream lagged the order feed; an ADD_TO_CART stamped 10:00 arrived after the user's order
        // of 10:05 and a "you left something in your cart" promotion went to a customer who had bought
        final CartStage stage = new CartStage(config().validate("carts"));
        feed(stage, order(300, "u1", "S", "1", "home"));
        assertEquals(List.of(), feed(stage, add(0, "u1", "S")));
        assertEquals(List.of(), feed(stage, add(300, "u1", "T")), "an add at the order's own time is followed by it too");
        assertEquals(0, stage.openCarts());
        assertEquals(2, stage.addsBeforeOrder());
        assertEquals(List.of(), feed(stage, payment(3_600, "u9")), "no promotion");
        feed(stage, add(3_700, "u1", "U"));
        assertEquals(1, stage.openCarts(), "an add after the order opens a cart as usual");
        assertEquals(List.of(promotion(6, 4_300, "u1", item("U", 1))), feed(stage, payment(4_301, "u9")));
    }

    @Test
    void shouldFireDeadlinesCartsLatenessLate() {
        final CartConfig c = config();
        c.lateness = "1m";
        final CartStage stage = new CartStage(c.validate("carts"));
        feed(stage, add(0, "u1", "A"));
        feed(stage, add(0, "u2", "B"));
        assertEquals(List.of(), feed(stage, payment(650, "u9")), "past the deadline (600) but within the lateness");
        assertEquals(List.of(), feed(stage, order(590, "u1", "A", "1", "home")), "an order stamped in time, arriving late");
        assertEquals(List.of(promotion(5, 600, "u2", item("B", 1))), feed(stage, payment(661, "u9")),
            "u2's cart, at deadline + lateness passed, stamped with its deadline");
        final ConfigException negative = assertThrows(ConfigException.class, () -> {
            final CartConfig bad = config();
            bad.lateness = "-1s";
            bad.validate("carts");
        });
        assertTrue(negative.getMessage().contains("carts.lateness") && negative.getMessage().contains("-1s"), negative.getMessage());
    }

    /**
     * Shop pushes trial (HIGH): with carts.lateness an order stamped after the cart's deadline, arriving before the clock
     * reached deadline + lateness, closed the cart without its promotion. The cart was abandoned at its deadline.
     */
    @Test
    void shouldPromoteACartWhoseOrderIsStampedAfterItsDeadlineBeforeTheDeadlineFires() {
        final CartConfig c = config();
        c.lateness = "1m";
        final CartStage stage = new CartStage(c.validate("carts"));
        feed(stage, add(0, "u1", "A"));
        feed(stage, add(0, "u2", "B"));
        assertEquals(List.of(), feed(stage, payment(620, "u9")), "past the deadline (600) but within the lateness");
        assertEquals(List.of(promotion(4, 600, "u1", item("A", 1))), feed(stage, order(630, "u1", "A", "1", "home")),
            "abandoned at 600: promoted, stamped with its deadline, before the order closes the cart");
        assertEquals(List.of(), feed(stage, order(600, "u2", "B", "1", "home")), "an order exactly at the deadline is in time");
        assertEquals(List.of(), feed(stage, payment(700, "u9")), "neither cart is promoted (again)");
        assertEquals(1, stage.pushes());

        // out-of-order trial: at the end of a finite input, what carts.lateness held back is due
        final CartStage ends = new CartStage(c.validate("carts"));
        feed(ends, add(0, "u3", "C"));
        feed(ends, add(50, "u4", "D"));
        assertEquals(List.of(), feed(ends, payment(630, "u9")), "past u3's deadline (600), within the lateness");
        ends.flushTimers(seq, out);
        assertEquals(List.of(promotion(seq, 600, "u3", item("C", 1))), events.drain(out), "u3's only: u4's deadline (650) is not passed");
    }

    @Test
    void shouldDropCartsBeyondTheCapAndForgetIdleCarts() {
        final CartStage stage = new CartStage(config().validate("carts"));
        feed(stage, add(0, "u1", "A"));
        feed(stage, add(1, "u2", "A"));
        feed(stage, add(2, "u3", "A"));
        assertEquals(1, stage.cartsDropped(), "u3 would be the third cart");
        assertEquals(2, feed(stage, payment(602, "u9")).size(), "u1 and u2 are promoted, u3 is not");
        assertEquals(List.of(), feed(stage, add(1_000, "u2", "B")), "u2's cart goes on after its promotion");
        assertEquals(List.of(), feed(stage, payment(3_601, "u9")));
        assertEquals(1, stage.idleEvicted(), "u1: an hour after its last add (0)");
        assertEquals(List.of(), feed(stage, payment(4_601, "u9")));
        assertEquals(2, stage.idleEvicted(), "u2: an hour after its last add (1000)");
        assertEquals(0, stage.openCarts());
        feed(stage, add(5_000, "u1", "E"));
        assertEquals(List.of(promotion(9, 5_600, "u1", item("E", 1))), feed(stage, payment(5_601, "u9")),
            "an add after the idle cart was forgotten opens a new cart");
    }

    @Test
    void shouldRefuseBadConfigurationNamingTheField() {
        final CartConfig delay = config();
        delay.delay = "0s";
        assertTrue(assertThrows(ConfigException.class, () -> delay.validate("carts")).getMessage()
            .startsWith("carts.delay: '0s' must be at least 1s"));
        final CartConfig ttl = config();
        ttl.idleTtl = "5m";
        assertTrue(assertThrows(ConfigException.class, () -> ttl.validate("carts")).getMessage()
            .startsWith("carts.idleTtl: '5m' must be at least delay (10m)"));
        final CartConfig carts = config();
        carts.maxCarts = 0;
        assertTrue(assertThrows(ConfigException.class, () -> carts.validate("carts")).getMessage().startsWith("carts.maxCarts: '0'"));
        final CartConfig items = config();
        items.maxItemsPerCart = 1_001;
        assertTrue(assertThrows(ConfigException.class, () -> items.validate("carts")).getMessage()
            .startsWith("carts.maxItemsPerCart: '1001'"));
    }

    @Test
    void shouldDoNothingWhenDisabled() {
        final CartConfig c = config();
        c.enabled = false;
        final CartStage stage = new CartStage(c.validate("carts"));
        feed(stage, add(0, "u1", "A"));
        assertEquals(List.of(), feed(stage, payment(10_000, "u9")));
        assertEquals(0, stage.openCarts());
    }
}

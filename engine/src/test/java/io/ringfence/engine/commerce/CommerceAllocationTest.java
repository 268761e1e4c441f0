package io.ringfence.engine.commerce;

import io.ringfence.engine.EngineLogic;
import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.engine.window.WindowConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;

import static io.ringfence.engine.commerce.CommerceHarness.activity;
import static io.ringfence.engine.commerce.CommerceHarness.item;
import static io.ringfence.engine.commerce.CommerceHarness.level;
import static io.ringfence.engine.commerce.CommerceHarness.order;
import static io.ringfence.engine.commerce.CommerceHarness.payment;
import static io.ringfence.engine.commerce.CommerceHarness.status;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Order lifecycle and inventory allocate nothing per event in steady state: one hour of shop
 * events (one a second: stock counts, orders of two lines, payments, shipments, deliveries,
 * cancellations, invalid and unknown statuses, orders left unpaid) is encoded once and replayed
 * with only eventTime rewritten, so every hour the same order ids come back after the previous
 * ones were forgotten (retention 10m, idleTtl 20m). After a warm-up (tables at their high-water
 * mark), 4 windows of 50k events through the whole business stage (fraud features on, one
 * 5-minute payment window keyed by the order's merchant: the join, with payments of orders never
 * seen counted as unknown; payments naming only their order, some with a card of their own, so their decisions carry
 * the order's user and windows keyed by user and card, and a sliding-window rule, join them: review 2026-12-06), including
 * pushes, rejects, overdue timers and evictions, each allocate (nearly) nothing:
 * the least under 1 KB (the JIT tolerance of the window and fraud allocation tests), the most
 * under 16 KB (on this shared 2-core machine under load one window once measured 1,968 bytes, a
 * recompilation landing in it; 8 bytes per event would be 400,000).
 */
class CommerceAllocationTest {
    private static final int RING = 3_600;
    private static final long STEP = 1_000_000L;
    private static final long START = Instant.parse("2026-01-05T00:00:00Z").getEpochSecond() * 1_000_000L;
    private static final int EVENT_TIME_AT = MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES;
    private static final String PAYMENTS = "payments_by_merchant_5m";

    private final UnsafeBuffer events = new UnsafeBuffer(new byte[RING * 512]);
    private final int[] offsets = new int[RING];
    private final int[] lengths = new int[RING];
    private final OutputBuffer out = new OutputBuffer(64 * 1024);

    private static EngineLogic logic(final int maxOrders, final String rememberFor) {
        return CommerceHarness.logic(c -> {
            // the same 600 orders come back every hour of event time: forgotten first (10m), or answered as repeats (2h)
            c.decisions.rememberFor = rememberFor;
            c.orders.maxOrders = maxOrders;
            c.orders.unpaidAfter = "5m";
            c.orders.unshippedAfter = "5m";
            c.orders.retention = "10m";
            c.orders.idleTtl = "20m";
            c.inventory.idleTtl = "30m";
            c.windows = List.of(new WindowConfig().name(PAYMENTS).key("merchant").kind("tumbling").size("5m").events("payment")
                .metrics("count", "count(attempts)", "count(failed)"),
                new WindowConfig().name("pay_user").key("user").kind("tumbling").size("5m").events("payment")
                .metrics("count", "topk(instrument, 3)", "distinct(instrument)"),
                new WindowConfig().name("pay_card").key("instrument", "user").kind("tumbling").size("5m").events("payment")
                .metrics("count", "topk(user, 3)"),
                new WindowConfig().name("card_1h").key("instrument").kind("sliding").size("1h").step("1m").events("payment")
                .metrics("count"));
            c.fraud.rules = new java.util.ArrayList<>(List.of(new io.ringfence.engine.fraud.FraudConfig.RuleConfig().reason("CARD_BURST")
                .on("payment").when("card_1h.count >= 3").action("review")));
        });
    }

    private static String line(final int i) {
        final String t = Instant.ofEpochSecond(START / 1_000_000L + i).toString();
        final int o = i / 6;
        final String id = "o" + o;
        final String sku = "s" + (o % 50);
        switch (i % 6) {
            case 0: return order(t, id, "u" + (o % 97), "m" + o % 13, item(sku, 1 + o % 3) + "," + item("s" + (o % 7), 2));
            case 1: return o % 5 == 0 ? activity(t) : "{\"type\":\"payment\",\"time\":\"" + t + "\",\"paymentId\":\"p" + o + "\",\"orderId\":\"" + id + "\",\"amount\":\"10.00\",\"currency\":\"EUR\",\"result\":\"" + (o % 2 == 0 ? "AUTHORIZED" : "DECLINED") + "\"" + (o % 3 == 0 ? ",\"instrumentId\":\"own-" + (o % 5) + "\"" : "") + "}";
            case 2: return level(t, sku, "w" + (o % 3), 3 + o % 11);
            case 3: return o % 4 == 0 ? status(t, id, "u1", "CANCELLED") : status(t, id, "u1", "SHIPPED");
            case 4: return o % 9 == 0 ? status(t, "missing" + o, "u1", "PAID") : status(t, id, "u1", "DELIVERED");
            default: return o % 8 == 0 ? status(t, id, "u1", "PAID") : o % 3 == 0 ? payment(t, "q" + o, "missing" + o, "FAILED") : activity(t);
        }
    }

    @Test
    void shouldNotAllocatePerEventInSteadyState() {
        final EngineLogic logic = measure(100_000, "10m");
        assertCommerce(logic);
        assertTrue(logic.decisions().repeats() == 0 && logic.decisions().rememberedIds() > 100,
            "ids remembered and forgotten, none repeated: " + logic.decisions().repeats() + ", " + logic.decisions().rememberedIds());
        final CommerceStage c = logic.commerce();
        assertTrue(c.ordersEvicted() > 30_000, "evicted " + c.ordersEvicted());
        assertTrue(c.openOrders() < 400, "open orders stay bounded: " + c.openOrders());
        assertTrue(c.ordersForgottenForRoom() == 0, "never full: " + c.ordersForgottenForRoom());
    }

    /** The same with a book of 100 orders: every new order first forgets one to make room (and credits its stock). */
    @Test
    void shouldNotAllocatePerEventWhenAFullBookMakesRoom() {
        final EngineLogic logic = measure(100, "10m");
        assertCommerce(logic);
        final CommerceStage c = logic.commerce();
        assertTrue(c.ordersForgottenForRoom() > 30_000, "forgotten for room (nearly every order of 250k events, one in six) " + c.ordersForgottenForRoom());
        assertTrue(c.openOrders() == 100, "the book stays full: " + c.openOrders());
    }

    /** Every order and payment after the first hour repeats one decided an hour before: answered from the remembered ids. */
    @Test
    void shouldNotAllocatePerRepeatAnswered() {
        final EngineLogic logic = measure(100_000, "2h");
        assertTrue(logic.decisions().repeats() > 50_000, "repeats answered (orders and payments are about a quarter of the events): " + logic.decisions().repeats());
    }

    private EngineLogic measure(final int maxOrders, final String rememberFor) {
        final JsonEventParser parser = new JsonEventParser();
        final ParseResult result = new ParseResult();
        int at = 0;
        for (int i = 0; i < RING; i++) {
            offsets[i] = at;
            lengths[i] = parser.parse(line(i), i + 1, i + 1, events, at, result);
            assertTrue(lengths[i] > 0, result::toString);
            at += lengths[i];
        }
        feed(logic(maxOrders, rememberFor), 0, 100_000); // links every code path once

        final EngineLogic logic = logic(maxOrders, rememberFor);
        long checksum = feed(logic, 0, 50_000);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes();
        long least = Long.MAX_VALUE;
        long most = 0;
        for (int window = 0; window < 4; window++) { // 4 x 50k: a JIT blip lands in one window, a per-event cost in all
            final long before = threads.getCurrentThreadAllocatedBytes();
            checksum += feed(logic, 50_000 + window * 50_000, 100_000 + window * 50_000);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            least = Math.min(least, allocated);
            most = Math.max(most, allocated);
        }

        assertTrue(checksum > 0);
        assertTrue(least < 1_024, "bytes allocated by 50k events in steady state, least of 4 windows: " + least);
        assertTrue(most < 16_384, "bytes allocated by 50k events in steady state, most of 4 windows: " + most
                + " (8 bytes per event would be 400,000)");
        return logic;
    }

    private static void assertCommerce(final EngineLogic logic) {
        assertTrue(logic.windows().liveKeys("pay_user") > 5, "payments keyed by their orders' users");
        final CommerceStage c = logic.commerce();
        assertTrue(c.orderStatusPushes() > 100_000 && c.stockPushes() > 1_000 && c.rejects() > 1_000, c.orderStatusPushes()
                + " " + c.stockPushes() + " " + c.rejects());
        assertTrue(logic.windows().unknownMerchants(PAYMENTS) > 10_000, "payments of orders never seen: "
                + logic.windows().unknownMerchants(PAYMENTS));
        assertTrue(logic.windows().liveKeys(PAYMENTS) > 5, "payments of held orders are keyed by their merchants: "
                + logic.windows().liveKeys(PAYMENTS));
    }

    private long feed(final EngineLogic logic, final int from, final int to) {
        long checksum = 0;
        for (int n = from; n < to; n++) {
            final int i = n % RING;
            events.putLong(offsets[i] + EVENT_TIME_AT, START + (long) n * STEP, ByteOrder.LITTLE_ENDIAN);
            out.reset();
            logic.onEvent(n + 1, n + 1, events, offsets[i], lengths[i], out);
            checksum += out.count();
        }
        return checksum;
    }
}

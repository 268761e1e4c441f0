package io.ringfence.engine.commerce;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.sbe.OrderState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ringfence.engine.commerce.CommerceHarness.activity;
import static io.ringfence.engine.commerce.CommerceHarness.level;
import static io.ringfence.engine.commerce.CommerceHarness.item;
import static io.ringfence.engine.commerce.CommerceHarness.order;
import static io.ringfence.engine.commerce.CommerceHarness.payment;
import static io.ringfence.engine.commerce.CommerceHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderLifecycleTest {

    private static CommerceHarness harness() {
        return new CommerceHarness(c -> {
        });
    }

    private static void assertPush(final List<String> out, final String orderId, final String status) {
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).contains("\"type\":\"orderStatusPush\""), out.get(0));
        assertTrue(out.get(0).contains("\"orderId\":\"" + orderId + "\""), out.get(0));
        assertTrue(out.get(0).contains("\"userId\":\"u1\""), out.get(0));
        assertTrue(out.get(0).contains("\"status\":\"" + status + "\""), out.get(0));
    }

    @Test
    void shouldPushEveryValidChangeFromCreatedToRefunded() {
        final CommerceHarness h = harness();
        assertPush(h.pushes(order("2026-01-05T10:00:00Z", "o1", "u1", item("s1", 1))), "o1", "CREATED");
        assertPush(h.pushes(payment("2026-01-05T10:01:00Z", "p1", "o1", "AUTHORIZED")), "o1", "PAID");
        assertEquals(List.of(), h.pushes(status("2026-01-05T10:01:01Z", "o1", "u1", "PAID")), "a repeat is no change");
        assertPush(h.pushes(status("2026-01-05T11:00:00Z", "o1", "u1", "SHIPPED")), "o1", "SHIPPED");
        assertPush(h.pushes(status("2026-01-06T11:00:00Z", "o1", "u1", "DELIVERED")), "o1", "DELIVERED");
        assertPush(h.pushes(status("2026-01-07T11:00:00Z", "o1", "u1", "REFUNDED")), "o1", "REFUNDED");
        assertEquals(OrderState.REFUNDED, h.commerce().orderState("o1"));
        assertEquals(5, h.commerce().orderStatusPushes());
        assertEquals(0, h.commerce().rejects());
    }

    @Test
    void shouldRejectAnInvalidTransitionWithItsSequenceAndReason() {
        final CommerceHarness h = harness();
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", ""));
        final List<String> out = h.send(status("2026-01-05T10:05:00Z", "o1", "u1", "SHIPPED"));
        assertEquals(List.of("{\"type\":\"reject\",\"seq\":2,\"line\":2,\"code\":\"INVALID_TRANSITION\","
                + "\"reason\":\"invalid transition CREATED -> SHIPPED\"}"), out);
        assertEquals(OrderState.CREATED, h.commerce().orderState("o1"), "a refused status changes nothing");
        h.send(status("2026-01-05T10:06:00Z", "o1", "u1", "CANCELLED"));
        final List<String> after = h.send(status("2026-01-05T10:07:00Z", "o1", "u1", "PAID"));
        assertTrue(after.get(0).contains("invalid transition CANCELLED -> PAID (CANCELLED is final)"), after.toString());
        assertEquals(2, h.commerce().rejects());
    }

    @Test
    void shouldRejectAStatusForAnUnknownOrderUnlessAdopting() {
        final CommerceHarness h = harness();
        final List<String> out = h.send(status("2026-01-05T10:00:00Z", "nope", "u1", "SHIPPED"));
        assertEquals(1, out.size());
        assertTrue(out.get(0).contains("\"code\":\"UNKNOWN_ORDER\""), out.get(0));

        final CommerceHarness adopting = new CommerceHarness(c -> c.orders.unknownOrders = "adopt");
        assertPush(adopting.pushes(status("2026-01-05T10:00:00Z", "legacy", "u1", "SHIPPED")), "legacy", "SHIPPED");
        assertPush(adopting.pushes(status("2026-01-05T10:00:00Z", "legacy", "u1", "DELIVERED")), "legacy", "DELIVERED");
    }

    @Test
    void shouldIgnorePaymentsThatDoNotPayAndRefundOnARefundPayment() {
        final CommerceHarness h = harness();
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", ""));
        assertEquals(List.of(), h.pushes(payment("2026-01-05T10:01:00Z", "p1", "o1", "DECLINED")));
        assertEquals(List.of(), h.pushes(payment("2026-01-05T10:01:00Z", "p2", "unknown", "AUTHORIZED")), "no order: no reject for a payment");
        assertPush(h.pushes(payment("2026-01-05T10:02:00Z", "p3", "o1", "CAPTURED")), "o1", "PAID");
        assertEquals(List.of(), h.pushes(payment("2026-01-05T10:03:00Z", "p4", "o1", "AUTHORIZED")));
        assertPush(h.pushes(payment("2026-01-05T10:04:00Z", "p5", "o1", "REFUNDED")), "o1", "REFUNDED");
    }

    @Test
    void shouldPushUnpaidAndUnshippedOverdueOnceOnEventTime() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.orders.unpaidAfter = "30m";
            c.orders.unshippedAfter = "2h";
        });
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", ""));
        h.send(order("2026-01-05T10:10:00Z", "o2", "u1", ""));
        assertEquals(List.of(), h.pushes(activity("2026-01-05T10:29:59Z")), "not yet due");
        assertEquals(List.of(), h.pushes(activity("2026-01-05T10:30:00Z")), "exactly at the deadline is still in time (as for carts)");
        final List<String> due = h.pushes(activity("2026-01-05T10:30:01Z"));
        assertEquals(1, due.size(), due.toString());
        assertTrue(due.get(0).contains("\"seq\":5,\"time\":\"2026-01-05T10:30:00Z\",\"orderId\":\"o1\""), due.get(0));
        assertTrue(due.get(0).contains("\"status\":\"UNPAID_OVERDUE\""), due.get(0));
        assertEquals(List.of(), h.pushes(activity("2026-01-05T10:35:00Z")), "once only");
        // o2 is paid late: the overdue push comes first (time passed the limit), then PAID
        final List<String> late = h.pushes(payment("2026-01-05T10:41:00Z", "p", "o2", "AUTHORIZED"));
        assertEquals(2, late.size(), late.toString());
        assertTrue(late.get(0).contains("\"orderId\":\"o2\"") && late.get(0).contains("UNPAID_OVERDUE"), late.get(0));
        assertTrue(late.get(1).contains("\"status\":\"PAID\""), late.get(1));
        // an event earlier than the watermark does not move time back
        assertEquals(List.of(), h.pushes(activity("2026-01-05T09:00:00Z")));
        assertEquals(List.of(), h.pushes(activity("2026-01-05T12:41:00Z")), "at the deadline");
        final List<String> unshipped = h.pushes(activity("2026-01-05T12:41:00.000001Z"));
        assertEquals(1, unshipped.size(), unshipped.toString());
        assertTrue(unshipped.get(0).contains("\"time\":\"2026-01-05T12:41:00Z\",\"orderId\":\"o2\""), unshipped.get(0));
        assertTrue(unshipped.get(0).contains("UNSHIPPED_OVERDUE"), unshipped.get(0));
    }

    @Test
    void shouldNotPushOverdueForOrdersThatMovedOnOrWhenOff() {
        final CommerceHarness h = new CommerceHarness(c -> c.orders.unshippedAfter = "0s");
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", ""));
        h.send(status("2026-01-05T10:05:00Z", "o1", "u1", "CANCELLED"));
        h.send(order("2026-01-05T10:00:00Z", "o2", "u1", ""));
        h.send(payment("2026-01-05T10:05:00Z", "p", "o2", "AUTHORIZED"));
        assertEquals(List.of(), h.pushes(activity("2026-01-09T10:00:00Z")));
    }

    @Test
    void shouldFireALateOrdersPassedDeadlineWhenTheClockNextMovesSoALatePaymentInTimeStillCounts() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.orders.unpaidAfter = "30m";
            c.orders.unshippedAfter = "0s";
        });
        h.send(activity("2026-09-01T00:00:00Z")); // the newest time is months ahead of what follows
        h.send(order("2026-06-01T12:01:00Z", "paid", "u1", "")); // deadline 12:31, behind the clock already
        h.send(order("2026-06-01T12:01:00Z", "unpaid", "u1", ""));
        final List<String> payment = h.pushes(payment("2026-06-01T12:10:00Z", "p", "paid", "AUTHORIZED"));
        assertEquals(1, payment.size(), "paid by its own time, before its deadline: PAID, no overdue first: " + payment);
        assertTrue(payment.get(0).contains("\"status\":\"PAID\""), payment.get(0));
        assertEquals(List.of(), h.pushes(activity("2026-06-01T12:40:00Z")), "a late event does not move the clock");
        final List<String> moved = h.pushes(activity("2026-09-01T00:00:01Z"));
        assertEquals(1, moved.size(), "the next event that moves the clock fires the passed deadline: " + moved);
        assertTrue(moved.get(0).contains("\"orderId\":\"unpaid\"") && moved.get(0).contains("UNPAID_OVERDUE"), moved.get(0));
    }

    @Test
    void shouldForgetSettledOrdersAfterRetentionAndIdleOrdersAfterTheirTtl() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.orders.retention = "1h";
            c.orders.idleTtl = "1d";
            c.orders.unpaidAfter = "0s";
            c.orders.unshippedAfter = "0s";
        });
        h.send(order("2026-01-05T10:00:00Z", "done", "u1", ""));
        h.send(status("2026-01-05T10:00:00Z", "done", "u1", "CANCELLED"));
        h.send(order("2026-01-05T10:00:00Z", "idle", "u1", ""));
        h.send(activity("2026-01-05T10:59:59Z"));
        assertEquals(2, h.commerce().openOrders());
        h.send(activity("2026-01-05T11:00:00Z"));
        assertEquals(OrderState.CANCELLED, h.commerce().orderState("done"), "exactly at retention: still held (as deadlines elsewhere)");
        h.send(activity("2026-01-05T11:00:00.000001Z"));
        assertNull(h.commerce().orderState("done"));
        assertEquals(OrderState.CREATED, h.commerce().orderState("idle"));
        h.send(activity("2026-01-06T10:00:00Z"));
        assertEquals(OrderState.CREATED, h.commerce().orderState("idle"), "exactly at idleTtl: still held");
        h.send(activity("2026-01-06T10:00:01Z"));
        assertNull(h.commerce().orderState("idle"));
        assertEquals(0, h.commerce().openOrders());
        assertEquals(2, h.commerce().ordersEvicted());
        assertTrue(h.send(status("2026-01-06T10:00:01Z", "done", "u1", "REFUNDED")).get(0).contains("UNKNOWN_ORDER"));
    }

    @Test
    void shouldCountOrdersBeyondTheCapInsteadOfGrowing() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.orders.maxOrders = 2;
            c.orders.whenFull = "refuse";
        });
        h.send(order("2026-01-05T10:00:00Z", "a", "u1", ""));
        h.send(order("2026-01-05T10:00:01Z", "b", "u1", ""));
        assertEquals(List.of(), h.pushes(order("2026-01-05T10:00:02Z", "c", "u1", "")));
        assertEquals(2, h.commerce().openOrders());
        assertEquals(1, h.commerce().ordersDropped());
        assertEquals(List.of(), h.pushes(order("2026-01-05T10:00:03Z", "a", "u1", "")), "a repeated order id creates nothing");
    }

    @Test
    void shouldForgetTheOrderDueSoonestToMakeRoomWhenFull() {
        final CommerceHarness h = new CommerceHarness(c -> c.orders.maxOrders = 2); // whenFull: forget-oldest (default)
        h.send(order("2026-01-05T10:00:00Z", "open", "u1", ""));
        h.send(order("2026-01-05T10:00:01Z", "settled", "u1", ""));
        h.send(status("2026-01-05T10:00:02Z", "settled", "u1", "CANCELLED")); // retention (7d) ends before open's idleTtl (30d)
        final List<String> out = h.pushes(order("2026-01-05T10:00:03Z", "new", "u1", ""));
        assertEquals(1, out.size(), "the new order is CREATED: " + out);
        assertTrue(out.get(0).contains("\"orderId\":\"new\"") && out.get(0).contains("CREATED"), out.get(0));
        assertNull(h.commerce().orderState("settled"), "the order due soonest is forgotten");
        assertEquals(OrderState.CREATED, h.commerce().orderState("open"));
        assertEquals(OrderState.CREATED, h.commerce().orderState("new"));
        assertEquals(1, h.commerce().ordersForgottenForRoom());
        assertEquals(0, h.commerce().ordersDropped());
        assertEquals(0, h.commerce().ordersEvicted(), "not forgotten by time");
        assertEquals(2, h.commerce().openOrders());
        assertTrue(h.send(status("2026-01-05T10:00:04Z", "settled", "u1", "REFUNDED")).get(0).contains("UNKNOWN_ORDER"));
    }

    @Test
    void shouldReleaseWhatAnOrderForgottenForRoomReservedAndKeepItsTimersFromFiring() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.orders.maxOrders = 1;
            c.orders.unpaidAfter = "30m";
        });
        h.send(level("2026-01-05T10:00:00Z", "s1", "w1", 10));
        h.send(order("2026-01-05T10:00:00Z", "first", "u1", item("s1", 4)));
        assertEquals(6, h.commerce().available("s1"));
        h.send(order("2026-01-05T10:01:00Z", "second", "u1", item("s1", 1)));
        assertEquals(9, h.commerce().available("s1"), "first's 4 released, second's 1 reserved");
        assertNull(h.commerce().orderState("first"));
        final List<String> later = h.pushes(activity("2026-01-05T10:40:00Z"));
        assertEquals(1, later.size(), "only second's UNPAID_OVERDUE fires, first's timer went with it: " + later);
        assertTrue(later.get(0).contains("\"orderId\":\"second\"") && later.get(0).contains("UNPAID_OVERDUE"), later.get(0));
        assertEquals(1, h.commerce().ordersForgottenForRoom());
    }

    @Test
    void shouldCountTheStockOfTheOrderForgottenForRoomAsAvailableInTheOversellCheck() {
        for (final String whenFull : new String[] {"forget-oldest", "refuse"}) {
            final CommerceHarness h = new CommerceHarness(c -> {
                c.orders.maxOrders = 1;
                c.orders.whenFull = whenFull;
            });
            h.send(level("2026-01-05T10:00:00Z", "s1", "w1", 2));
            h.send(order("2026-01-05T10:00:00Z", "first", "u1", item("s1", 2)));
            assertEquals(0, h.commerce().available("s1"));
            final List<String> out = h.send(order("2026-01-05T10:01:00Z", "second", "u1", item("s1", 1) + "," + item("s1", 1)));
            final String decision = out.get(0);
            assertTrue(decision.contains("\"type\":\"decision\""), "the decision comes first: " + out);
            if (whenFull.equals("forget-oldest")) {
                assertTrue(!decision.contains("OVERSELL"), "first's 2 units come back before second takes 1 + 1: " + decision);
                assertEquals(0, h.commerce().available("s1"));
                assertEquals(0, h.commerce().oversells());
            } else {
                assertTrue(decision.contains("OVERSELL"), "refused: first keeps its 2 units: " + decision);
                assertEquals(1, h.commerce().oversells());
            }
        }
    }

    @Test
    void shouldRefuseAnUnknownWhenFullSetting() {
        for (final String bad : new String[] {"drop-newest", null}) {
            final ConfigException e = assertThrows(ConfigException.class, () -> new CommerceHarness(c -> c.orders.whenFull = bad));
            assertTrue(e.getMessage().contains("orders.whenFull") && e.getMessage().contains("forget-oldest or refuse"), e.getMessage());
        }
        final CommerceHarness upper = new CommerceHarness(c -> {
            c.orders.maxOrders = 1;
            c.orders.whenFull = "REFUSE";
        });
        upper.send(order("2026-01-05T10:00:00Z", "a", "u1", ""));
        upper.send(order("2026-01-05T10:00:01Z", "b", "u1", ""));
        assertEquals(1, upper.commerce().ordersDropped(), "case does not matter: REFUSE refuses");
    }

    @Test
    void shouldFireTimersOrdersLatenessLateSoThatSlowerSourcesStillCount() {
        // pushes trial: a LOGIN of another user stamped 10:30:01 fired the 10:30 UNPAID_OVERDUE of an order whose payment,
        // stamped 10:10, came just after it
        final CommerceHarness h = new CommerceHarness(c -> c.orders.lateness = "1m");
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", item("s1", 1)));
        h.send(order("2026-01-05T10:00:00Z", "o2", "u1", item("s1", 1)));
        assertEquals(List.of(), h.pushes(CommerceHarness.activity("2026-01-05T10:30:01Z")), "within the lateness: nothing fires");
        h.send(CommerceHarness.payment("2026-01-05T10:10:00Z", "p1", "o1", "AUTHORIZED"));
        assertEquals(List.of(), h.pushes(CommerceHarness.activity("2026-01-05T10:31:00Z")), "exactly deadline + lateness: in time");
        final List<String> due = h.pushes(CommerceHarness.activity("2026-01-05T10:31:00.000001Z"));
        assertEquals(1, due.size(), due.toString());
        assertTrue(due.get(0).contains("\"orderId\":\"o2\"") && due.get(0).contains("UNPAID_OVERDUE")
            && due.get(0).contains("\"time\":\"2026-01-05T10:30:00Z\""), "o2 only, stamped with its deadline: " + due);
    }

    /** Out-of-order trial (MEDIUM): one event fired a 10:30:30 cart promotion before a 10:30:00 UNPAID_OVERDUE. */
    @Test
    void shouldFireOverdueAndCartDeadlinesOfOneEventInDeadlineOrder() {
        final CommerceHarness h = new CommerceHarness(c -> c.carts.enabled = true);
        h.send(order("2026-01-05T10:00:00Z", "q1", "u1", item("s1", 1)));
        h.send("{\"type\":\"activity\",\"time\":\"2026-01-05T10:00:30Z\",\"userId\":\"c3\",\"kind\":\"ADD_TO_CART\",\"sku\":\"s9\"}");
        h.send(order("2026-01-05T10:01:00Z", "q2", "u2", item("s1", 1)));
        final List<String> fired = h.pushes(CommerceHarness.activity("2026-01-05T10:32:00Z"));
        assertEquals(3, fired.size(), fired.toString());
        assertTrue(fired.get(0).contains("\"orderId\":\"q1\"") && fired.get(0).contains("\"time\":\"2026-01-05T10:30:00Z\""), fired.toString());
        assertTrue(fired.get(1).contains("cartAbandoned") && fired.get(1).contains("\"time\":\"2026-01-05T10:30:30Z\""), fired.toString());
        assertTrue(fired.get(2).contains("\"orderId\":\"q2\"") && fired.get(2).contains("\"time\":\"2026-01-05T10:31:00Z\""), fired.toString());
    }

    /**
     * Review of the late commits (MEDIUM): what an event forces past its time (a payment's overdue held back by
     * orders.lateness, an order's promotion held back by carts.lateness) came after the other stage's timers of the same
     * event whatever their deadlines.
     */
    @Test
    void shouldFireWhatAnEventForcesInDeadlineOrderWithTheOtherStagesTimers() {
        final CommerceHarness paid = new CommerceHarness(c -> {
            c.orders.lateness = "1h";
            c.carts.enabled = true;
        });
        paid.send(order("2026-01-05T10:00:00Z", "q1", "u1", item("s1", 1)));
        paid.send("{\"type\":\"activity\",\"time\":\"2026-01-05T10:01:00Z\",\"userId\":\"c1\",\"kind\":\"ADD_TO_CART\",\"sku\":\"s9\"}");
        final List<String> a = paid.send(CommerceHarness.payment("2026-01-05T10:32:00Z", "p1", "q1", "AUTHORIZED"));
        assertTrue(a.size() == 4 && a.get(0).contains("UNPAID_OVERDUE") && a.get(1).contains("cartAbandoned")
                && a.get(2).contains("\"type\":\"decision\"") && a.get(3).contains("\"status\":\"PAID\""), a.toString());

        final CommerceHarness ordered = new CommerceHarness(c -> {
            c.carts.enabled = true;
            c.carts.lateness = "1h";
        });
        ordered.send(order("2026-01-05T10:00:00Z", "q1", "u1", item("s1", 1)));
        ordered.send("{\"type\":\"activity\",\"time\":\"2026-01-05T10:00:30Z\",\"userId\":\"c2\",\"kind\":\"ADD_TO_CART\",\"sku\":\"s9\"}");
        final List<String> b = ordered.pushes(order("2026-01-05T10:32:00Z", "q2", "c2", item("s1", 1)));
        assertTrue(b.size() >= 3 && b.get(0).contains("UNPAID_OVERDUE") && b.get(0).contains("\"orderId\":\"q1\"")
                && b.get(1).contains("cartAbandoned") && b.get(1).contains("\"time\":\"2026-01-05T10:30:30Z\"")
                && b.get(2).contains("\"status\":\"CREATED\""), b.toString());
    }

    /**
     * Money trial: without lateness, an order arriving after the clock had passed its unpaid deadline (stamped 10:40,
     * deadline 11:10, clock at 11:30) is overdue at the next event that moves the clock; at the end of a run there is
     * none, and its UNPAID_OVERDUE was never pushed.
     */
    @Test
    void shouldFireALateOrdersDeadlineBehindTheClockAtTheEndOfAFiniteInput() {
        final CommerceHarness h = new CommerceHarness(c -> { });
        h.send(order("2026-01-05T11:30:00Z", "o1", "u1", item("s1", 1)));
        assertEquals(List.of(), h.pushes(order("2026-01-05T10:40:00Z", "late", "u2", item("s1", 1))).stream()
            .filter(p -> p.contains("UNPAID_OVERDUE")).toList(), "nothing moves the clock");
        final List<String> end = h.flush();
        assertEquals(1, end.size(), end.toString());
        assertTrue(end.get(0).contains("\"orderId\":\"late\"") && end.get(0).contains("UNPAID_OVERDUE")
            && end.get(0).contains("\"time\":\"2026-01-05T11:10:00Z\""), end.toString());
    }

    /**
     * Out-of-order trial (MEDIUM): at the end of a run the windows were flushed but the deadlines orders.lateness held
     * back were not: with lateness 3h, 2,027 overdue pushes due by the data's last event were never made.
     */
    @Test
    void shouldFireTheDeadlinesLatenessHeldBackAtTheEndOfAFiniteInput() {
        final CommerceHarness h = new CommerceHarness(c -> c.orders.lateness = "1m");
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", item("s1", 1)));
        h.send(order("2026-01-05T10:00:40Z", "o2", "u1", item("s1", 1)));
        assertEquals(List.of(), h.pushes(CommerceHarness.activity("2026-01-05T10:30:30Z")), "within the lateness");
        final List<String> end = h.flush();
        assertEquals(1, end.size(), "o1's deadline (10:30) is passed by the last event; o2's (10:30:40) is not: " + end);
        assertTrue(end.get(0).contains("\"orderId\":\"o1\"") && end.get(0).contains("UNPAID_OVERDUE")
                && end.get(0).contains("\"time\":\"2026-01-05T10:30:00Z\""), end.toString());
        final CommerceHarness none = new CommerceHarness(c -> { });
        none.send(order("2026-01-05T10:00:00Z", "o1", "u1", item("s1", 1)));
        assertEquals(List.of(), none.flush(), "nothing held back without lateness");

        // review: flushed in deadline order across orders and carts, as one event's are
        final CommerceHarness both = new CommerceHarness(c -> {
            c.orders.lateness = "1h";
            c.carts.enabled = true;
            c.carts.lateness = "1h";
        });
        both.send(order("2026-01-05T10:00:00Z", "p1", "u1", item("s1", 1)));
        both.send("{\"type\":\"activity\",\"time\":\"2026-01-05T10:05:00Z\",\"userId\":\"c5\",\"kind\":\"ADD_TO_CART\",\"sku\":\"s9\"}");
        both.send(order("2026-01-05T10:10:00Z", "p2", "u2", item("s1", 1)));
        both.send(CommerceHarness.activity("2026-01-05T11:00:00Z"));
        final List<String> flushed = both.flush();
        assertEquals(3, flushed.size(), flushed.toString());
        assertTrue(flushed.get(0).contains("\"time\":\"2026-01-05T10:30:00Z\"") && flushed.get(1).contains("cartAbandoned")
                && flushed.get(2).contains("\"time\":\"2026-01-05T10:40:00Z\""), flushed.toString());
    }

    /**
     * Shop pushes trial (HIGH): with orders.lateness a payment stamped after the unpaid deadline, arriving before the clock
     * reached deadline + lateness, paid the order and its UNPAID_OVERDUE was never pushed; without lateness, the same for a
     * late order whose deadline was already behind the clock (MEDIUM). The order was unpaid at its deadline either way.
     */
    @Test
    void shouldPushTheOverdueOfAnOrderWhoseMoveIsStampedAfterItsDeadlineBeforeItsTimerFires() {
        final CommerceHarness h = new CommerceHarness(c -> c.orders.lateness = "1m");
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", item("s1", 1)));
        h.send(order("2026-01-05T10:00:00Z", "o2", "u1", item("s1", 1)));
        final List<String> all = h.send(CommerceHarness.payment("2026-01-05T10:30:30Z", "p1", "o1", "AUTHORIZED"));
        assertTrue(all.size() == 3 && all.get(1).contains("\"type\":\"decision\""),
                "the overdue before the payment's decision, as a timer's is; PAID after it (review): " + all);
        final List<String> paid = new java.util.ArrayList<>(all);
        paid.remove(1);
        assertTrue(paid.get(0).contains("\"orderId\":\"o1\"") && paid.get(0).contains("UNPAID_OVERDUE")
                && paid.get(0).contains("\"time\":\"2026-01-05T10:30:00Z\""), "first the overdue, at its deadline: " + paid);
        assertTrue(paid.get(1).contains("\"status\":\"PAID\"") && paid.get(1).contains("\"time\":\"2026-01-05T10:30:30Z\""),
                paid.toString());
        final List<String> inTime = h.pushes(CommerceHarness.payment("2026-01-05T10:30:00Z", "p2", "o2", "AUTHORIZED"));
        assertEquals(1, inTime.size(), "a payment exactly at the deadline is in time: " + inTime);
        assertEquals(List.of(), h.pushes(CommerceHarness.activity("2026-01-05T10:32:00Z")), "o1's overdue is not pushed twice");
        // a partial payment stamped after the deadline moves nothing: the timer is left to fire (a payment stamped in time
        // and arriving within the lateness may still complete it)
        final CommerceHarness partial = new CommerceHarness(c -> c.orders.lateness = "1m");
        partial.send(order("2026-01-05T10:00:00Z", "o3", "u3", item("s1", 1)));
        assertEquals(List.of(), partial.pushes(CommerceHarness.payment("2026-01-05T10:30:30Z", "p3", "o3", "0.01", "EUR", "AUTHORIZED")));
        final List<String> later = partial.pushes(CommerceHarness.activity("2026-01-05T10:31:01Z"));
        assertTrue(later.size() == 1 && later.get(0).contains("UNPAID_OVERDUE"), later.toString());

        final CommerceHarness late = new CommerceHarness(c -> { });
        late.send(CommerceHarness.activity("2026-01-05T11:40:00Z"));
        late.send(order("2026-01-05T11:00:00Z", "o4", "u4", item("s1", 1))); // arrives late: its 11:30 deadline is behind the clock
        final List<String> pushes = late.pushes(CommerceHarness.payment("2026-01-05T11:30:30Z", "p4", "o4", "AUTHORIZED"));
        assertEquals(2, pushes.size(), pushes.toString());
        assertTrue(pushes.get(0).contains("UNPAID_OVERDUE") && pushes.get(0).contains("\"time\":\"2026-01-05T11:30:00Z\""),
                pushes.toString());
        assertTrue(pushes.get(1).contains("\"status\":\"PAID\""), pushes.toString());

        // out-of-order trial (HIGH): the payment arriving before its order was applied at the order's time: PAID stamped
        // 10:00 and no overdue. Now as in time order, whichever arrives first
        for (final boolean paymentFirst : new boolean[]{true, false}) {
            final CommerceHarness h2 = new CommerceHarness(c -> { });
            final String o = order("2026-01-05T10:00:00Z", "A1", "u1", item("s1", 1));
            final String p = CommerceHarness.payment("2026-01-05T10:30:30Z", "pA", "A1", "AUTHORIZED");
            final List<String> seen = new java.util.ArrayList<>(h2.pushes(paymentFirst ? p : o));
            seen.addAll(h2.pushes(paymentFirst ? o : p));
            assertEquals(3, seen.size(), seen.toString());
            assertTrue(seen.get(0).contains("CREATED") && seen.get(1).contains("UNPAID_OVERDUE")
                    && seen.get(1).contains("\"time\":\"2026-01-05T10:30:00Z\"") && seen.get(2).contains("\"status\":\"PAID\"")
                    && seen.get(2).contains("\"time\":\"2026-01-05T10:30:30Z\""), (paymentFirst ? "payment first: " : "") + seen);
        }
        // review: two halves arriving before the order, the later-stamped first: paid when both were in (10:40), overdue first
        final CommerceHarness halves = new CommerceHarness(c -> { });
        halves.send(CommerceHarness.payment("2026-01-05T10:40:00Z", "pB1", "B1", "5.00", "EUR", "AUTHORIZED"));
        halves.send(CommerceHarness.payment("2026-01-05T10:20:00Z", "pB2", "B1", "5.00", "EUR", "AUTHORIZED"));
        final List<String> b = halves.pushes(order("2026-01-05T10:00:00Z", "B1", "u1", item("s1", 1)));
        assertTrue(b.size() == 3 && b.get(1).contains("UNPAID_OVERDUE") && b.get(2).contains("\"status\":\"PAID\"")
                && b.get(2).contains("\"time\":\"2026-01-05T10:40:00Z\""), b.toString());
    }
}

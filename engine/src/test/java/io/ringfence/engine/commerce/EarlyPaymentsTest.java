package io.ringfence.engine.commerce;

import io.ringfence.sbe.OrderState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ringfence.engine.commerce.CommerceHarness.activity;
import static io.ringfence.engine.commerce.CommerceHarness.item;
import static io.ringfence.engine.commerce.CommerceHarness.level;
import static io.ringfence.engine.commerce.CommerceHarness.order;
import static io.ringfence.engine.commerce.CommerceHarness.payment;
import static io.ringfence.engine.commerce.CommerceHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A payment that comes before its order waits for it (orders.earlyPayments): a shop's order feed
 * and its payment provider's notifications race, and such a payment was lost, leaving a paid order
 * CREATED and then UNPAID_OVERDUE.
 */
class EarlyPaymentsTest {
    private static boolean hasStatus(final List<String> pushes, final String status) {
        return pushes.stream().anyMatch(s -> s.contains("\"status\":\"" + status + "\""));
    }

    @Test
    void shouldPayAnOrderWhosePaymentCameFirst() {
        final CommerceHarness h = new CommerceHarness(c -> { });
        h.send(level("2026-01-05T10:00:00Z", "s1", "w1", 20));
        assertEquals(List.of(), h.pushes(payment("2026-01-05T10:00:01Z", "p1", "o1", "AUTHORIZED")));
        assertEquals(1, h.commerce().earlyPaymentsWaiting());
        final List<String> placed = h.pushes(order("2026-01-05T10:00:02Z", "o1", "u1", item("s1", 4)));
        assertEquals(2, placed.size(), placed.toString());
        assertTrue(placed.get(0).contains("\"status\":\"CREATED\"") && placed.get(1).contains("\"status\":\"PAID\""),
                "CREATED, then PAID by the payment that waited: " + placed);
        assertEquals(OrderState.PAID, h.commerce().orderState("o1"));
        assertEquals(16, h.commerce().available("s1"), "a paid order still reserves its lines");
        assertEquals(1, h.commerce().earlyPaymentsApplied());
        assertEquals(0, h.commerce().earlyPaymentsWaiting());
        assertTrue(!hasStatus(h.pushes(activity("2026-01-05T11:00:00Z")), "UNPAID_OVERDUE"), "a paid order is never unpaid overdue");
    }

    @Test
    void shouldWaitOnlyOrdersEarlyPaymentsOfEventTime() {
        final CommerceHarness inTime = new CommerceHarness(c -> c.orders.earlyPayments = "30m");
        inTime.send(payment("2026-01-05T10:00:00Z", "p1", "o1", "AUTHORIZED"));
        inTime.send(order("2026-01-05T10:30:00Z", "o1", "u1", item("s1", 1)));
        assertEquals(OrderState.PAID, inTime.commerce().orderState("o1"), "an order exactly 30m later is in time");

        final CommerceHarness late = new CommerceHarness(c -> c.orders.earlyPayments = "30m");
        late.send(payment("2026-01-05T10:00:00Z", "p1", "o1", "AUTHORIZED"));
        late.send(order("2026-01-05T10:30:00.000001Z", "o1", "u1", item("s1", 1)));
        assertEquals(OrderState.CREATED, late.commerce().orderState("o1"));
        assertEquals(1, late.commerce().paymentsWithoutOrder());
        assertEquals(0, late.commerce().earlyPaymentsApplied());

        final CommerceHarness off = new CommerceHarness(c -> c.orders.earlyPayments = "0s");
        off.send(payment("2026-01-05T10:00:00Z", "p1", "o1", "AUTHORIZED"));
        off.send(order("2026-01-05T10:00:01Z", "o1", "u1", item("s1", 1)));
        assertEquals(OrderState.CREATED, off.commerce().orderState("o1"), "0s keeps none");
        assertEquals(1, off.commerce().paymentsWithoutOrder());
    }

    @Test
    void shouldApplyWaitingPaymentsInArrivalOrderUnderTheUsualRules() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.decisions.repeats = "again"; // the order book's own defence against retries (decisions.repeats: first answers them first: RepeatedIdTest)
        });
        h.send(payment("2026-01-05T10:00:00Z", "p1", "o1", "4.00", "EUR", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:00:01Z", "p1", "o1", "4.00", "EUR", "AUTHORIZED")); // a retried notification
        h.send(payment("2026-01-05T10:00:02Z", "p2", "o1", "10.00", "GBP", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:00:03Z", "p3", "o1", "6.00", "EUR", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:00:04Z", "r1", "o1", "10.00", "EUR", "REFUNDED"));
        h.send(payment("2026-01-05T10:00:05Z", "d1", "o1", "10.00", "EUR", "DECLINED")); // moves nothing: not kept
        assertEquals(4, h.commerce().earlyPaymentsWaiting(), "the retry is a repeat of one waiting: not kept twice");
        assertEquals(1, h.commerce().repeatedPayments());
        final List<String> placed = h.pushes(order("2026-01-05T10:00:06Z", "o1", "u1", item("s1", 1)));
        assertTrue(hasStatus(placed, "PAID") && hasStatus(placed, "REFUNDED"), placed.toString());
        assertEquals(OrderState.REFUNDED, h.commerce().orderState("o1"), "paid by 4.00 + 6.00 EUR, then refunded");
        assertEquals(1, h.commerce().repeatedPayments());
        assertEquals(1, h.commerce().otherCurrencyPayments());
        assertEquals(1, h.commerce().partialPayments());
        assertEquals(4, h.commerce().earlyPaymentsApplied());
    }

    @Test
    void shouldPushOutTheOldestWhenFullAndCapEachOrder() {
        final CommerceHarness h = new CommerceHarness(c -> c.orders.maxEarlyPayments = 2);
        h.send(payment("2026-01-05T10:00:00Z", "p1", "o1", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:00:01Z", "p2", "o2", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:00:02Z", "p3", "o3", "AUTHORIZED"));
        assertEquals(1, h.commerce().earlyPaymentsPushedOut(), "the oldest was pushed out");
        assertEquals(0, h.commerce().paymentsWithoutOrder());
        for (final String o : new String[] {"o1", "o2", "o3"}) {
            h.send(order("2026-01-05T10:00:03Z", o, "u1", item("s1", 1)));
        }
        assertEquals(OrderState.CREATED, h.commerce().orderState("o1"));
        assertEquals(OrderState.PAID, h.commerce().orderState("o2"));
        assertEquals(OrderState.PAID, h.commerce().orderState("o3"));

        // re-trial: the 9th payment for one order was dropped instead of the oldest, and retries took the 8 places, so an
        // order paid in full by its last payments stayed CREATED and fell overdue
        final CommerceHarness one = new CommerceHarness(c -> {
            c.decisions.repeats = "again"; // the order book's own defence against retries (decisions.repeats: first answers them first: RepeatedIdTest)
        });
        one.send(payment("2026-01-05T10:00:00Z", "q0", "o1", "0.01", "EUR", "AUTHORIZED"));
        for (int i = 1; i <= EarlyPayments.PER_ORDER; i++) {
            one.send(payment("2026-01-05T10:00:00Z", "q" + i, "o1", "1.25", "EUR", "AUTHORIZED"));
            one.send(payment("2026-01-05T10:00:00Z", "q" + i, "o1", "1.25", "EUR", "AUTHORIZED")); // each retried once
        }
        assertEquals(EarlyPayments.PER_ORDER, one.commerce().earlyPaymentsWaiting());
        assertEquals(1, one.commerce().earlyPaymentsPushedOut(), "q0, the oldest, made room for q8");
        assertEquals(EarlyPayments.PER_ORDER, one.commerce().repeatedPayments(), "the retries waited nowhere");
        one.send(order("2026-01-05T10:00:01Z", "o1", "u1", item("s1", 1)));
        assertEquals(OrderState.PAID, one.commerce().orderState("o1"), "8 x 1.25 = 10.00");
        assertEquals(0, one.commerce().paymentsWithoutOrder());
    }

    @Test
    void shouldReuseTheRingAfterAppliedPaymentsAndKeepItAcrossASnapshot() {
        final CommerceHarness h = new CommerceHarness(c -> c.orders.maxEarlyPayments = 3);
        h.send(payment("2026-01-05T10:00:00Z", "p1", "o1", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:00:01Z", "p2", "o2", "AUTHORIZED"));
        h.send(order("2026-01-05T10:00:02Z", "o1", "u1", item("s1", 1))); // leaves a hole where p1 was
        h.send(payment("2026-01-05T10:00:03Z", "p3", "o3", "AUTHORIZED"));
        final CommerceHarness restored = h.restored(c -> c.orders.maxEarlyPayments = 3);
        assertEquals(h.logic.stateHash(), restored.logic.stateHash());
        for (final CommerceHarness x : List.of(h, restored)) {
            x.send(payment("2026-01-05T10:00:04Z", "p4", "o4", "AUTHORIZED")); // full: drops the hole, keeps o2 and o3
            assertEquals(0, x.commerce().earlyPaymentsPushedOut());
            assertEquals(3, x.commerce().earlyPaymentsWaiting());
            x.send(payment("2026-01-05T10:00:05Z", "p5", "o5", "AUTHORIZED")); // pushes out o2's
            assertEquals(1, x.commerce().earlyPaymentsPushedOut());
            for (final String o : new String[] {"o2", "o3", "o4", "o5"}) {
                x.send(order("2026-01-05T10:00:06Z", o, "u1", item("s1", 1)));
            }
            assertEquals(OrderState.CREATED, x.commerce().orderState("o2"));
            assertEquals(OrderState.PAID, x.commerce().orderState("o5"));
        }
        assertEquals(h.logic.stateHash(), restored.logic.stateHash());
    }

    @Test
    void shouldApplyWaitingPaymentsToAnOrderAdoptedFromAStatus() {
        final CommerceHarness h = new CommerceHarness(c -> c.orders.unknownOrders = "adopt");
        h.send(payment("2026-01-05T10:00:00Z", "p1", "o1", "0.01", "EUR", "AUTHORIZED"));
        final List<String> adopted = h.pushes(status("2026-01-05T10:00:01Z", "o1", "u1", "CREATED"));
        assertTrue(hasStatus(adopted, "CREATED") && hasStatus(adopted, "PAID"), adopted.toString());
        assertEquals(OrderState.PAID, h.commerce().orderState("o1"), "an adopted order (no amount yet) moves on any payment");
    }
}

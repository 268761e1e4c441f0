package io.ringfence.engine.commerce;

import io.ringfence.sbe.OrderState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ringfence.engine.commerce.CommerceHarness.item;
import static io.ringfence.engine.commerce.CommerceHarness.level;
import static io.ringfence.engine.commerce.CommerceHarness.order;
import static io.ringfence.engine.commerce.CommerceHarness.payment;
import static io.ringfence.engine.commerce.CommerceHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A payment moves its order only once the payments of its kind, in the order's currency, add up
 * to the order's amount (money trial: a refund of 0.01 settled a 200.00 order, released its stock
 * and refused the shipment; a payment of 100 JPY or of 0.01 EUR paid a 100.00 EUR order).
 */
class OrderPaymentAmountsTest {
    /** An order of 10.00 EUR reserving 4 of s1, of which 8 are in stock. */
    private static CommerceHarness paidOrder() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.decisions.repeats = "again"; // the order book's own defence against retries (decisions.repeats: first answers them first: RepeatedIdTest)
        });
        h.send(level("2026-01-05T10:00:00Z", "s1", "w1", 8));
        h.send(order("2026-01-05T10:00:01Z", "o1", "u1", item("s1", 4)));
        h.send(payment("2026-01-05T10:00:02Z", "p1", "o1", "10.00", "EUR", "AUTHORIZED"));
        assertEquals(OrderState.PAID, h.commerce().orderState("o1"));
        assertEquals(4, h.commerce().available("s1"));
        return h;
    }

    @Test
    void shouldKeepAnOrderAndItsStockOnAPartialRefund() {
        final CommerceHarness h = paidOrder();
        assertEquals(List.of(), h.pushes(payment("2026-01-05T10:00:03Z", "r1", "o1", "0.01", "EUR", "REFUNDED")),
                "a refund of 0.01 of 10.00 neither settles the order nor puts its stock back on sale");
        assertEquals(OrderState.PAID, h.commerce().orderState("o1"));
        assertEquals(4, h.commerce().available("s1"));
        assertEquals(1, h.commerce().partialRefunds());
        final List<String> shipped = h.pushes(status("2026-01-05T10:00:04Z", "o1", "u1", "SHIPPED"));
        assertEquals(1, shipped.size(), "the shipment goes on: " + shipped);
        assertTrue(shipped.get(0).contains("\"status\":\"SHIPPED\""), shipped.get(0));
    }

    @Test
    void shouldRefundTheOrderWhenItsRefundsAddUpToItsAmount() {
        final CommerceHarness h = paidOrder();
        assertEquals(List.of(), h.pushes(payment("2026-01-05T10:00:03Z", "r1", "o1", "4.00", "EUR", "REFUNDED")));
        final List<String> refunded = h.pushes(payment("2026-01-05T10:00:04Z", "r2", "o1", "6.00", "EUR", "REFUNDED"));
        assertTrue(refunded.stream().anyMatch(s -> s.contains("\"status\":\"REFUNDED\"")), refunded.toString());
        assertEquals(OrderState.REFUNDED, h.commerce().orderState("o1"));
        assertEquals(8, h.commerce().available("s1"), "the whole refund releases what the order reserved");
        assertEquals(1, h.commerce().partialRefunds());
        final CommerceHarness over = paidOrder();
        over.send(payment("2026-01-05T10:00:03Z", "r1", "o1", "5000.00", "EUR", "REFUNDED"));
        assertEquals(OrderState.REFUNDED, over.commerce().orderState("o1"), "a refund of more than the amount refunds it too");
    }

    @Test
    void shouldPayAnOrderOnlyWhenItsPaymentsCoverItsAmountInItsCurrency() {
        final CommerceHarness h = new CommerceHarness(c -> { });
        h.send(order("2026-01-05T10:00:01Z", "o1", "u1", item("s1", 1)));
        assertEquals(List.of(), h.pushes(payment("2026-01-05T10:00:02Z", "p1", "o1", "1000", "JPY", "AUTHORIZED")),
                "1000 JPY does not pay 10.00 EUR");
        assertEquals(List.of(), h.pushes(payment("2026-01-05T10:00:03Z", "p2", "o1", "0.01", "EUR", "AUTHORIZED")));
        assertEquals(List.of(), h.pushes(payment("2026-01-05T10:00:04Z", "p3", "o1", "5.99", "EUR", "CAPTURED")),
                "captures are summed apart from authorizations: a capture repeats an authorization's money");
        assertEquals(OrderState.CREATED, h.commerce().orderState("o1"));
        assertEquals(1, h.commerce().otherCurrencyPayments());
        assertEquals(2, h.commerce().partialPayments());
        final List<String> paid = h.pushes(payment("2026-01-05T10:00:05Z", "p4", "o1", "9.99", "EUR", "AUTHORIZED"));
        assertEquals(1, paid.size(), "split payments that add up to the amount pay it: " + paid);
        assertTrue(paid.get(0).contains("\"status\":\"PAID\""), paid.get(0));
        assertEquals(2, h.commerce().partialPayments(), "a payment of an order already paid is not partial");
        h.send(payment("2026-01-05T10:00:06Z", "p5", "o1", "0.01", "EUR", "AUTHORIZED"));
        assertEquals(2, h.commerce().partialPayments());
    }

    @Test
    void shouldMoveAnOrderKnownOnlyFromAStatusOnAnyPayment() {
        final CommerceHarness h = new CommerceHarness(c -> c.orders.unknownOrders = "adopt");
        h.send(status("2026-01-05T10:00:01Z", "o1", "u1", "CREATED")); // adopted: no order event, no amount yet
        h.send(payment("2026-01-05T10:00:02Z", "p1", "o1", "0.01", "EUR", "AUTHORIZED"));
        assertEquals(OrderState.PAID, h.commerce().orderState("o1"));
        assertEquals(0, h.commerce().partialPayments());
    }

    @Test
    void shouldWeighPaymentsAgainstTheFirstOrderEventAndAnAdoptedOrdersCompletingOne() {
        final CommerceHarness h = new CommerceHarness(c -> c.orders.unknownOrders = "adopt");
        h.send(order("2026-01-05T10:00:01Z", "o1", "u1", item("s1", 1)));
        h.send(order("2026-01-05T10:00:02Z", "o1", "u1", item("s1", 1)).replace("\"10.00\"", "\"0.01\"")); // a repeat: the first stands
        h.send(payment("2026-01-05T10:00:03Z", "p1", "o1", "0.01", "EUR", "AUTHORIZED"));
        assertEquals(OrderState.CREATED, h.commerce().orderState("o1"), "weighed against 10.00, not the repeat's 0.01");
        h.send(status("2026-01-05T10:00:04Z", "o2", "u1", "CREATED")); // adopted
        h.send(order("2026-01-05T10:00:05Z", "o2", "u1", item("s1", 1))); // completes it: 10.00 EUR from now on
        h.send(payment("2026-01-05T10:00:06Z", "p2", "o2", "0.01", "EUR", "AUTHORIZED"));
        assertEquals(OrderState.CREATED, h.commerce().orderState("o2"));
        assertEquals(2, h.commerce().partialPayments());
        final CommerceHarness unpaid = new CommerceHarness(c -> { });
        unpaid.send(order("2026-01-05T10:00:01Z", "o1", "u1", item("s1", 1)));
        unpaid.send(payment("2026-01-05T10:00:02Z", "r1", "o1", "10.00", "EUR", "REFUNDED")); // CREATED cannot be refunded
        unpaid.send(payment("2026-01-05T10:00:03Z", "p1", "o1", "10.00", "EUR", "AUTHORIZED"));
        unpaid.send(payment("2026-01-05T10:00:04Z", "r2", "o1", "0.01", "EUR", "REFUNDED"));
        assertEquals(OrderState.PAID, unpaid.commerce().orderState("o1"), "a refund before the payment is not kept for after it");
    }

    @Test
    void shouldAddAPaymentSentAgainUnderItsIdOnce() {
        // payments trial: a refund notification retried (the same paymentId twice) refunded half an order whole,
        // put its stock back on sale and refused its shipment
        final CommerceHarness h = paidOrder();
        h.send(payment("2026-01-05T10:00:03Z", "r1", "o1", "5.00", "EUR", "REFUNDED"));
        assertEquals(List.of(), h.pushes(payment("2026-01-05T10:00:04Z", "r1", "o1", "5.00", "EUR", "REFUNDED")));
        assertEquals(OrderState.PAID, h.commerce().orderState("o1"));
        assertEquals(4, h.commerce().available("s1"));
        assertEquals(1, h.commerce().repeatedPayments());
        h.send(payment("2026-01-05T10:00:05Z", "r2", "o1", "5.00", "EUR", "REFUNDED"));
        assertEquals(OrderState.REFUNDED, h.commerce().orderState("o1"), "two refunds of 5.00 under their own ids refund 10.00");

        final CommerceHarness kinds = new CommerceHarness(c -> { });
        kinds.send(order("2026-01-05T10:00:01Z", "o1", "u1", item("s1", 1)));
        kinds.send(payment("2026-01-05T10:00:02Z", "p1", "o1", "4.00", "EUR", "AUTHORIZED"));
        kinds.send(payment("2026-01-05T10:00:03Z", "p1", "o1", "4.00", "EUR", "CAPTURED"));
        assertEquals(0, kinds.commerce().repeatedPayments(), "a capture under its authorization's id is no repeat");
        assertEquals(2, kinds.commerce().partialPayments());
    }

    @Test
    void shouldKeepAnOrderPaidInInstalmentsAcrossItsIdleTime() {
        // payments trial: with orders.idleTtl 3d, an order paid half on day 2 was forgotten on day 3 and its last payment lost
        final CommerceHarness h = new CommerceHarness(c -> c.orders.idleTtl = "3d");
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", item("s1", 1)));
        h.send(payment("2026-01-07T10:00:00Z", "p1", "o1", "5.00", "EUR", "AUTHORIZED"));
        h.send(payment("2026-01-08T22:00:00Z", "p2", "o1", "5.00", "EUR", "AUTHORIZED"));
        assertEquals(OrderState.PAID, h.commerce().orderState("o1"), "a payment added is activity");
    }

    @Test
    void shouldKeepWhatPaymentsAddedUpAcrossASnapshot() {
        final CommerceHarness h = new CommerceHarness(c -> { });
        h.send(order("2026-01-05T10:00:01Z", "o1", "u1", item("s1", 1)));
        h.send(payment("2026-01-05T10:00:02Z", "p1", "o1", "4.00", "EUR", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:00:03Z", "p2", "o1", "1.00", "GBP", "AUTHORIZED"));
        final CommerceHarness restored = h.restored(c -> { });
        assertEquals(h.logic.stateHash(), restored.logic.stateHash());
        assertEquals(1, restored.commerce().partialPayments());
        assertEquals(1, restored.commerce().otherCurrencyPayments());
        final List<String> paid = restored.pushes(payment("2026-01-05T10:00:04Z", "p3", "o1", "6.00", "EUR", "AUTHORIZED"));
        assertTrue(paid.size() == 1 && paid.get(0).contains("\"status\":\"PAID\""), paid.toString());
    }
}

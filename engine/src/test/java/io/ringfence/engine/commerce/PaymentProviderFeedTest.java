package io.ringfence.engine.commerce;

import io.ringfence.sbe.OrderState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a payment provider's feed met in the integrator trial (2026-12-06): payments naming only their order, no order at
 * all, two merchants' orders under one id, and partial refunds under the original payment's id.
 */
class PaymentProviderFeedTest {
    private static String order(final int second, final String id, final String user, final String merchant, final String card,
                                final String amount) {
        return "{\"type\":\"order\",\"time\":\"2026-01-05T10:00:" + String.format("%02d", second) + "Z\",\"orderId\":\"" + id
                + "\",\"userId\":\"" + user + "\",\"merchantId\":\"" + merchant + "\",\"amount\":\"" + amount
                + "\",\"currency\":\"EUR\"" + (card.isEmpty() ? "" : ",\"instrumentId\":\"" + card + "\"") + "}";
    }

    /** A payment naming {@code order} (may be empty) and what {@code more} adds, no user or card of its own. */
    private static String payment(final int second, final String id, final String order, final String amount,
                                  final String result) {
        return "{\"type\":\"payment\",\"time\":\"2026-01-05T10:00:" + String.format("%02d", second) + "Z\",\"paymentId\":\"" + id
                + "\"" + (order.isEmpty() ? "" : ",\"orderId\":\"" + order + "\"") + ",\"amount\":\"" + amount
                + "\",\"currency\":\"EUR\",\"result\":\"" + result + "\"}";
    }

    private static String first(final List<String> out, final String type) {
        return out.stream().filter(s -> s.contains("\"type\":\"" + type + "\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + out));
    }

    /**
     * Money trial 2026-12-07 (HIGH): an order remembered its last 4 payments, so a retried notification of its first
     * payment after 4 more was added again and an order paid 50.00 of 60.00 was pushed PAID. Sent with the repeat table
     * off, so the retry reaches the order book as the same payment (with it on, a retry with other content does).
     */
    @Test
    void shouldNotAddARetriedPaymentOfAnOrderPaidInManyPartsAgain() {
        final CommerceHarness h = new CommerceHarness(c -> c.decisions.repeats = "again");
        h.send(order(0, "q", "alice", "m-A", "", "160.00"));
        for (int i = 1; i <= 15; i++) {
            assertFalse(h.send(payment(i, "q" + i, "q", "10.00", "AUTHORIZED")).stream().anyMatch(s -> s.contains("\"PAID\"")));
        }
        final List<String> retried = h.send(payment(16, "q1", "q", "10.00", "AUTHORIZED")); // 150.00 paid, not 160.00
        assertFalse(retried.stream().anyMatch(s -> s.contains("\"status\":\"PAID\"")), "a retry is not a payment: " + retried);
        final List<String> last = h.send(payment(17, "q16", "q", "10.00", "AUTHORIZED"));
        assertTrue(last.stream().anyMatch(s -> s.contains("\"orderStatusPush\"") && s.contains("\"status\":\"PAID\"")),
            "paid in full by the 16th: " + last);
    }

    @Test
    void shouldCarryTheOrdersUserOnADecisionAndAlertOfAPaymentNamingNone() {
        final CommerceHarness h = new CommerceHarness(c -> c.fraud.deny.instruments = List.of("card-666"));
        h.send(order(0, "o1", "alice", "m-A", "card-666", "10.00"));
        final List<String> out = h.send(payment(1, "p1", "o1", "10.00", "AUTHORIZED"));
        final String decision = first(out, "decision");
        assertTrue(decision.contains("\"decision\":\"DECLINE\"") && decision.contains("\"userId\":\"alice\""), decision);
        assertTrue(first(out, "fraudAlert").contains("\"userId\":\"alice\""), "a user's FRAUD_ALERT subscribers get it: " + out);
        // sent again: the repeat's answer names the same user
        final String again = first(h.send(payment(1, "p1", "o1", "10.00", "AUTHORIZED")), "decision");
        assertTrue(again.contains("REPEATED_ID") && again.contains("\"userId\":\"alice\""), again);
    }

    @Test
    void shouldLendNothingFromAnOrderWhoseIdCameAgainForAnotherMerchantOrCard() {
        final CommerceHarness h = new CommerceHarness(c -> c.fraud.deny.instruments = List.of("card-666"));
        assertTrue(first(h.send(order(0, "1001", "ua", "m-A", "card-666", "10.00")), "decision").contains("DENY_LIST"));
        final String other = first(h.send(order(1, "1001", "ub", "m-B", "card-ok", "10.00")), "decision");
        assertTrue(other.contains("ID_REUSED"), other);
        // which of the two this payment pays cannot be known: judged by what it names (was: m-A's denied card, DECLINE)
        final String paid = first(h.send(payment(2, "p-b", "1001", "10.00", "AUTHORIZED")), "decision");
        assertTrue(paid.contains("\"decision\":\"APPROVE\"") && !paid.contains("\"userId\":\"ua\""), paid);

        // the same order sent again with the same parties (another amount) still lends them
        assertTrue(paidAfter(c -> c.fraud.deny.instruments = List.of("card-666"), "2002", "card-666", "card-666").contains("DENY_LIST"));
    }

    /** Review: the same user's order sent again with another card (or adding one) is that order, not another. */
    @Test
    void shouldKeepLendingWhenTheSameUsersOrderComesAgainWithAnotherOrANewCard() {
        final String paid = paidAfter(c -> c.fraud.deny.users = List.of("ua"), "o7", "card-1", "card-2");
        assertTrue(paid.contains("DENY_LIST") && paid.contains("\"userId\":\"ua\""), paid);
        assertTrue(paidAfter(c -> c.fraud.deny.users = List.of("ua"), "o4", "", "card-1").contains("\"userId\":\"ua\""));
    }

    /** The decision of a payment naming only {@code order}, sent by user ua of m-A with {@code card} then {@code again}. */
    private static String paidAfter(final java.util.function.Consumer<io.ringfence.engine.config.EngineConfig> lists,
                                    final String order, final String card, final String again) {
        final CommerceHarness h = new CommerceHarness(lists);
        h.send(order(0, order, "ua", "m-A", card, "10.00"));
        h.send(order(1, order, "ua", "m-A", again, "12.00"));
        return first(h.send(payment(2, "p-" + order, order, "10.00", "AUTHORIZED")), "decision");
    }

    /** Review: a refund retried after a restore from a snapshot is still one refund. */
    @Test
    void shouldTakeARetriedRefundForOneAfterARestore() {
        final CommerceHarness h = new CommerceHarness(c -> { });
        h.send(order(0, "o6", "u6", "m-A", "card-6", "50.00"));
        h.send(payment(1, "p6", "o6", "50.00", "CAPTURED"));
        h.send(payment(2, "p6", "o6", "25.00", "REFUNDED"));
        final CommerceHarness restored = h.restored(c -> { });
        assertTrue(first(restored.send(payment(2, "p6", "o6", "25.00", "REFUNDED")), "decision").contains("REPEATED_ID"));
        assertEquals(OrderState.PAID, restored.commerce().orderState("o6"), "25.00 of 50.00 back");
    }

    @Test
    void shouldKeepTheContestedMarkInSnapshots() {
        final CommerceHarness h = new CommerceHarness(c -> c.fraud.deny.instruments = List.of("card-666"));
        h.send(order(0, "1001", "ua", "m-A", "card-666", "10.00"));
        h.send(order(1, "1001", "ub", "m-B", "card-ok", "10.00"));
        final CommerceHarness restored = h.restored(c -> c.fraud.deny.instruments = List.of("card-666"));
        assertEquals(h.logic.stateHash(), restored.logic.stateHash());
        assertTrue(first(restored.send(payment(2, "p-b", "1001", "10.00", "AUTHORIZED")), "decision").contains("APPROVE"));
    }

    @Test
    void shouldHoldNoEarlyPaymentForAPaymentNamingNoOrder() {
        final CommerceHarness h = new CommerceHarness(c -> { });
        for (int i = 0; i < 12; i++) {
            h.send(payment(i, "p" + i, "", "10.00", "AUTHORIZED"));
        }
        assertEquals(0, h.commerce().earlyPaymentsWaiting(), "no order named: none to wait for");
        assertEquals(0, h.commerce().earlyPaymentsPushedOut());
    }

    @Test
    void shouldAddPartialRefundsSentUnderThePaymentsOwnId() {
        final CommerceHarness h = new CommerceHarness(c -> { });
        h.send(order(0, "o5", "u5", "m-A", "card-5", "50.00"));
        h.send(payment(1, "p5", "o5", "50.00", "AUTHORIZED"));
        assertEquals(OrderState.PAID, h.commerce().orderState("o5"));
        final String partial = first(h.send(payment(2, "p5", "o5", "20.00", "REFUNDED")), "decision");
        assertFalse(partial.contains("ID_REUSED"), partial);
        assertEquals(OrderState.PAID, h.commerce().orderState("o5"), "20.00 of 50.00 back");
        // a retried notification of that refund is one refund, not two
        assertTrue(first(h.send(payment(2, "p5", "o5", "20.00", "REFUNDED")), "decision").contains("REPEATED_ID"));
        assertEquals(OrderState.PAID, h.commerce().orderState("o5"));
        final List<String> rest = h.send(payment(3, "p5", "o5", "30.00", "REFUNDED"));
        assertFalse(first(rest, "decision").contains("ID_REUSED"), "another partial refund, not the id reused: " + rest);
        assertTrue(rest.stream().anyMatch(s -> s.contains("orderStatusPush") && s.contains("REFUNDED")), rest.toString());
        assertEquals(OrderState.REFUNDED, h.commerce().orderState("o5"), "20.00 + 30.00 of 50.00 back");
    }
}

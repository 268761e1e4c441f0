package io.ringfence.engine.commerce;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ringfence.engine.commerce.CommerceHarness.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A payment that names its order but not its user or card is judged by its order's (analyst trial, 2026-12-06: a
 * payment of an order declined for a denied card was approved, the deny lists and every user and card feature blind to
 * it). With the orders stage off, or the order not held, it is judged by what it names, as before.
 */
class PaymentPartiesTest {
    private static final String T = "2026-01-05T10:00:00Z";

    private static String order(final String id, final String user, final String card) {
        return "{\"type\":\"order\",\"time\":\"" + T + "\",\"orderId\":\"" + id + "\",\"userId\":\"" + user + "\",\"amount\":\"10.00\","
                + "\"currency\":\"EUR\",\"instrumentId\":\"" + card + "\",\"items\":[" + item("s1", 1) + "]}";
    }

    private static String payment(final String id, final String order, final String more) {
        return "{\"type\":\"payment\",\"time\":\"2026-01-05T10:00:05Z\",\"paymentId\":\"" + id + "\",\"orderId\":\"" + order
                + "\",\"amount\":\"10.00\",\"currency\":\"EUR\",\"result\":\"AUTHORIZED\"" + more + "}";
    }

    private static String decision(final List<String> out) {
        return out.stream().filter(s -> s.contains("\"type\":\"decision\"")).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    @Test
    void shouldJudgeAPaymentNamingOnlyItsOrderByTheOrdersCardAndUser() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.fraud.deny.instruments = List.of("card-666");
            c.fraud.deny.users = List.of("bad1");
        });
        assertTrue(decision(h.send(order("o1", "u1", "card-666"))).contains("\"decision\":\"DECLINE\""));
        final String byCard = decision(h.send(payment("p1", "o1", "")));
        assertTrue(byCard.contains("\"decision\":\"DECLINE\"") && byCard.contains("DENY_LIST"), byCard);

        assertTrue(decision(h.send(order("o2", "bad1", "card-2"))).contains("DENY_LIST"));
        final String byUser = decision(h.send(payment("p2", "o2", "")));
        assertTrue(byUser.contains("\"decision\":\"DECLINE\"") && byUser.contains("DENY_LIST"), byUser);

        // what the payment names wins over its order's
        assertTrue(decision(h.send(order("o3", "u3", "card-666"))).contains("DENY_LIST"));
        final String own = decision(h.send(payment("p3", "o3", ",\"userId\":\"u3\",\"instrumentId\":\"card-3\"")));
        assertTrue(own.contains("\"decision\":\"APPROVE\""), own);

        // an order not held: the payment alone
        final String unknown = decision(h.send(payment("p4", "o-never", "")));
        assertTrue(unknown.contains("\"decision\":\"APPROVE\""), unknown);
    }

    @Test
    void shouldJudgeAPaymentByWhatItNamesWithTheOrdersStageOff() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.fraud.deny.instruments = List.of("card-666");
            c.orders.enabled = false;
        });
        h.send(order("o1", "u1", "card-666"));
        assertTrue(decision(h.send(payment("p1", "o1", ""))).contains("\"decision\":\"APPROVE\""));
    }

    @Test
    void shouldKeepTheOrdersCardInSnapshots() {
        final CommerceHarness h = new CommerceHarness(c -> c.fraud.deny.instruments = List.of("card-666"));
        h.send(order("o1", "u1", "card-666"));
        final CommerceHarness restored = h.restored(c -> c.fraud.deny.instruments = List.of("card-666"));
        assertEquals(h.logic.stateHash(), restored.logic.stateHash());
        assertTrue(decision(restored.send(payment("p1", "o1", ""))).contains("DENY_LIST"));
    }
}

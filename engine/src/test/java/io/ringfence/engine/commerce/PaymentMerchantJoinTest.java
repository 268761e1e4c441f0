package io.ringfence.engine.commerce;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.window.WindowAggregator;
import io.ringfence.engine.window.WindowConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.ringfence.engine.commerce.CommerceHarness.activity;
import static io.ringfence.engine.commerce.CommerceHarness.order;
import static io.ringfence.engine.commerce.CommerceHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Windows keyed (or counting) {@code merchant} place a payment under the merchant of its order as
 * the order stage holds it; a payment whose order's merchant is unknown is under no merchant key
 * and counted in {@link WindowAggregator#unknownMerchants}.
 */
class PaymentMerchantJoinTest {
    private static final String PAYMENTS = "payments_by_merchant_1h";
    private static final String BOTH = "orders_and_payments_by_merchant_1h";
    private static final String TOP = "merchants_by_currency_1h";

    private static WindowConfig payments() {
        return new WindowConfig().name(PAYMENTS).key("merchant").kind("tumbling").size("1h").events("payment")
            .metrics("count", "count(attempts)", "count(failed)");
    }

    /** Windows, plus {@code more} settings. */
    private static Consumer<EngineConfig> config(final Consumer<EngineConfig> more, final WindowConfig... windows) {
        return c -> {
            c.windows = new ArrayList<>(List.of(windows));
            more.accept(c);
        };
    }

    private static String payment(final String time, final String orderId, final String result) {
        return "{\"type\":\"payment\",\"time\":\"" + time + "\",\"paymentId\":\"p-" + orderId + "-" + result + "\",\"orderId\":\""
            + orderId + "\",\"userId\":\"u1\",\"amount\":\"10.00\",\"currency\":\"EUR\",\"result\":\"" + result + "\"}";
    }

    private static List<String> results(final CommerceHarness h, final String window) {
        final List<String> r = new ArrayList<>();
        for (final String line : h.flush()) {
            if (line.contains("\"window\":\"" + window + "\"")) {
                r.add(line.replaceAll("\"seq\":\\d+,", ""));
            }
        }
        return r;
    }

    @Test
    void shouldCountAPaymentAfterItsOrderUnderTheOrdersMerchant() {
        final CommerceHarness h = new CommerceHarness(config(c -> { }, payments(),
            new WindowConfig().name(BOTH).key("merchant").kind("tumbling").size("1h").events("order", "payment")
                .metrics("count", "count(failed)")));
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", "shop-a", ""));
        h.send(order("2026-01-05T10:01:00Z", "o2", "u2", "shop-b", ""));
        h.send(payment("2026-01-05T10:02:00Z", "o1", "DECLINED"));
        h.send(payment("2026-01-05T10:03:00Z", "o1", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:04:00Z", "o2", "FAILED"));
        h.send(payment("2026-01-05T10:05:00Z", "o1", "CAPTURED"));
        final WindowAggregator windows = h.logic.windows();
        assertEquals(List.of(
            "{\"type\":\"windowResult\",\"window\":\"" + PAYMENTS + "\",\"key\":\"shop-a\",\"start\":\"2026-01-05T10:00:00Z\","
                + "\"end\":\"2026-01-05T11:00:00Z\",\"count\":3,\"countAttempts\":2,\"countFailed\":1,\"lateTotal\":0}",
            "{\"type\":\"windowResult\",\"window\":\"" + PAYMENTS + "\",\"key\":\"shop-b\",\"start\":\"2026-01-05T10:00:00Z\","
                + "\"end\":\"2026-01-05T11:00:00Z\",\"count\":1,\"countAttempts\":1,\"countFailed\":1,\"lateTotal\":0}"),
            results(h, PAYMENTS));
        assertEquals(0, windows.unknownMerchants(PAYMENTS));
    }

    @Test
    void shouldCountOrdersUnderTheirOwnMerchantAndPaymentsUnderTheirOrdersInOneWindow() {
        final CommerceHarness h = new CommerceHarness(config(c -> { },
            new WindowConfig().name(BOTH).key("merchant").kind("tumbling").size("1h").events("order", "payment")
                .metrics("count", "count(failed)")));
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", "shop-a", ""));
        h.send(order("2026-01-05T10:01:00Z", "o2", "u2", "shop-b", ""));
        h.send(payment("2026-01-05T10:02:00Z", "o1", "FAILED"));
        final List<String> r = results(h, BOTH);
        assertEquals(2, r.size(), r.toString());
        assertTrue(r.get(0).contains("\"key\":\"shop-a\"") && r.get(0).contains("\"count\":2,\"countFailed\":1"), r.get(0));
        assertTrue(r.get(1).contains("\"key\":\"shop-b\"") && r.get(1).contains("\"count\":1,\"countFailed\":0"), r.get(1));
    }

    @Test
    void shouldCountAPaymentOfAnOrderNeverSeenOrWithoutAMerchantAsUnknown() {
        final CommerceHarness h = new CommerceHarness(config(c -> { }, payments()));
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", "shop-a", ""));
        h.send(order("2026-01-05T10:00:30Z", "no-merchant", "u1", null, ""));
        h.send(payment("2026-01-05T10:01:00Z", "never-seen", "FAILED"));
        h.send(payment("2026-01-05T10:02:00Z", "no-merchant", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:03:00Z", "o1", "AUTHORIZED"));
        final List<String> r = results(h, PAYMENTS);
        assertEquals(1, r.size(), "only shop-a has a series: " + r);
        assertTrue(r.get(0).contains("\"key\":\"shop-a\"") && r.get(0).contains("\"count\":1,"), r.get(0));
        assertEquals(2, h.logic.windows().unknownMerchants(PAYMENTS), "the order never seen and the order without merchant");
    }

    @Test
    void shouldNotCountLatePaymentsAsUnknown() {
        final CommerceHarness h = new CommerceHarness(config(c -> { }, payments()));
        h.send(order("2026-01-05T12:00:00Z", "o1", "u1", "shop-a", ""));
        h.send(payment("2026-01-05T12:00:00Z", "o1", "AUTHORIZED")); // of a known merchant: its time closes the 10:00 hour
        h.send(payment("2026-01-05T12:00:00Z", "never-seen", "FAILED"));
        h.send(payment("2026-01-05T10:00:00Z", "never-seen-either", "FAILED")); // its hour closed: late, not taken in
        assertEquals(1, h.logic.windows().unknownMerchants(PAYMENTS));
        // a payment of no merchant has no key in a window keyed by merchant: in no result, nor in lateTotal, and its time
        // moves no interval on (event-time audit); only the keyed payments' times close hours
        assertEquals(0, h.logic.windows().lateCount(PAYMENTS));
        final CommerceHarness alone = new CommerceHarness(config(c -> { }, payments()));
        alone.send(payment("2026-01-05T12:00:00Z", "never-seen", "FAILED"));
        alone.send(payment("2026-01-05T10:00:00Z", "never-seen-either", "FAILED")); // no keyed payment closed its hour
        assertEquals(2, alone.logic.windows().unknownMerchants(PAYMENTS));
    }

    @Test
    void shouldCountAPaymentOfAForgottenOrderAsUnknownEvenWhenThePaymentItselfForgetsIt() {
        final CommerceHarness h = new CommerceHarness(config(c -> {
            c.orders.idleTtl = "1h";
            c.orders.unshippedAfter = "0s";
        }, payments()));
        final List<String> out = new ArrayList<>();
        out.addAll(h.send(order("2026-01-05T10:00:00Z", "o1", "u1", "shop-a", "")));
        out.addAll(h.send(order("2026-01-05T10:00:00Z", "o2", "u1", "shop-a", "")));
        out.addAll(h.send(payment("2026-01-05T10:59:59Z", "o1", "AUTHORIZED"))); // o1 still held (and now PAID: idle again from here)
        // o2's idleTtl ends at 11:00: this payment is the first event past it (exactly at 11:00 would still be in time), so
        // the order stage forgets o2 before applying it, and the windows (which see the event first) must not find o2 either
        out.addAll(h.send(payment("2026-01-05T11:00:00.000001Z", "o2", "AUTHORIZED")));
        assertEquals(null, h.commerce().orderState("o2"), "o2 forgotten");
        out.addAll(h.send(activity("2026-01-05T11:30:00Z")));
        out.addAll(h.send(payment("2026-01-05T11:40:00Z", "o1", "CAPTURED"))); // o1 held until 11:59:59
        out.addAll(h.send(status("2026-01-05T13:00:00Z", "o1", "u1", "SHIPPED"))); // forgotten: a reject
        out.addAll(h.send(payment("2026-01-05T13:01:00Z", "o1", "REFUNDED")));
        out.addAll(h.flush());
        final List<String> r = out.stream().filter(l -> l.contains("\"windowResult\"")).toList();
        assertEquals(2, r.size(), r.toString());
        assertTrue(r.get(0).contains("\"key\":\"shop-a\"") && r.get(0).contains("2026-01-05T10:00:00Z") && r.get(0).contains("\"count\":1,"),
            r.get(0));
        assertTrue(r.get(1).contains("\"key\":\"shop-a\"") && r.get(1).contains("2026-01-05T11:00:00Z") && r.get(1).contains("\"count\":1,"),
            "11:00 (o2, forgotten) is unknown, 11:40 (o1) counts: " + r.get(1));
        assertEquals(2, h.logic.windows().unknownMerchants(PAYMENTS), "o2 at 11:00 and o1 at 13:01");
    }

    @Test
    void shouldCountEveryPaymentAsUnknownWithTheOrdersStageOff() {
        final CommerceHarness h = new CommerceHarness(config(c -> c.orders.enabled = false, payments()));
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", "shop-a", ""));
        h.send(payment("2026-01-05T10:01:00Z", "o1", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:02:00Z", "o1", "FAILED"));
        assertEquals(List.of(), results(h, PAYMENTS));
        assertEquals(2, h.logic.windows().unknownMerchants(PAYMENTS));
    }

    @Test
    void shouldCountPaymentsOfAnOrderOverTheCapOrAdoptedFromAStatusAsUnknown() {
        final CommerceHarness h = new CommerceHarness(config(c -> {
            c.orders.maxOrders = 1;
            c.orders.whenFull = "refuse";
            c.orders.unknownOrders = "adopt";
        }, payments()));
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", "shop-a", ""));
        h.send(order("2026-01-05T10:00:01Z", "o2", "u1", "shop-b", "")); // over the cap: not held
        h.send(payment("2026-01-05T10:01:00Z", "o2", "AUTHORIZED"));
        h.send(status("2026-01-05T10:02:00Z", "o1", "u1", "CANCELLED"));
        assertEquals(1, h.commerce().ordersDropped());
        final CommerceHarness adopting = new CommerceHarness(config(c -> c.orders.unknownOrders = "adopt", payments()));
        adopting.send(status("2026-01-05T10:00:00Z", "adopted", "u1", "CREATED")); // held, but no order event named its merchant
        adopting.send(payment("2026-01-05T10:01:00Z", "adopted", "AUTHORIZED"));
        assertEquals("PAID", adopting.commerce().orderState("adopted").name(), "the order stage holds it");
        assertEquals(List.of(), results(h, PAYMENTS));
        assertEquals(1, h.logic.windows().unknownMerchants(PAYMENTS));
        assertEquals(List.of(), results(adopting, PAYMENTS));
        assertEquals(1, adopting.logic.windows().unknownMerchants(PAYMENTS));

        // the order event arriving after its status (a duplicate to the orders stage) still names the merchant
        final CommerceHarness late = new CommerceHarness(config(c -> c.orders.unknownOrders = "adopt", payments()));
        late.send(status("2026-01-05T10:00:00Z", "adopted", "u1", "CREATED"));
        late.send(order("2026-01-05T10:01:00Z", "adopted", "u1", "shop-c", ""));
        late.send(payment("2026-01-05T10:02:00Z", "adopted", "AUTHORIZED"));
        final List<String> joined = results(late, PAYMENTS);
        assertEquals(1, joined.size(), joined.toString());
        assertTrue(joined.get(0).contains("\"key\":\"shop-c\"") && joined.get(0).contains("\"countAttempts\":1"), joined.toString());
        assertEquals(0, late.logic.windows().unknownMerchants(PAYMENTS));
    }

    @Test
    void shouldJoinTheMerchantForCompositeKeysAndTopKOfPayments() {
        final CommerceHarness h = new CommerceHarness(config(c -> { },
            new WindowConfig().name("merchant_currency_1h").key("merchant", "currency").kind("tumbling").size("1h").events("payment")
                .metrics("count", "sum(amount)"),
            new WindowConfig().name(TOP).key("currency").kind("tumbling").size("1h").events("payment")
                .metrics("count", "distinct(merchantId)", "topk(merchant, 2)")));
        h.send(order("2026-01-05T10:00:00Z", "o1", "u1", "a-merchant-whose-id-is-long-36-bytes", ""));
        h.send(order("2026-01-05T10:00:00Z", "o2", "u1", "shop-b", ""));
        h.send(payment("2026-01-05T10:01:00Z", "o1", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:02:00Z", "o1", "FAILED"));
        h.send(payment("2026-01-05T10:03:00Z", "o2", "AUTHORIZED"));
        h.send(payment("2026-01-05T10:04:00Z", "unknown", "AUTHORIZED"));
        final List<String> all = h.flush();
        final String composite = all.stream().filter(s -> s.contains("merchant_currency_1h")).toList().toString();
        assertTrue(composite.contains("\"key\":\"a-merchant-whose-id-is-long-36-bytes|EUR\"") && composite.contains("\"key\":\"shop-b|EUR\""),
            composite);
        final String top = all.stream().filter(s -> s.contains(TOP)).findFirst().orElseThrow();
        assertTrue(top.contains("\"count\":4") && top.contains("\"distinctMerchantId\":2"), top);
        assertTrue(top.contains("{\"item\":\"a-merchant-whose-id-is-long-36-bytes\",\"count\":2}")
            && top.contains("{\"item\":\"shop-b\",\"count\":1}"), top);
        assertEquals(1, h.logic.windows().unknownMerchants(TOP), "counting merchants: the unknown one is not added");
        assertEquals(1, h.logic.windows().unknownMerchants("merchant_currency_1h"));
    }

    /**
     * The merchants joined and the unknown counts are business state: a snapshot anywhere in a
     * seeded shop (orders of 5 merchants and some without, payments of orders held, forgotten
     * and never seen), restored and continued, gives the outputs and state hash of no snapshot.
     */
    @ParameterizedTest(name = "snapshot after {0} events")
    @ValueSource(ints = {1, 1_500, 4_321})
    void shouldContinueFromASnapshotExactlyAsWithoutOne(final int at) {
        final Consumer<EngineConfig> config = config(c -> {
            c.orders.retention = "6h";
            c.orders.idleTtl = "1d";
            c.orders.unshippedAfter = "1h";
            c.orders.maxOrders = 600;
        }, payments(), new WindowConfig().name(TOP).key("currency").kind("tumbling").size("2h").events("payment")
            .metrics("count", "distinct(merchant)", "topk(merchant, 3)"));
        final int events = 6_000;
        final List<String> lines = CommerceWorkload.lines(41, events);
        final CommerceHarness straight = new CommerceHarness(config);
        final List<String> before = new ArrayList<>();
        for (int i = 0; i < at; i++) {
            before.addAll(straight.send(lines.get(i)));
        }
        final long unknownAt = straight.logic.windows().unknownMerchants(PAYMENTS);
        final CommerceHarness restored = straight.restored(config);
        assertEquals(straight.logic.stateHash(), restored.logic.stateHash(), "restored state hash");
        assertEquals(unknownAt, restored.logic.windows().unknownMerchants(PAYMENTS));
        final List<String> expected = new ArrayList<>();
        final List<String> actual = new ArrayList<>();
        for (int i = at; i < events; i++) {
            expected.addAll(straight.send(lines.get(i)));
            actual.addAll(restored.send(lines.get(i)));
        }
        expected.addAll(straight.flush());
        actual.addAll(restored.flush());
        assertEquals(expected, actual);
        assertEquals(straight.logic.stateHash(), restored.logic.stateHash());

        final WindowAggregator w = straight.logic.windows();
        before.addAll(expected);
        final long merchantResults = before.stream().filter(l -> l.contains("\"window\":\"" + PAYMENTS + "\",\"key\":\"m")).count();
        assertTrue(merchantResults > 100, "hours of payments per merchant: " + merchantResults);
        assertTrue(w.unknownMerchants(PAYMENTS) > 100 && w.unknownMerchants(TOP) > 100,
            "payments of unknown orders (never seen, forgotten, over the cap, without merchant): " + w.unknownMerchants(PAYMENTS)
                + " / " + w.unknownMerchants(TOP) + " (late payments differ: 1h and 2h windows)");
    }

    @Test
    void shouldHashTheUnknownCountAndTheOrdersMerchant() {
        final CommerceHarness a = new CommerceHarness(config(c -> { }, payments()));
        final CommerceHarness b = new CommerceHarness(config(c -> { }, payments()));
        a.send(order("2026-01-05T10:00:00Z", "o1", "u1", "shop-a", ""));
        b.send(order("2026-01-05T10:00:00Z", "o1", "u1", "shop-b", ""));
        assertTrue(a.logic.stateHash() != b.logic.stateHash(), "the order's merchant is state");
        final CommerceHarness c = new CommerceHarness(config(x -> { }, payments()));
        final CommerceHarness d = new CommerceHarness(config(x -> { }, payments()));
        c.send(order("2026-01-05T10:00:00Z", "o1", "u1", "shop-a", ""));
        d.send(order("2026-01-05T10:00:00Z", "o1", "u1", "shop-a", ""));
        c.send(payment("2026-01-05T10:01:00Z", "o1", "CHARGEBACK"));
        d.send(payment("2026-01-05T10:01:00Z", "o2", "CHARGEBACK")); // same outputs, but unknown
        assertEquals(1, d.logic.windows().unknownMerchants(PAYMENTS));
        assertTrue(c.logic.stateHash() != d.logic.stateHash(), "the unknown count is state");
    }
}

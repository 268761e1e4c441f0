package io.ringfence.engine.window;

import io.ringfence.engine.output.OutputBuffer;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.sbe.MetricKind;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.PaymentResult;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static io.ringfence.engine.window.TestEvents.HOUR;
import static io.ringfence.engine.window.TestEvents.MINUTE;
import static io.ringfence.engine.window.TestEvents.order;
import static io.ringfence.engine.window.TestEvents.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code count(attempts)}, {@code count(failed)}, {@code count(declined)}, {@code count(held)} and the {@code currency} key. */
class SubsetCountTest {
    private static WindowConfig payments() {
        return new WindowConfig().name("payments_1h").key("currency").kind("tumbling").size("1h").events("payment")
            .metrics("count", "count(attempts)", "count(failed)");
    }

    private static WindowConfig decisions() {
        return new WindowConfig().name("decisions_1h").key("merchant").kind("tumbling").size("1h").events("order", "payment")
            .metrics("count", "count(declined)", "count(held)");
    }

    @Test
    void shouldCountFailedPaymentsAmongAttemptsByTheirResult() {
        final Harness h = new Harness(payments());
        h.feedAll(payment(1 * MINUTE).result(PaymentResult.AUTHORIZED), payment(2 * MINUTE).result(PaymentResult.DECLINED),
            payment(3 * MINUTE).result(PaymentResult.FAILED), payment(4 * MINUTE).result(PaymentResult.AUTHORIZED),
            payment(5 * MINUTE).result(PaymentResult.CAPTURED), payment(6 * MINUTE).result(PaymentResult.REFUNDED),
            payment(7 * MINUTE).result(PaymentResult.CHARGEBACK), payment(8 * MINUTE).result(PaymentResult.FAILED).currency("GBP"));
        final List<Harness.Result> r = h.flush();
        assertEquals(2, r.size(), r.toString());
        final Harness.Result eur = r.get(0);
        assertEquals("EUR", eur.key, "keyed by the payment's currency");
        assertEquals(7, eur.count, "every payment event");
        assertEquals(4, eur.l("countAttempts"), "AUTHORIZED, DECLINED, FAILED, AUTHORIZED; not CAPTURED, REFUNDED, CHARGEBACK");
        assertEquals(2, eur.l("countFailed"), "DECLINED and FAILED");
        assertEquals(MetricKind.COUNT, eur.metrics.get("countFailed").kind());
        assertEquals(List.of("countAttempts", "countFailed"), List.copyOf(eur.metrics.keySet()), "configuration order");
        assertEquals("GBP", r.get(1).key);
        assertEquals(1, r.get(1).l("countFailed"));
        assertEquals(1, r.get(1).l("countAttempts"));
    }

    @Test
    void shouldCountEachEventsOwnDecisionInItsInterval() {
        final Harness h = new Harness(decisions());
        h.feed(order(1 * MINUTE).merchant("m1"), Outcome.APPROVE);
        h.feed(order(2 * MINUTE).merchant("m1"), Outcome.DECLINE);
        h.feed(order(3 * MINUTE).merchant("m1"), Outcome.REVIEW);
        h.feed(order(4 * MINUTE).merchant("m2"), Outcome.REVIEW);
        h.feed(payment(5 * MINUTE), Outcome.DECLINE); // payments carry no merchant: not in this window
        // the next hour's first order closes hour 0, then counts its own decline in hour 1
        final List<Harness.Result> closed = h.feed(order(HOUR + MINUTE).merchant("m1"), Outcome.DECLINE);
        assertEquals(2, closed.size(), closed.toString());
        assertEquals("m1", closed.get(0).key);
        assertEquals(3, closed.get(0).count);
        assertEquals(1, closed.get(0).l("countDeclined"));
        assertEquals(2, closed.get(0).l("countHeld"), "REVIEW and DECLINE");
        assertEquals(1, closed.get(1).l("countHeld"));
        assertEquals(0, closed.get(1).l("countDeclined"));
        final Harness.Result next = h.flush().get(0);
        assertEquals(HOUR, next.start);
        assertEquals(1, next.l("countDeclined"), "the closing event's own decline is in its own interval");
    }

    @Test
    void shouldIgnoreDecisionsOfLateEventsAndOfOtherSequences() {
        final Harness h = new Harness(decisions());
        h.feed(order(HOUR + MINUTE).merchant("m1"), Outcome.APPROVE);
        h.feed(order(MINUTE).merchant("m1"), Outcome.DECLINE); // hour 0 is closed: late, neither merged nor counted
        h.feed(order(HOUR + 2 * MINUTE).merchant("m1"));
        h.aggregator.onDecided(h.seq() - 1, Outcome.DECLINE); // not the event the windows hold: ignored
        final Harness.Result r = h.flush().get(0);
        assertEquals(2, r.count);
        assertEquals(0, r.l("countDeclined"));
        assertEquals(1, r.lateTotal);
    }

    @Test
    void shouldCountADecisionOncePerItemLineForSkuKeys() {
        final Harness h = new Harness(new WindowConfig().name("sku_1h").key("sku").kind("tumbling").size("1h")
            .metrics("count", "count(held)"));
        h.feed(order(MINUTE).item("a", 1, 100, "c").item("b", 2, 100, "c").item("a", 1, 100, "c"), Outcome.REVIEW);
        h.feed(order(2 * MINUTE).item("b", 1, 100, "c"), Outcome.APPROVE);
        final List<Harness.Result> r = h.flush();
        assertEquals("a", r.get(0).key);
        assertEquals(2, r.get(0).count, "two lines of sku a");
        assertEquals(2, r.get(0).l("countHeld"));
        assertEquals("b", r.get(1).key);
        assertEquals(2, r.get(1).count);
        assertEquals(1, r.get(1).l("countHeld"));
    }

    @Test
    void shouldRestoreSubsetCountsFromASnapshotBitExactly() {
        final Harness whole = new Harness(payments(), decisions());
        final Harness first = new Harness(payments(), decisions());
        final TestEvents.Event[] events = {
            payment(MINUTE).result(PaymentResult.FAILED), order(2 * MINUTE).merchant("m1"), payment(3 * MINUTE),
            order(4 * MINUTE).merchant("m1"), payment(HOUR + MINUTE).result(PaymentResult.DECLINED), order(HOUR + 2 * MINUTE)};
        final Outcome[] outcomes = {Outcome.APPROVE, Outcome.DECLINE, Outcome.APPROVE, Outcome.REVIEW, Outcome.DECLINE, Outcome.REVIEW};
        final StringBuilder expected = new StringBuilder();
        for (int i = 0; i < events.length; i++) {
            expected.append(whole.feed(events[i], outcomes[i]));
        }
        expected.append(whole.flush());

        final StringBuilder actual = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            actual.append(first.feed(events[i], outcomes[i]));
        }
        final StateWriter w = new StateWriter(1 << 16);
        first.aggregator.writeState(w);
        final ByteBuffer bytes = w.contentCopy();
        bytes.limit(w.position()).position(0);
        final Harness again = new Harness(payments(), decisions());
        again.aggregator.readState(new StateReader(bytes));
        assertEquals(first.aggregator.stateHash(), again.aggregator.stateHash());
        for (int i = 4; i < events.length; i++) {
            actual.append(again.feed(events[i], outcomes[i]));
        }
        actual.append(again.flush());
        assertEquals(strip(expected.toString()), strip(actual.toString()), "results after restore (sequences aside)");
        assertEquals(whole.aggregator.stateHash(), again.aggregator.stateHash());
    }

    /** Results without their seq (the harnesses number events differently). */
    private static String strip(final String results) {
        return results.replaceAll("seq=\\d+", "");
    }

    @Test
    void shouldHashTheSubsetCounters() {
        final OutputBuffer out = new OutputBuffer(256);
        final WindowAggregator plain = new WindowAggregator(WindowSpecs.from(List.of(decisions().metrics("count"))));
        final WindowAggregator subsets = new WindowAggregator(WindowSpecs.from(List.of(decisions())));
        final org.agrona.ExpandableArrayBuffer b = new org.agrona.ExpandableArrayBuffer(512);
        order(MINUTE).merchant("m1").encode(b, 0);
        plain.onEvent(1, b, 0, out);
        subsets.onEvent(1, b, 0, out);
        subsets.onDecided(1, Outcome.APPROVE);
        final long approved = subsets.stateHash();
        subsets.onDecided(1, Outcome.DECLINE);
        assertEquals(false, approved == subsets.stateHash(), "a counted decline changes the hash");
        assertEquals(false, plain.stateHash() == approved, "the counters are in the hash");
    }
}

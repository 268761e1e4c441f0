package io.ringfence.engine.window;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.ringfence.engine.window.TestEvents.HOUR;
import static io.ringfence.engine.window.TestEvents.MINUTE;
import static io.ringfence.engine.window.TestEvents.activity;
import static io.ringfence.engine.window.TestEvents.order;
import static io.ringfence.engine.window.TestEvents.payment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TumblingWindowTest {
    private static WindowConfig gmvByCountry() {
        return new WindowConfig().name("gmv").key("country").kind("tumbling").size("1h").metrics("count", "sum(amount)");
    }

    @Test
    void shouldCountAndSumPerKeyAndEmitKeysInFirstEventOrderWhenWindowCloses() {
        final Harness h = new Harness(gmvByCountry());
        final List<Harness.Result> before = h.feedAll(
            order(10 * MINUTE).country("DE").amount(1000),
            order(20 * MINUTE).country("FR").amount(500),
            order(30 * MINUTE).country("DE").amount(250),
            order(59 * MINUTE).country("FR").amount(100));
        assertTrue(before.isEmpty(), "nothing closes before the watermark reaches 1h: " + before);

        final List<Harness.Result> closed = h.feed(order(61 * MINUTE).country("DE").amount(7));
        assertEquals(2, closed.size(), closed.toString());
        final Harness.Result de = closed.get(0);
        assertEquals("gmv DE [0," + HOUR + ") EUR n=2", de.brief());
        assertEquals(1250, de.l("sum"));
        assertEquals(5, de.seq, "seq of the event that closed the window");
        assertEquals(0, de.lateTotal);
        final Harness.Result fr = closed.get(1);
        assertEquals("gmv FR [0," + HOUR + ") EUR n=2", fr.brief());
        assertEquals(600, fr.l("sum"));

        final List<Harness.Result> flushed = h.flush();
        assertEquals(1, flushed.size());
        assertEquals("gmv DE [" + HOUR + "," + 2 * HOUR + ") EUR n=1", flushed.get(0).brief());
        assertEquals(7, flushed.get(0).l("sum"));
        assertEquals(6, flushed.get(0).seq);
    }

    @Test
    void shouldKeepWindowOpenUntilWatermarkPassesItsEndWhenLatenessAllowed() {
        final Harness h = new Harness(gmvByCountry().lateness("10m"));
        assertTrue(h.feedAll(
            order(10 * MINUTE).amount(1),
            order(65 * MINUTE).amount(10),     // watermark 55m: [0,1h) stays open
            order(50 * MINUTE).amount(2),      // not late: merged into [0,1h)
            order(69 * MINUTE).amount(20)      // watermark 59m: still open
        ).isEmpty());
        final List<Harness.Result> closed = h.feed(order(70 * MINUTE).amount(40)); // watermark 60m
        assertEquals(1, closed.size());
        assertEquals("gmv DE [0," + HOUR + ") EUR n=2", closed.get(0).brief());
        assertEquals(3, closed.get(0).l("sum"));

        assertTrue(h.feed(order(55 * MINUTE).amount(1000)).isEmpty(), "late: window already closed");
        assertEquals(1, h.aggregator.lateCount("gmv"));

        final List<Harness.Result> second = h.feed(order(131 * MINUTE).amount(0)); // watermark 121m
        assertEquals(1, second.size());
        assertEquals("gmv DE [" + HOUR + "," + 2 * HOUR + ") EUR n=3", second.get(0).brief());
        assertEquals(70, second.get(0).l("sum"), "10 + 20 + 40; the late 1000 is not merged");
        assertEquals(1, second.get(0).lateTotal);
    }

    @Test
    void shouldCountLateEventsWithoutMergingThemAndReportLateTotal() {
        final Harness h = new Harness(gmvByCountry());
        h.feed(order(10 * MINUTE).amount(1));
        final List<Harness.Result> first = h.feed(order(70 * MINUTE).amount(2));
        assertEquals(0, first.get(0).lateTotal);
        assertTrue(h.feed(order(20 * MINUTE).amount(100)).isEmpty());
        assertTrue(h.feed(order(59 * MINUTE).amount(100)).isEmpty());
        assertEquals(2, h.aggregator.lateCount("gmv"));

        final List<Harness.Result> flushed = h.flush();
        assertEquals(1, flushed.size());
        assertEquals(1, flushed.get(0).count);
        assertEquals(2, flushed.get(0).l("sum"));
        assertEquals(2, flushed.get(0).lateTotal);
    }

    @Test
    void shouldJoinCompositeKeyPartsWithBarInCallersText() {
        final Harness h = new Harness(new WindowConfig().name("cu").key("country", "userId").kind("tumbling").size("1h")
            .metrics("count"));
        h.feedAll(
            order(1 * MINUTE).country("United Kingdom").user("alice"),
            order(2 * MINUTE).country("United Kingdom").user("bob"),
            order(3 * MINUTE).country("FR").user("alice"),
            order(4 * MINUTE).country("United Kingdom").user("alice"),
            order(5 * MINUTE).country("FR").user(""));                    // empty key part: skipped
        final List<Harness.Result> r = h.flush();
        assertEquals(List.of(
            "cu United Kingdom|alice [0,3600000000) n=2",
            "cu United Kingdom|bob [0,3600000000) n=1",
            "cu FR|alice [0,3600000000) n=1"), r.stream().map(Harness.Result::brief).toList());
    }

    @Test
    void shouldExplodeItemLinesForSkuKeysAndSumLineAmounts() {
        final Harness h = new Harness(new WindowConfig().name("bySku").key("sku").kind("tumbling").size("1h")
            .metrics("count", "sum(amount)", "sum(qty)"));
        h.feedAll(
            order(1 * MINUTE).amount(99_999)
                .item("A", 2, 300, "home").item("B", 1, 1000, "toys").item("A", 1, 300, "home"),
            order(2 * MINUTE).item("B", 4, 250, "toys"));
        final List<Harness.Result> r = h.flush();
        assertEquals(2, r.size());
        assertEquals("bySku A [0,3600000000) EUR n=2", r.get(0).brief());
        assertEquals(2 * 300 + 300, r.get(0).l("sum"), "line amounts qty × unitPrice, not the order amount");
        assertEquals(3, r.get(0).l("sumQty"));
        assertEquals("bySku B [0,3600000000) EUR n=2", r.get(1).brief());
        assertEquals(1000 + 4 * 250, r.get(1).l("sum"));
        assertEquals(5, r.get(1).l("sumQty"));
    }

    @Test
    void shouldUseWholeOrderForNonItemKeysWithQtySummedOverLines() {
        final Harness h = new Harness(new WindowConfig().name("c").key("country").kind("tumbling").size("1h")
            .metrics("sum(amount)", "sum(qty)"));
        h.feed(order(1 * MINUTE).amount(5000).item("A", 2, 300, "home").item("B", 3, 1000, "toys"));
        final Harness.Result r = h.flush().get(0);
        assertEquals(1, r.count);
        assertEquals(5000, r.l("sum"));
        assertEquals(5, r.l("sumQty"));
    }

    @Test
    void shouldKeepCurrenciesApartWhenWindowHasMoneyMetrics() {
        final Harness h = new Harness(new WindowConfig().name("spend").key("user").kind("tumbling").size("1h")
            .metrics("sum(amount)"));
        h.feedAll(
            order(1 * MINUTE).user("u1").amount(100).currency("EUR"),
            order(2 * MINUTE).user("u1").amount(200).currency("GBP"),
            order(3 * MINUTE).user("u1").amount(50).currency("EUR"));
        final List<Harness.Result> r = h.flush();
        assertEquals(2, r.size());
        assertEquals("spend u1 [0,3600000000) EUR n=2", r.get(0).brief());
        assertEquals(150, r.get(0).l("sum"));
        assertEquals("spend u1 [0,3600000000) GBP n=1", r.get(1).brief());
        assertEquals(200, r.get(1).l("sum"));
    }

    @Test
    void shouldLeaveCurrencyAsNulBytesWithoutMoneyMetrics() {
        final Harness h = new Harness(new WindowConfig().name("n").key("user").kind("tumbling").size("1h").metrics("count"));
        h.feedAll(order(1 * MINUTE).currency("EUR"), order(2 * MINUTE).currency("GBP"));
        final List<Harness.Result> r = h.flush();
        assertEquals(1, r.size());
        assertEquals(2, r.get(0).count);
        assertArrayEquals(new byte[] {0, 0, 0}, r.get(0).currencyRaw);
        assertTrue(r.get(0).metrics.isEmpty(), "count is the top-level field, not a group entry");
    }

    @Test
    void shouldEmitWindowDefinitionsInConfigurationOrderAndWindowsInTimeOrder() {
        final Harness h = new Harness(
            gmvByCountry(),
            new WindowConfig().name("users30m").key("user").kind("tumbling").size("30m").metrics("count"));
        h.feedAll(order(10 * MINUTE).user("a"), order(20 * MINUTE).user("c"));
        assertEquals(List.of("users30m a [0,1800000000) n=1", "users30m c [0,1800000000) n=1"),
            h.feed(order(40 * MINUTE).user("b")).stream().map(Harness.Result::brief).toList());
        final List<Harness.Result> r = h.feed(order(65 * MINUTE).user("a"));
        assertEquals(List.of(
            "gmv DE [0,3600000000) EUR n=3",
            "users30m b [1800000000,3600000000) n=1"), r.stream().map(Harness.Result::brief).toList());
        final List<Harness.Result> late = h.feed(order(125 * MINUTE).user("a"));
        assertEquals(List.of("gmv DE [3600000000,7200000000) EUR n=1", "users30m a [3600000000,5400000000) n=1"),
            late.stream().map(Harness.Result::brief).toList(), "both definitions close on one event: configuration order");
    }

    @Test
    void shouldFlushEveryOpenWindowInOrderAndTreatLaterEventsAsLate() {
        final Harness h = new Harness(gmvByCountry().lateness("2h"),
            new WindowConfig().name("byUser").key("user").kind("tumbling").size("1h").metrics("count"));
        assertTrue(h.feedAll(
            order(10 * MINUTE).user("x"),
            order(70 * MINUTE).user("y"),
            order(130 * MINUTE).user("x")).size() == 2, "byUser (no lateness) closes its first two windows");
        final List<Harness.Result> r = h.flush();
        assertEquals(List.of(
            "gmv DE [0,3600000000) EUR n=1",
            "gmv DE [3600000000,7200000000) EUR n=1",
            "gmv DE [7200000000,10800000000) EUR n=1",
            "byUser x [7200000000,10800000000) n=1"), r.stream().map(Harness.Result::brief).toList());
        assertTrue(r.stream().allMatch(x -> x.seq == 4));
        assertTrue(h.feed(order(200 * MINUTE)).isEmpty());
        assertEquals(1, h.aggregator.lateCount("gmv"));
        assertTrue(h.flush().isEmpty());
    }

    @Test
    void shouldIgnoreEventTypesNotListedAndSkipEventsWithoutTheKey() {
        final Harness h = new Harness(
            new WindowConfig().name("u").key("user").kind("tumbling").size("1h").events("order", "payment").metrics("count", "sum(amount)"),
            new WindowConfig().name("dev").key("device").kind("tumbling").size("1h").events("payment", "activity").metrics("count"));
        h.feedAll(
            order(1 * MINUTE).amount(10),
            payment(2 * MINUTE).amount(20),
            activity(3 * MINUTE).device("d-9"));
        final List<Harness.Result> r = h.flush();
        assertEquals(List.of("u u-1 [0,3600000000) EUR n=2", "dev d-9 [0,3600000000) n=1"),
            r.stream().map(Harness.Result::brief).toList(), "payments have no device: skipped by dev");
        assertEquals(30, r.get(0).l("sum"));
    }
}

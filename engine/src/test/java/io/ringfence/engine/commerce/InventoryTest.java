package io.ringfence.engine.commerce;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.ringfence.engine.commerce.CommerceHarness.activity;
import static io.ringfence.engine.commerce.CommerceHarness.delta;
import static io.ringfence.engine.commerce.CommerceHarness.item;
import static io.ringfence.engine.commerce.CommerceHarness.level;
import static io.ringfence.engine.commerce.CommerceHarness.order;
import static io.ringfence.engine.commerce.CommerceHarness.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InventoryTest {
    private static final String T = "2026-01-05T10:00:00Z";

    private static String stock(final List<String> out) {
        final List<String> pushes = out.stream().filter(s -> s.contains("\"type\":\"stockPush\"")).toList();
        assertEquals(1, pushes.size(), out.toString());
        return pushes.get(0);
    }

    private static String decision(final List<String> out) {
        return out.stream().filter(s -> s.contains("\"type\":\"decision\"")).findFirst().orElseThrow();
    }

    @Test
    void shouldPushLowOutAndRestockedAsAvailableStockCrossesTheThreshold() {
        final CommerceHarness h = new CommerceHarness(c -> {
        });
        assertEquals(List.of(), h.pushes(level(T, "s1", "w1", 10)), "10 is above the default threshold 5");
        final String low = stock(h.send(order(T, "o1", "u1", item("s1", 6))));
        assertFalse(low.contains("warehouse"), "a change by an order names no warehouse: " + low);
        assertTrue(low.contains("\"sku\":\"s1\",\"level\":4,\"signal\":\"LOW\""), low);
        final List<String> second = h.send(order(T, "o2", "u1", item("s1", 5)));
        assertTrue(stock(second).contains("\"level\":-1,\"signal\":\"OUT\""), second.toString());
        assertTrue(decision(second).contains("\"reasons\":[\"OVERSELL\"]"), decision(second));
        assertTrue(decision(second).contains("\"decision\":\"APPROVE\""), "policy flag keeps the outcome: " + decision(second));
        assertTrue(stock(h.send(status(T, "o2", "u1", "CANCELLED"))).contains("\"level\":4,\"signal\":\"LOW\""), "cancel releases");
        final String restocked = stock(h.send(delta(T, "s1", "w2", 20)));
        assertTrue(restocked.contains("\"warehouse\":\"w2\",\"level\":24,\"signal\":\"RESTOCKED\""), restocked);
        assertEquals(24, h.commerce().available("s1"));
        assertEquals(1, h.commerce().oversells());
    }

    @Test
    void shouldCountEarlierLinesOfTheSameOrderWhenCheckingForOversell() {
        final CommerceHarness h = new CommerceHarness(c -> {
        });
        h.send(level(T, "s1", "w1", 5));
        h.send(level(T, "s2", "w1", 50));
        final String ok = decision(h.send(order(T, "o1", "u1", item("s1", 2) + "," + item("s2", 9) + "," + item("s1", 3))));
        assertFalse(ok.contains("OVERSELL"), "2 + 3 of 5 available: " + ok);
        h.send(status(T, "o1", "u1", "CANCELLED"));
        final List<String> out = h.send(order(T, "o2", "u1", item("s1", 3) + "," + item("s1", -1) + "," + item("s1", 3)));
        assertTrue(decision(out).contains("OVERSELL"), "3 + 3 of 5 available (a return line reserves nothing): " + decision(out));
        assertTrue(out.get(0).contains("\"type\":\"decision\""), "the decision comes first: " + out);
        assertEquals(-1, h.commerce().available("s1"));
    }

    @Test
    void shouldReserveTheLinesOfAnAdoptedOrderWhenItsOrderEventArrivesAndTakeItsUser() {
        final CommerceHarness h = new CommerceHarness(c -> c.orders.unknownOrders = "adopt");
        h.send(level(T, "x", "w1", 10));
        h.send(status(T, "ad3", "", "CREATED")); // a status first: adopted, lines and user not known
        assertEquals(10, h.commerce().available("x"));
        final List<String> late = h.send(order(T, "ad3", "u3", item("x", 8)));
        assertFalse(decision(late).contains("OVERSELL"), decision(late));
        assertEquals(2, h.commerce().available("x"), "the order event completes the adopted order: its 8 are reserved");
        assertTrue(decision(h.send(order(T, "ad5", "u5", item("x", 8)))).contains("OVERSELL"), "16 ordered against 10");
        final List<String> paid = h.send(status(T, "ad3", "", "PAID"));
        assertTrue(paid.get(0).contains("\"orderId\":\"ad3\",\"userId\":\"u3\""), "pushed under the order's user: " + paid);
        assertEquals(1, h.send(order(T, "ad3", "u3", item("x", 8))).size(), "a repeated order event is a duplicate: decision only");
        assertEquals(-6, h.commerce().available("x"), "not reserved twice");
        h.send(status(T, "ad3", "", "REFUNDED"));
        assertEquals(2, h.commerce().available("x"), "a refund releases what the completed order reserved");
    }

    /**
     * Audit: the oversell check ran for every order event, so two that take no units were flagged OVERSELL (and, under
     * {@code oversell: review}, sent to review with a fraud alert): a repeated order event and the order event of an
     * order adopted at SHIPPED. An order a full book refuses is still checked: the shop sells what it does not have.
     */
    @Test
    void shouldNotFlagOrderEventsThatReserveNothing() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.orders.unknownOrders = "adopt";
            c.orders.maxOrders = 3;
            c.orders.whenFull = "refuse";
            c.inventory.oversell = "review";
        });
        h.send(level(T, "s", "w1", 2));
        assertFalse(decision(h.send(order(T, "a1", "u1", item("s", 2)))).contains("OVERSELL"), "2 of 2");
        final String repeat = decision(h.send(order(T, "a1", "u1", item("s", 2))));
        assertTrue(repeat.contains("\"decision\":\"APPROVE\"") && !repeat.contains("OVERSELL"), "a repeat reserves nothing: " + repeat);
        h.send(status(T, "b1", "u2", "SHIPPED")); // adopted at SHIPPED: its order event reserves nothing
        final String shipped = decision(h.send(order(T, "b1", "u2", item("s", 2))));
        assertTrue(shipped.contains("\"decision\":\"APPROVE\"") && !shipped.contains("OVERSELL"), shipped);
        final String fits = decision(h.send(order(T, "c1", "u3", item("s", 1)))); // the third order: held, 1 of 0
        assertTrue(fits.contains("\"decision\":\"REVIEW\"") && fits.contains("OVERSELL"), "held and reserving: " + fits);
        final String refused = decision(h.send(order(T, "d1", "u4", item("s", 1)))); // a full book refuses it
        assertTrue(refused.contains("\"decision\":\"REVIEW\"") && refused.contains("OVERSELL"), refused);
        assertEquals(-1, h.commerce().available("s"), "the refused order reserved nothing");
        assertEquals(2, h.commerce().oversells(), "c1 and d1");
    }

    /**
     * Audit: a level of 2^63 - 1 after a negative one wrapped the sku's on-hand to -2^63 (no RESTOCKED, OUT for good),
     * and two deltas of -(2^63 - 1) made available wrap to +2^63 - 1 (RESTOCKED). Input is bounded to 10^15 units and a
     * warehouse's level kept within that either way, so the sums cannot wrap.
     */
    @Test
    void shouldKeepStockSumsExactAtTheLargestQuantities() {
        final long max = io.ringfence.engine.model.StockUnits.MAX;
        final CommerceHarness h = new CommerceHarness(c -> {
        });
        assertTrue(stock(h.send(delta(T, "d", "w1", -5))).contains("\"level\":-5,\"signal\":\"OUT\""));
        assertTrue(stock(h.send(level(T, "d", "w1", max))).contains("\"level\":" + max + ",\"signal\":\"RESTOCKED\""));
        assertEquals(List.of(), h.pushes(level(T, "d", "w2", max)));
        assertEquals(2 * max, h.commerce().available("d"));
        assertEquals(List.of(), h.pushes(level(T, "d", "w2", 0)));
        assertEquals(max, h.commerce().available("d"));

        h.send(delta(T, "f", "w1", -max));
        assertEquals(List.of(), h.pushes(delta(T, "f", "w2", -max)), "still OUT");
        final List<String> order = h.send(order(T, "o5", "u1", item("f", 1)));
        assertTrue(decision(order).contains("OVERSELL"), decision(order));
        assertEquals(-2 * max - 1, h.commerce().available("f"));

        h.send(level(T, "e", "w1", max));
        assertEquals(List.of(), h.pushes(delta(T, "e", "w1", 5)), "a warehouse holds at most 10^15 units");
        assertEquals(max, h.commerce().available("e"));
    }

    @Test
    void shouldNameTheUserOfAnOrderAdoptedWithoutOneFromALaterStatus() {
        final CommerceHarness h = new CommerceHarness(c -> c.orders.unknownOrders = "adopt");
        h.send(status(T, "ad1", "", "CREATED"));
        final List<String> paid = h.send(status(T, "ad1", "u9", "PAID"));
        assertTrue(paid.get(0).contains("\"orderId\":\"ad1\",\"userId\":\"u9\""), paid.toString());
    }

    @Test
    void shouldSignalOncePerSkuAndEventWithTheLevelTheEventLeft() {
        // an event-time trial: signals were evaluated per order line, so an order of lines S x3 and S x3 on 6 pushed
        // LOW 3 then OUT 0, and its cancel LOW 3 then RESTOCKED 6; a cancel of lines S x2, S x3 on 10 pushed RESTOCKED 7
        final CommerceHarness h = new CommerceHarness(c -> c.inventory.lowStock = 5);
        h.send(level(T, "m1", "w1", 6));
        final List<String> placed = h.send(order(T, "o1", "u1", item("m1", 3) + "," + item("m1", 3)));
        assertTrue(stock(placed).contains("\"sku\":\"m1\",\"level\":0,\"signal\":\"OUT\""), placed.toString());
        final List<String> cancelled = h.send(status(T, "o1", "u1", "CANCELLED"));
        assertTrue(stock(cancelled).contains("\"level\":6,\"signal\":\"RESTOCKED\""), cancelled.toString());

        h.send(level(T, "m2", "w1", 10));
        final List<String> lowNow = h.send(order(T, "o2", "u1", item("m2", 2) + "," + item("m2", 3)));
        assertTrue(stock(lowNow).contains("\"level\":5,\"signal\":\"LOW\""), "10 - 5 = 5 is at the threshold: " + lowNow);
        final List<String> back = h.send(status(T, "o2", "u1", "CANCELLED"));
        assertTrue(stock(back).contains("\"level\":10,\"signal\":\"RESTOCKED\""), "the level after both lines came back: " + back);
        assertEquals(10, h.commerce().available("m2"));
    }

    @Test
    void shouldForgetTheSkusAFailedEventTouchedSoThatARestoredEngineSaysTheSame() {
        // snapshot audit: an event that failed after the order stage (the decision stage throwing) left the skus its
        // advance had touched (an idle order forgotten, its reservation released) in the per-event list, which the next
        // event flushed as RESTOCKED stamped with the failed event's time; a snapshot does not hold that list, so an
        // engine restored at the failed event pushed nothing there
        final CommerceHarness h = new CommerceHarness(c -> {
            c.inventory.lowStock = 5;
            c.orders.idleTtl = "1m";
            c.orders.unpaidAfter = "0s";
            c.orders.unshippedAfter = "0s";
        });
        h.send(level(T, "f1", "w1", 10));
        final List<String> low = h.send(order(T, "o1", "u1", item("f1", 6)));
        assertTrue(stock(low).contains("\"level\":4,\"signal\":\"LOW\""), low.toString());
        h.sendFailingAfterOrderStage(activity("2026-01-05T10:02:00Z")); // o1 forgotten as idle: its 6 units released
        assertEquals(10, h.commerce().available("f1"));
        final CommerceHarness restored = h.restored(c -> {
            c.inventory.lowStock = 5;
            c.orders.idleTtl = "1m";
            c.orders.unpaidAfter = "0s";
            c.orders.unshippedAfter = "0s";
        });
        final String next = activity("2026-01-05T10:02:01Z");
        final List<String> original = h.pushes(next);
        assertEquals(List.of(), original, "no signal left over from the failed event: " + original);
        assertEquals(original, restored.pushes(next));
        final String more = order("2026-01-05T10:02:02Z", "o2", "u1", item("f1", 7));
        assertEquals(restored.send(more), h.send(more), "the same signals afterwards");
    }

    @Test
    void shouldNotPushRestockedWhenAShipmentReleasesItsReservation() {
        final CommerceHarness h = new CommerceHarness(c -> c.inventory.lowStock = 5);
        h.send(level(T, "h1", "w1", 7));
        final List<String> low = h.send(order(T, "o1", "u1", item("h1", 3)));
        assertTrue(low.stream().anyMatch(l -> l.contains("\"signal\":\"LOW\"")), "7 - 3 = 4 is low: " + low);
        h.send(status(T, "o1", "u1", "PAID"));
        final List<String> shipped = h.send(status(T, "o1", "u1", "SHIPPED"));
        assertEquals(1, shipped.size(), "the SHIPPED push only, no RESTOCKED: the 3 units left the warehouse: " + shipped);
        assertEquals(List.of(), h.pushes(delta(T, "h1", "w1", -3)), "the feed's decrement: still low, nothing new to say");
        final List<String> restocked = h.send(delta(T, "h1", "w1", 10));
        assertTrue(restocked.stream().anyMatch(l -> l.contains("\"signal\":\"RESTOCKED\"")), "a real restock: " + restocked);
        h.send(order(T, "o2", "u1", item("h1", 12)));
        final List<String> cancelled = h.send(status(T, "o2", "u1", "CANCELLED"));
        assertTrue(cancelled.stream().anyMatch(l -> l.contains("\"signal\":\"RESTOCKED\"")),
            "a cancel puts the units back on sale: " + cancelled);
    }

    @Test
    void shouldLiftOutToLowWhenTheFeedsDecrementCameBeforeTheShipment() {
        // pushes trial: the stock feed reported the shipment (delta -6: OUT, -2 available) before the shop's SHIPPED; the
        // shipment's release brought 4 back to available but pushed nothing, so subscribers kept OUT
        final CommerceHarness h = new CommerceHarness(c -> c.inventory.lowStock = 5);
        h.send(level(T, "k1", "w1", 10));
        h.send(order(T, "o1", "u1", item("k1", 6)));
        h.send(status(T, "o1", "u1", "PAID"));
        final List<String> out = h.send(delta(T, "k1", "w1", -6));
        assertTrue(stock(out).contains("\"level\":-2,\"signal\":\"OUT\""), out.toString());
        final List<String> shipped = h.send(status(T, "o1", "u1", "SHIPPED"));
        assertTrue(stock(shipped).contains("\"level\":4,\"signal\":\"LOW\""), "4 available again is low, not out: " + shipped);
        final CommerceHarness big = new CommerceHarness(c -> c.inventory.lowStock = 5);
        big.send(level(T, "k1", "w1", 10));
        big.send(order(T, "o1", "u1", item("k1", 10)));
        big.send(status(T, "o1", "u1", "PAID"));
        big.send(delta(T, "k1", "w1", -10)); // OUT at 0 - 10
        assertEquals(List.of(), big.pushes(status(T, "o1", "u1", "SHIPPED")).stream().filter(l -> l.contains("stockPush")).toList(),
            "0 available after the shipment: still out, nothing new");
        // review: lifted above the threshold, it is back on sale
        final CommerceHarness above = new CommerceHarness(c -> c.inventory.lowStock = 5);
        above.send(level(T, "k1", "w1", 20));
        above.send(order(T, "o1", "u1", item("k1", 10)));
        above.send(status(T, "o1", "u1", "PAID"));
        assertTrue(stock(above.send(delta(T, "k1", "w1", -12))).contains("\"level\":-2,\"signal\":\"OUT\""));
        assertTrue(stock(above.send(status(T, "o1", "u1", "SHIPPED"))).contains("\"level\":8,\"signal\":\"RESTOCKED\""));
    }

    @Test
    void shouldNotLiftASignalOrdersSetWhenTheFeedReportsTheShipmentAfterIt() {
        // review: OUT set by reservations; the shipment's release must not push LOW for units that are gone (the
        // feed's decrement follows), which flapped OUT, LOW, OUT
        final CommerceHarness h = new CommerceHarness(c -> c.inventory.lowStock = 5);
        h.send(level(T, "k1", "w1", 6));
        h.send(order(T, "o1", "u1", item("k1", 3)));
        assertTrue(stock(h.send(order(T, "o2", "u1", item("k1", 3)))).contains("\"level\":0,\"signal\":\"OUT\""));
        h.send(status(T, "o1", "u1", "PAID"));
        assertEquals(List.of(), h.pushes(status(T, "o1", "u1", "SHIPPED")).stream().filter(l -> l.contains("stockPush")).toList());
        assertEquals(List.of(), h.pushes(delta(T, "k1", "w1", -3)), "the feed's decrement: 0 available, still out");
        final CommerceHarness restored = h.restored(c -> c.inventory.lowStock = 5);
        assertEquals(h.logic.stateHash(), restored.logic.stateHash(), "who set the signal is in the state");
    }

    @Test
    void shouldIgnoreInventoryStampedBeforeTheWarehousesLastCount() {
        // pushes trial: LEVEL 100 at 10:05, then LEVEL 3 stamped 10:00 (late) overwrote it and pushed LOW
        final CommerceHarness h = new CommerceHarness(c -> c.inventory.lowStock = 5);
        h.send(level("2026-01-05T10:05:00Z", "s1", "w1", 100));
        assertEquals(List.of(), h.pushes(level("2026-01-05T10:00:00Z", "s1", "w1", 3)), "an older count is already superseded");
        assertEquals(List.of(), h.pushes(delta("2026-01-05T10:01:00Z", "s1", "w1", -3)), "a movement before the count is in it");
        assertEquals(100, h.commerce().available("s1"));
        assertEquals(2, h.commerce().staleInventory());
        h.send(delta("2026-01-05T10:05:00Z", "s1", "w1", -10)); // at the count's own time: applied
        h.send(level("2026-01-05T09:00:00Z", "s1", "w2", 7)); // another warehouse keeps its own count time
        assertEquals(97, h.commerce().available("s1"));
        h.send(level("2026-01-05T10:06:00Z", "s1", "w1", 40));
        assertEquals(47, h.commerce().available("s1"), "a newer count replaces the level");
        final CommerceHarness restored = h.restored(c -> c.inventory.lowStock = 5);
        restored.send(level("2026-01-05T10:05:30Z", "s1", "w1", 1));
        assertEquals(47, restored.commerce().available("s1"), "the count's time survives a snapshot");
        assertEquals(3, restored.commerce().staleInventory());

        // re-trial: a late count stamped before a delta already applied undid it (10, delta -6 at 10:05, then a count of 9
        // stamped 10:03: 9 on hand and RESTOCKED)
        final CommerceHarness late = new CommerceHarness(c -> c.inventory.lowStock = 5);
        late.send(level("2026-01-05T10:00:00Z", "l1", "w1", 10));
        late.send(delta("2026-01-05T10:05:00Z", "l1", "w1", -6));
        assertEquals(List.of(), late.pushes(level("2026-01-05T10:03:00Z", "l1", "w1", 9)), "older than the delta applied");
        assertEquals(4, late.commerce().available("l1"));
        assertEquals(1, late.commerce().staleInventory());
        late.send(delta("2026-01-05T10:04:00Z", "l1", "w1", -1)); // a movement after the count, out of order: applied
        assertEquals(3, late.commerce().available("l1"));
    }

    @Test
    void shouldKeepASkuOpenOrdersReserveBeyondItsIdleTime() {
        // pushes trial: a sku without stock events for inventory.idleTtl was forgotten while a paid order still reserved
        // 4 of it, so the next count showed those units as free (LEVEL 10 instead of 6 available)
        final CommerceHarness h = new CommerceHarness(c -> {
            c.inventory.idleTtl = "3d";
            c.orders.idleTtl = "10d";
        });
        h.send(level("2026-01-01T00:00:00Z", "s1", "w1", 10));
        h.send(order("2026-01-01T00:00:00Z", "o1", "u1", item("s1", 4)));
        h.send(CommerceHarness.payment("2026-01-02T00:00:00Z", "p1", "o1", "AUTHORIZED"));
        h.send(CommerceHarness.activity("2026-01-06T00:00:00Z")); // 5 days on: past the sku's idle time
        assertEquals(6, h.commerce().available("s1"), "still tracked with its reservation");
        h.send(level("2026-01-06T00:00:01Z", "s1", "w1", 10));
        assertEquals(6, h.commerce().available("s1"));
        h.send(status("2026-01-06T00:00:02Z", "o1", "u1", "REFUNDED")); // before shipping: releases
        h.send(CommerceHarness.activity("2026-01-10T00:00:00Z"));
        assertEquals(10, h.commerce().available("s1"), "nothing reserved, but 10 on hand: kept");
        h.send(level("2026-01-10T00:00:01Z", "s1", "w1", 0));
        h.send(CommerceHarness.activity("2026-01-14T00:00:00Z"));
        assertEquals(0, h.commerce().available("s1"), "nothing reserved or on hand, but told OUT: kept (room for a new sku)");

        // review: with orders off nothing releases a reservation, so the sku must still be forgotten (it stayed for ever)
        final CommerceHarness off = new CommerceHarness(c -> {
            c.inventory.idleTtl = "3d";
            c.orders.enabled = false;
        });
        off.send(level("2026-01-01T00:00:00Z", "s1", "w1", 10));
        off.send(order("2026-01-01T00:00:00Z", "o1", "u1", item("s1", 4)));
        off.send(CommerceHarness.activity("2026-01-06T00:00:00Z"));
        assertEquals(Long.MIN_VALUE, off.commerce().available("s1"));
    }

    /**
     * Shop pushes trial (MEDIUM): a stocked sku that sold nothing for inventory.idleTtl (30 d) was forgotten with its 10
     * on hand; an order of 12 then reserved nothing and was not flagged OVERSELL, and the next delta -1 started from 0
     * and pushed OUT at -1. Units on hand are the shop's stock, not idle state: only a count of 0 lets the sku go.
     */
    @Test
    void shouldKeepASkuWithUnitsOnHandBeyondItsIdleTime() {
        final CommerceHarness h = new CommerceHarness(c -> { });
        h.send(level("2026-01-01T09:00:00Z", "S4", "w1", 10));
        final List<String> out = h.send(order("2026-02-01T09:00:00Z", "s1", "us1", item("S4", 12)));
        assertTrue(decision(out).contains("OVERSELL"), "12 ordered against 10 on hand, 31 days later: " + decision(out));
        assertEquals(-2, h.commerce().available("S4"));
        h.send(delta("2026-02-01T09:01:00Z", "S4", "w1", -1));
        assertEquals(-3, h.commerce().available("S4"), "the delta moves the 10 on hand, not a forgotten 0");

        // review: units in one warehouse are stock even when another's negative level cancels them in the sum
        final CommerceHarness r = new CommerceHarness(c -> c.inventory.idleTtl = "1h");
        r.send(level("2026-01-01T09:00:00Z", "B", "w1", 5));
        r.send(delta("2026-01-01T09:00:00Z", "B", "w2", -5));
        r.send(CommerceHarness.activity("2026-01-01T12:00:00Z"));
        assertEquals(0, r.commerce().available("B"), "5 in w1: kept");
    }

    /**
     * Inventory trial (HIGH): a sold-out sku (OUT, no units) idle for inventory.idleTtl was forgotten; an order for it then
     * reserved nothing and was not flagged OVERSELL, and its restock of 50 pushed nothing (a new sku starts OK), so
     * subscribers kept OUT for ever. A sku whose subscribers were told LOW or OUT is kept; a full table forgets the one
     * idle longest of those to take a new sku.
     */
    @Test
    void shouldKeepASoldOutSkuBeyondItsIdleTimeAndTellItsRestock() {
        final CommerceHarness h = new CommerceHarness(c -> { });
        h.send(level("2026-01-01T09:00:00Z", "K", "w1", 3));
        assertTrue(stock(h.send(delta("2026-01-01T10:00:00Z", "K", "w1", -3))).contains("\"signal\":\"OUT\""));
        h.send(delta("2026-01-01T10:00:00Z", "N", "w1", -3)); // a delta-only feed: OUT at -3
        h.send(CommerceHarness.activity("2026-02-01T10:00:00Z")); // 31 days on: past idleTtl (30 d)
        final List<String> out = h.send(order("2026-02-01T10:01:00Z", "k1", "uk1", item("K", 2)));
        assertTrue(decision(out).contains("OVERSELL"), "2 ordered with none on hand: " + decision(out));
        assertTrue(stock(h.send(delta("2026-02-01T11:00:00Z", "K", "w1", 50))).contains("\"level\":48,\"signal\":\"RESTOCKED\""));
        assertTrue(stock(h.send(delta("2026-02-01T11:00:00Z", "N", "w1", 10))).contains("\"level\":7,\"signal\":\"RESTOCKED\""));

        // bounded all the same: a full table takes a new sku in the place of the sold-out one idle longest
        final CommerceHarness full = new CommerceHarness(c -> {
            c.inventory.maxSkus = 2;
            c.inventory.idleTtl = "1h";
        });
        full.send(level("2026-01-01T09:00:00Z", "out", "w1", 0));
        full.send(level("2026-01-01T09:30:00Z", "stocked", "w1", 9));
        full.send(level("2026-01-01T12:00:00Z", "stocked", "w1", 8));
        assertEquals(2, full.commerce().trackedSkus(), "out is kept past its idle time (OUT), stocked holds units");
        full.send(level("2026-01-01T12:00:00Z", "new", "w1", 4));
        assertEquals(2, full.commerce().trackedSkus());
        assertEquals(0, full.commerce().skusDropped(), "new took out's place");
        assertEquals(Long.MIN_VALUE, full.commerce().available("out"));
        assertEquals(4, full.commerce().available("new"));
        full.send(level("2026-01-01T12:10:00Z", "newer", "w1", 4));
        assertEquals(1, full.commerce().skusDropped(), "the one idle longest holds units: no room made");
    }

    @Test
    void shouldReleaseTheReservationWhenShippedAndTakeOnHandFromTheFeed() {
        final CommerceHarness h = new CommerceHarness(c -> {
        });
        h.send(level(T, "s1", "w1", 10));
        h.send(order(T, "o1", "u1", item("s1", 3)));
        assertEquals(7, h.commerce().available("s1"));
        h.send(status(T, "o1", "u1", "PAID"));
        assertEquals(7, h.commerce().available("s1"), "paid orders still reserve");
        h.send(status(T, "o1", "u1", "SHIPPED"));
        assertEquals(10, h.commerce().available("s1"), "shipped: reservation released, on hand until the feed moves it");
        h.send(delta(T, "s1", "w1", -3));
        assertEquals(7, h.commerce().available("s1"));
        h.send(level(T, "s1", "w1", 2));
        assertEquals(2, h.commerce().available("s1"), "a LEVEL count replaces that warehouse's level");
        h.send(status(T, "o1", "u1", "DELIVERED"));
        h.send(status(T, "o1", "u1", "REFUNDED"));
        assertEquals(2, h.commerce().available("s1"), "a refund after shipping moves no stock");
    }

    @Test
    void shouldNotFlagOrdersForSkusWithoutAStockFeed() {
        final CommerceHarness h = new CommerceHarness(c -> {
        });
        final List<String> out = h.send(order(T, "o1", "u1", item("never-stocked", 1_000)));
        assertFalse(decision(out).contains("OVERSELL"), decision(out));
        assertEquals(Long.MIN_VALUE, h.commerce().available("never-stocked"));
        assertEquals(0, h.commerce().stockPushes());
    }

    @Test
    void shouldRaiseApproveToReviewUnderTheReviewPolicyAndDoNothingUnderIgnore() {
        final CommerceHarness review = new CommerceHarness(c -> c.inventory.oversell = "review");
        review.send(level(T, "s1", "w1", 1));
        final String d = decision(review.send(order(T, "o1", "u1", item("s1", 2))));
        assertTrue(d.contains("\"decision\":\"REVIEW\"") && d.contains("OVERSELL"), d);

        final CommerceHarness ignore = new CommerceHarness(c -> c.inventory.oversell = "ignore");
        ignore.send(level(T, "s1", "w1", 1));
        final String i = decision(ignore.send(order(T, "o1", "u1", item("s1", 2))));
        assertTrue(i.contains("\"decision\":\"APPROVE\"") && !i.contains("OVERSELL"), i);
    }

    @Test
    void shouldUseAPerSkuThresholdAndPushLevelsWhenAskedTo() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.inventory.lowStockBySku = Map.of("big", 100L);
            c.inventory.pushLevels = true;
        });
        assertTrue(stock(h.send(level(T, "big", "w1", 50))).contains("\"signal\":\"LOW\""));
        assertTrue(stock(h.send(level(T, "big", "w1", 60))).contains("\"level\":60,\"signal\":\"LEVEL\""));
        assertTrue(stock(h.send(level(T, "small", "w1", 50))).contains("\"signal\":\"LEVEL\""), "default threshold 5");
        assertTrue(stock(h.send(level(T, "small", "w1", 0))).contains("\"level\":0,\"signal\":\"OUT\""));
    }

    @Test
    void shouldBoundSkusAndWarehousesAndForgetIdleSkus() {
        final CommerceHarness h = new CommerceHarness(c -> {
            c.inventory.maxSkus = 2;
            c.inventory.idleTtl = "1h";
        });
        h.send(level(T, "a", "w1", 10));
        h.send(level(T, "b", "w1", 10));
        h.send(level(T, "c", "w1", 10));
        assertEquals(2, h.commerce().trackedSkus());
        assertEquals(1, h.commerce().skusDropped());
        for (int w = 0; w < StockBook.WAREHOUSES + 2; w++) {
            h.send(delta(T, "a", "w" + w, 1));
        }
        assertEquals(10 + StockBook.WAREHOUSES, h.commerce().available("a"), "w0..w7 applied (w1 was there), w8 and w9 beyond the cap ignored");
        h.send(level(T, "b", "w1", 0)); // no warehouse holds units of b, but its subscribers were told OUT
        h.send(CommerceHarness.activity("2026-01-05T13:00:00Z"));
        assertEquals(2, h.commerce().trackedSkus(), "a holds units, b was told OUT: both kept past 1h idle");
        assertEquals(0, h.commerce().skusEvicted());
        h.send(level("2026-01-05T13:00:00Z", "c", "w1", 10));
        assertEquals(2, h.commerce().trackedSkus(), "c took the place of b, which holds nothing");
        assertEquals(1, h.commerce().skusEvicted());
        assertEquals(1, h.commerce().skusDropped(), "only the first c was not tracked");
        assertEquals(Long.MIN_VALUE, h.commerce().available("b"));
        assertEquals(10, h.commerce().available("c"));
        h.send(level("2026-01-05T13:00:00Z", "d", "w1", 10));
        assertEquals(2, h.commerce().skusDropped(), "a and c hold units: d is not tracked");
    }

    @Test
    void shouldRefuseBadInventoryAndOrdersConfiguration() {
        assertConfig("inventory.lowStock", c -> c.inventory.lowStock = -1);
        assertConfig("inventory.oversell", c -> c.inventory.oversell = "maybe");
        assertConfig("inventory.maxSkus", c -> c.inventory.maxSkus = 0);
        assertConfig("inventory.idleTtl", c -> c.inventory.idleTtl = "soon");
        assertConfig("inventory.lowStockBySku.x", c -> c.inventory.lowStockBySku = Map.of("x", -2L));
        assertConfig("orders.unpaidAfter", c -> c.orders.unpaidAfter = "-1m");
        assertConfig("orders.retention", c -> c.orders.retention = "0s");
        assertConfig("orders.maxOrders", c -> c.orders.maxOrders = CommerceSpec.MAX_TABLE + 1);
        assertConfig("orders.unknownOrders", c -> c.orders.unknownOrders = "ignore");
        // forgotten before it could fall overdue: the overdue push would be lost (shop-engineer trial)
        assertConfig("orders.idleTtl: '10m' must be longer than orders.unpaidAfter (30m)", c -> c.orders.idleTtl = "10m");
        assertConfig("orders.idleTtl: '1d' must be longer than orders.unshippedAfter (2d)", c -> c.orders.idleTtl = "1d");
    }

    private static void assertConfig(final String field, final java.util.function.Consumer<EngineConfig> tweak) {
        final EngineConfig config = EngineConfigLoader.defaults();
        tweak.accept(config);
        final ConfigException e = assertThrows(ConfigException.class, config::validate);
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }
}

package io.ringfence.engine.commerce;

import io.ringfence.engine.config.EngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash recovery and replay for order and stock state: a snapshot taken anywhere, restored into a
 * fresh business stage and fed the rest gives the same outputs, byte for byte (as JSON lines), and
 * the same state hash as processing without interruption; two runs of the same events are equal.
 */
class CommerceSnapshotTest {
    private static final int EVENTS = 6_000;
    /** Small limits so timers, evictions, caps and drops all happen within the workload. */
    private static final Consumer<EngineConfig> TIGHT = c -> {
        c.orders.unpaidAfter = "20m";
        c.orders.unshippedAfter = "3h";
        c.orders.retention = "6h";
        c.orders.idleTtl = "1d";
        c.orders.maxOrders = 600;
        c.inventory.maxSkus = 30;
        c.inventory.idleTtl = "90m";
    };

    private static List<String> run(final CommerceHarness h, final List<String> lines, final int from, final int to) {
        final List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.addAll(h.send(lines.get(i)));
        }
        return out;
    }

    @Test
    void shouldGiveTheSameOutputsAndHashForTheSameEvents() {
        final List<String> lines = CommerceWorkload.lines(11, EVENTS);
        final CommerceHarness a = new CommerceHarness(TIGHT);
        final CommerceHarness b = new CommerceHarness(TIGHT);
        final List<String> outA = run(a, lines, 0, EVENTS);
        assertEquals(outA, run(b, lines, 0, EVENTS));
        assertEquals(a.logic.stateHash(), b.logic.stateHash());
        final CommerceStage c = a.commerce();
        assertTrue(c.orderStatusPushes() > 1_000, "pushes " + c.orderStatusPushes());
        assertTrue(c.stockPushes() > 50, "stock pushes " + c.stockPushes());
        assertTrue(c.rejects() > 100, "rejects " + c.rejects());
        assertTrue(c.oversells() > 10, "oversells " + c.oversells());
        assertTrue(c.ordersEvicted() > 100 && c.skusEvicted() > 0, c.ordersEvicted() + " / " + c.skusEvicted());
        assertTrue(outA.stream().anyMatch(s -> s.contains("UNPAID_OVERDUE")));
        assertTrue(outA.stream().anyMatch(s -> s.contains("UNSHIPPED_OVERDUE")));
    }

    @ParameterizedTest(name = "snapshot after {0} events")
    @ValueSource(ints = {1, 777, 2_500, 5_999})
    void shouldContinueFromASnapshotExactlyAsWithoutOne(final int at) {
        final List<String> lines = CommerceWorkload.lines(23, EVENTS);
        final CommerceHarness straight = new CommerceHarness(TIGHT);
        run(straight, lines, 0, at);
        final long hashAt = straight.logic.stateHash();
        final CommerceHarness restored = straight.restored(TIGHT);
        assertEquals(hashAt, restored.logic.stateHash(), "restored state hash");
        final List<String> expected = run(straight, lines, at, EVENTS);
        final List<String> actual = run(restored, lines, at, EVENTS);
        assertEquals(expected, actual);
        assertEquals(straight.logic.stateHash(), restored.logic.stateHash());
    }

    /**
     * Orders kept long enough to fill several pages of {@value Slots#PAGE_SLOTS} slots: a snapshot
     * then restores every page (the last one partly used) and the slots' timers, and the restored
     * stage continues exactly as the original.
     */
    @Test
    void shouldContinueFromASnapshotWhenOrdersSpanSeveralPages() {
        final Consumer<EngineConfig> roomy = c -> {
            c.orders.unpaidAfter = "20m";
            c.orders.unshippedAfter = "3h";
            c.orders.retention = "30d";
            c.orders.idleTtl = "30d";
            c.orders.maxOrders = 3_000;
            c.inventory.maxSkus = 30;
            c.inventory.idleTtl = "90m";
        };
        final int events = 16_000;
        final int at = 12_000;
        final List<String> lines = CommerceWorkload.lines(31, events);
        final CommerceHarness straight = new CommerceHarness(roomy);
        run(straight, lines, 0, at);
        final int held = straight.commerce().openOrders();
        assertTrue(held > 2 * Slots.PAGE_SLOTS && held % Slots.PAGE_SLOTS != 0, "orders held at the snapshot: " + held);
        final CommerceHarness restored = straight.restored(roomy);
        assertEquals(straight.logic.stateHash(), restored.logic.stateHash(), "restored state hash");
        final List<String> expected = run(straight, lines, at, events);
        assertEquals(expected, run(restored, lines, at, events));
        assertTrue(expected.stream().anyMatch(s -> s.contains("UNSHIPPED_OVERDUE")), "timers of restored slots fire");
        assertTrue(straight.commerce().ordersForgottenForRoom() > 0, "the cap (not a multiple of the page) was reached");
        assertEquals(straight.logic.stateHash(), restored.logic.stateHash());
    }

    @Test
    void shouldHashOrderAndStockState() {
        final CommerceHarness a = new CommerceHarness(TIGHT);
        final CommerceHarness b = new CommerceHarness(TIGHT);
        a.send(CommerceHarness.level("2026-01-05T10:00:00Z", "s", "w", 3));
        b.send(CommerceHarness.level("2026-01-05T10:00:00Z", "s", "w", 4));
        assertNotEquals(a.logic.stateHash(), b.logic.stateHash());
        a.send(CommerceHarness.order("2026-01-05T10:00:00Z", "o", "u", ""));
        b.send(CommerceHarness.level("2026-01-05T10:00:00Z", "s", "w", 3));
        b.send(CommerceHarness.order("2026-01-05T10:00:00Z", "o", "u", ""));
        assertNotEquals(a.logic.stateHash(), b.logic.stateHash(), "the event counts differ");
    }

    @Test
    void shouldHashTheOrderBookAlone() {
        // same events, same stock: the commerce states differ only in which order the book holds
        final CommerceHarness a = new CommerceHarness(TIGHT);
        final CommerceHarness b = new CommerceHarness(TIGHT);
        final CommerceHarness c = new CommerceHarness(TIGHT);
        for (final CommerceHarness h : List.of(a, b, c)) {
            h.send(CommerceHarness.level("2026-01-05T10:00:00Z", "s", "w", 3));
        }
        a.send(CommerceHarness.order("2026-01-05T10:00:01Z", "o1", "u", ""));
        b.send(CommerceHarness.order("2026-01-05T10:00:01Z", "o2", "u", ""));
        c.send(CommerceHarness.order("2026-01-05T10:00:01Z", "o1", "u", ""));
        assertEquals(1, a.commerce().openOrders());
        assertEquals(a.commerce().stateHash(), c.commerce().stateHash(), "the same history hashes the same");
        assertNotEquals(a.commerce().stateHash(), b.commerce().stateHash(), "another order held");
    }
}

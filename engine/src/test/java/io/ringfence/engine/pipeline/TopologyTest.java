package io.ringfence.engine.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopologyTest {
    @Test
    void shouldCombineStagesOnOneYieldingThreadOnTwoCores() {
        final Topology t = Topology.resolve(Layout.AUTO, WaitKind.AUTO, 2);
        assertEquals(Layout.COMBINED, t.layout());
        assertEquals(WaitKind.YIELDING, t.waitKind());
        assertEquals(1, t.threadNames(true).size());
    }

    @Test
    void shouldGiveEachStageItsOwnThreadOnSixteenCores() {
        final Topology t = Topology.resolve(Layout.AUTO, WaitKind.AUTO, 16);
        assertEquals(Layout.DEDICATED, t.layout());
        assertEquals(3, t.threadNames(true).size());
        assertEquals(2, t.threadNames(false).size());
    }

    @Test
    void shouldNeverChooseBusySpinByItself() {
        for (int cores = 1; cores <= 64; cores++) {
            assertNotEquals(WaitKind.BUSY_SPIN, Topology.resolve(Layout.AUTO, WaitKind.AUTO, cores).waitKind());
        }
    }

    @Test
    void shouldFlagBusySpinningMoreThreadsThanCores() {
        assertTrue(Topology.resolve(Layout.DEDICATED, WaitKind.BUSY_SPIN, 2).oversubscribesSpinning(true));
        assertFalse(Topology.resolve(Layout.COMBINED, WaitKind.BUSY_SPIN, 2).oversubscribesSpinning(true));
        assertFalse(Topology.resolve(Layout.DEDICATED, WaitKind.YIELDING, 2).oversubscribesSpinning(true));
    }

    @Test
    void inlineHasNoStageThreadToNameOrPinAndAutoNeverPicksIt() {
        final Topology t = Topology.resolve(Layout.INLINE, WaitKind.BLOCKING, 2, CpuPlan.AUTO);
        assertEquals(Layout.INLINE, t.layout());
        assertTrue(t.threadNames(true).isEmpty());
        assertTrue(t.cpus().isEmpty(), "auto pinning has nothing to pin");
        assertFalse(Topology.resolve(Layout.INLINE, WaitKind.BUSY_SPIN, 1).oversubscribesSpinning(true), "nothing waits, nothing spins");
        assertEquals("inline layout, stages on the publishing thread (no stage thread, no wait) on 2 cores", t.toString());
        final IllegalArgumentException byName = assertThrows(IllegalArgumentException.class,
                () -> Topology.resolve(Layout.INLINE, WaitKind.BLOCKING, 2, CpuPlan.byName(java.util.Map.of("rf-engine", 1))));
        assertTrue(byName.getMessage().contains("'rf-engine', but the inline layout has no stage threads"), byName.getMessage());
        final IllegalArgumentException inOrder = assertThrows(IllegalArgumentException.class,
                () -> Topology.resolve(Layout.INLINE, WaitKind.BLOCKING, 2, CpuPlan.inOrder(java.util.List.of(1))));
        assertTrue(inOrder.getMessage().contains("the inline layout has no stage threads"), inOrder.getMessage());
        for (int cores = 1; cores <= 64; cores++) {
            assertNotEquals(Layout.INLINE, Topology.resolve(Layout.AUTO, WaitKind.AUTO, cores).layout());
        }
    }

    @Test
    void shouldParseConfigurationSpellingsOfWaitStrategies() {
        assertEquals(WaitKind.BUSY_SPIN, WaitKind.parse("busy-spin"));
        assertEquals(WaitKind.BUSY_SPIN, WaitKind.parse("BusySpin"));
        assertEquals(WaitKind.YIELDING, WaitKind.parse(" yielding "));
    }
}

package io.ringfence.engine.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
    void shouldParseConfigurationSpellingsOfWaitStrategies() {
        assertEquals(WaitKind.BUSY_SPIN, WaitKind.parse("busy-spin"));
        assertEquals(WaitKind.BUSY_SPIN, WaitKind.parse("BusySpin"));
        assertEquals(WaitKind.YIELDING, WaitKind.parse(" yielding "));
    }
}

package io.ringfence.engine.window;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Window sums saturate instead of wrapping into a negative total. */
class NumericStatsTest {
    @Test
    void sumsSaturateAtTheLongRangeWhenAddingAndMerging() {
        final NumericStats stats = new NumericStats();
        stats.add(Long.MAX_VALUE - 5);
        stats.add(10);
        assertEquals(Long.MAX_VALUE, stats.sum(), "a sum past the range stays at its top, never turns negative");
        assertEquals(2, stats.n());

        final NumericStats low = new NumericStats();
        low.add(Long.MIN_VALUE + 3);
        low.add(-7);
        assertEquals(Long.MIN_VALUE, low.sum());

        final NumericStats merged = new NumericStats();
        merged.add(Long.MAX_VALUE / 2 + 1);
        final NumericStats other = new NumericStats();
        other.add(Long.MAX_VALUE / 2 + 1);
        merged.merge(other);
        assertEquals(Long.MAX_VALUE, merged.sum(), "panes merged for a sliding window saturate too");

        final NumericStats ordinary = new NumericStats();
        ordinary.add(-5);
        ordinary.add(12);
        assertEquals(7, ordinary.sum(), "in range, a plain sum");
        assertEquals(-3, NumericStats.saturatedAdd(-5, 2));

        // a line's qty × unit price: 2^31 - 1 items at 10^15 minor units each
        assertEquals(Long.MAX_VALUE, NumericStats.saturatedMultiply(Integer.MAX_VALUE, 1_000_000_000_000_000L));
        assertEquals(Long.MIN_VALUE, NumericStats.saturatedMultiply(-Integer.MAX_VALUE, 1_000_000_000_000_000L), "a return");
        assertEquals(-6_000, NumericStats.saturatedMultiply(-3, 2_000));
    }
}

package io.ringfence.engine.trending;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admission filter's count-min sketch: never below the true count, halved every half window of event time, in snapshots. */
class AdmissionSketchTest {
    @Test
    void shouldNeverCountBelowTheTruthAndMostlyExactlyWhenNotCrowded() {
        final AdmissionSketch sketch = new AdmissionSketch(1 << 12, 1_000);
        final Map<Long, Long> truth = new HashMap<>();
        final Random random = new Random(5);
        for (int i = 0; i < 4_000; i++) { // all at time 0: no halving
            final long key = random.nextLong() % 500;
            final long amount = 1 + random.nextInt(3);
            final long counted = truth.merge(key, amount, Long::sum);
            assertTrue(sketch.add(key, amount, 0) >= counted);
        }
        long exact = 0;
        for (final Map.Entry<Long, Long> e : truth.entrySet()) {
            assertTrue(sketch.estimate(e.getKey()) >= e.getValue());
            exact += sketch.estimate(e.getKey()) == e.getValue() ? 1 : 0;
        }
        assertTrue(exact > truth.size() * 0.95, exact + " of " + truth.size() + " exact");
        assertEquals(0, sketch.ages());
    }

    @Test
    void shouldHalveEveryCounterOncePerAgePeriodOfEventTimeAndRestoreFromASnapshot() {
        final AdmissionSketch sketch = new AdmissionSketch(1 << 10, 1_000);
        assertEquals(100, sketch.add(42, 100, 5_000)); // the first sale starts the clock: next halving at 6,000
        assertEquals(110, sketch.add(42, 10, 5_999));
        assertEquals(0, sketch.ages());
        assertEquals(56, sketch.add(42, 1, 6_000), "halved at 6,000: 55, then this sale");
        assertEquals(1, sketch.ages());
        assertEquals(15, sketch.add(42, 1, 8_500), "two periods passed (7,000 and 8,000): 56 halved twice is 14, then this sale");
        assertEquals(3, sketch.ages());
        assertEquals(1, sketch.add(42, 1, 100_000_000), "a long quiet spell forgets everything");

        final StateWriter w = new StateWriter(1 << 16);
        sketch.writeState(w);
        final ByteBuffer bytes = ByteBuffer.allocate(w.position());
        w.buffer().getBytes(0, bytes, w.position());
        bytes.flip();
        final AdmissionSketch restored = new AdmissionSketch(1 << 10, 1_000);
        restored.readState(new StateReader(bytes));
        assertEquals(sketch.stateHash(), restored.stateHash());
        assertEquals(sketch.add(42, 1, 100_000_500), restored.add(42, 1, 100_000_500));
        assertEquals(sketch.add(42, 1, 100_001_500), restored.add(42, 1, 100_001_500), "the next halving at the same time");
        assertThrows(IllegalArgumentException.class, () -> new AdmissionSketch(1000, 1_000));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionSketch(1024, 0));
    }

    @Test
    void shouldSizeItsRowsByTheCategoriesPlaces() {
        assertEquals(1 << 16, TrendBoard.sketchWidth(256, 1_024), "the defaults: 4 x 65,536 counters, 1 MB");
        assertEquals(1 << 10, TrendBoard.sketchWidth(1, 2));
        assertEquals(1 << 12, TrendBoard.sketchWidth(256, 40), "10,240 places / 4 rounded up to a power of two");
        assertEquals(1 << 18, TrendBoard.sketchWidth(65_536, 100_000));
    }
}

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

/** The admission filter's count-min sketch: never below the true count, halved every 10 x width sales, in snapshots. */
class AdmissionSketchTest {
    @Test
    void shouldNeverCountBelowTheTruthAndMostlyExactlyWhenNotCrowded() {
        final AdmissionSketch sketch = new AdmissionSketch(1 << 12);
        final Map<Long, Long> truth = new HashMap<>();
        final Random random = new Random(5);
        for (int i = 0; i < 4_000; i++) { // below 10 x width: no halving
            final long key = random.nextLong() % 500;
            final long amount = 1 + random.nextInt(3);
            final long counted = truth.merge(key, amount, Long::sum);
            assertTrue(sketch.add(key, amount) >= counted);
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
    void shouldHalveEveryCounterAfterTenTimesItsWidthInSalesAndRestoreFromASnapshot() {
        final AdmissionSketch sketch = new AdmissionSketch(1 << 10);
        sketch.add(42, 100);
        for (int i = 0; i < 10 * 1024 - 101; i++) {
            sketch.add(1_000 + i % 7, 1);
        }
        assertEquals(100, sketch.estimate(42));
        sketch.add(7_777, 1); // the 10,240th sale
        assertEquals(1, sketch.ages());
        assertEquals(50, sketch.estimate(42), "halved");

        final StateWriter w = new StateWriter(1 << 16);
        sketch.writeState(w);
        final ByteBuffer bytes = ByteBuffer.allocate(w.position());
        w.buffer().getBytes(0, bytes, w.position());
        bytes.flip();
        final AdmissionSketch restored = new AdmissionSketch(1 << 10);
        restored.readState(new StateReader(bytes));
        assertEquals(sketch.stateHash(), restored.stateHash());
        assertEquals(sketch.add(42, 1), restored.add(42, 1));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionSketch(1000));
    }

    @Test
    void shouldSizeItsRowsByTheCategoriesPlaces() {
        assertEquals(1 << 16, TrendBoard.sketchWidth(256, 1_024), "the defaults: 4 x 65,536 counters, 1 MB");
        assertEquals(1 << 10, TrendBoard.sketchWidth(1, 2));
        assertEquals(1 << 12, TrendBoard.sketchWidth(256, 40), "10,240 places / 4 rounded up to a power of two");
        assertEquals(1 << 18, TrendBoard.sketchWidth(65_536, 100_000));
    }
}

package io.ringfence.gateway.admin;

import org.junit.jupiter.api.Test;

import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap warning reads the old generation after each collection: with a threshold far below
 * what this test JVM keeps, the collections that garbage forces (young ones; no System.gc, which
 * a JVM may ignore) warn once, naming the pool and the sizes, and not again while it stays above;
 * a closed watch says nothing.
 */
class HeapWatchTest {
    private static volatile Object sink;

    /** Allocates short-lived garbage until {@code warnings} has one or the time is up. */
    private static String collectUntilWarned(final LinkedBlockingQueue<String> warnings, final long millis) throws InterruptedException {
        final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            for (int i = 0; i < 64; i++) {
                sink = new byte[1 << 20];
            }
            final String w = warnings.poll();
            if (w != null) {
                return w;
            }
        }
        return warnings.poll(200, TimeUnit.MILLISECONDS);
    }

    @Test
    void shouldWarnOnceWhenTheOldGenerationKeepsMoreThanTheThresholdAfterCollectionsAndNothingOnceClosed() throws Exception {
        final LinkedBlockingQueue<String> warnings = new LinkedBlockingQueue<>();
        final List<Object> kept = new ArrayList<>();
        try (HeapWatch watch = HeapWatch.start(1e-6, warnings::add)) {
            assertNotNull(watch.pool(), "this JVM's collector has an old generation or a single heap pool");
            for (int i = 0; i < 8; i++) {
                kept.add(new long[1 << 20]); // 64 MB kept: the old generation holds more than a few bytes
            }
            final String warning = collectUntilWarned(warnings, 20_000);
            assertNotNull(warning, "no warning after 20 s of collections with a threshold of a few bytes");
            assertTrue(warning.startsWith("the heap kept after a garbage collection is ") && warning.contains(watch.pool())
                && warning.contains("RINGFENCE_JAVA_OPTS"), warning);
            assertNull(collectUntilWarned(warnings, 2_000), "still above: no second warning");
        } finally {
            kept.clear();
        }
        warnings.clear();
        assertNull(collectUntilWarned(warnings, 1_000), "a closed watch says nothing");
    }

    @Test
    void shouldSayTheSizesInMegabytes() {
        assertTrue(HeapWatch.message("G1 Old Gen", new MemoryUsage(0, 1_800L << 20, 2_048L << 20, 2_048L << 20))
            .startsWith("the heap kept after a garbage collection is 1,800 MB of its 2,048 MB (G1 Old Gen, 88 %)"));
        assertThrows(IllegalArgumentException.class, () -> HeapWatch.start(0, w -> { }));
        assertEquals(HeapWatch.oldGeneration(), HeapWatch.start(0.5, w -> { }).pool());
    }
}

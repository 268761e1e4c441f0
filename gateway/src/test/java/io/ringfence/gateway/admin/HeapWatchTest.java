package io.ringfence.gateway.admin;

import org.junit.jupiter.api.Test;

import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap warning comes from the JVM's own collection-usage threshold: with a threshold far below
 * what this test JVM keeps after a full collection, the next collection warns, naming the pool
 * and the sizes; a closed watch stays silent.
 */
class HeapWatchTest {
    private static volatile Object kept;

    @Test
    void shouldWarnAfterACollectionThatLeavesTheHeapAboveTheThresholdAndStopWhenClosed() throws Exception {
        final LinkedBlockingQueue<String> warnings = new LinkedBlockingQueue<>();
        final List<String> pools;
        try (HeapWatch watch = HeapWatch.start(1e-6, warnings::add)) {
            pools = watch.pools();
            assertFalse(pools.isEmpty(), "G1 offers its old generation's collection-usage threshold");
            kept = new long[4 << 20]; // 32 MB that survive the collection
            System.gc();
            final String warning = warnings.poll(10, TimeUnit.SECONDS);
            assertNotNull(warning, "no warning after a full collection with a threshold of a few bytes");
            assertTrue(warning.startsWith("the heap kept after a garbage collection is ") && warning.contains(pools.get(0))
                && warning.contains("RINGFENCE_JAVA_OPTS"), warning);
        } finally {
            kept = null;
        }
        warnings.clear();
        System.gc();
        System.gc();
        assertEquals(null, warnings.poll(1, TimeUnit.SECONDS), "a closed watch says nothing");
    }

    @Test
    void shouldSayTheSizesInMegabytes() {
        assertTrue(HeapWatch.message("G1 Old Gen", new MemoryUsage(0, 1_800L << 20, 2_048L << 20, 2_048L << 20))
            .startsWith("the heap kept after a garbage collection is 1,800 MB of its 2,048 MB (G1 Old Gen, 88 %)"));
        assertThrows(IllegalArgumentException.class, () -> HeapWatch.start(0, w -> { }));
    }
}

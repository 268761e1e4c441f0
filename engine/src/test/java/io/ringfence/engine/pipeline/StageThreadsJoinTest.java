package io.ringfence.engine.pipeline;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal review of 2026-12-06: the Disruptor's halt only asks the stage threads to stop, and the journal was closed
 * right after, under a journal stage that could still be appending. A close now waits for them ({@link StageThreads#join}).
 */
class StageThreadsJoinTest {

    @Test
    void joinWaitsForTheThreadsMadeAndNamesThoseThatDoNotEnd() throws Exception {
        final StageThreads threads = new StageThreads(Topology.replica(2), true);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread quick = threads.newThread(() -> sleep(200));
        final Thread stuck = threads.newThread(() -> {
            try {
                release.await();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        quick.start();
        stuck.start();
        final long start = System.nanoTime();
        final String alive = threads.join(500);
        assertEquals(stuck.getName(), alive, "the one still running is named");
        assertTrue(!quick.isAlive(), "the quick one was waited for (200 ms of work)");
        assertTrue(System.nanoTime() - start >= 400_000_000L, "waited up to the bound for the other");
        release.countDown();
        assertNull(threads.join(5_000), "all ended");
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

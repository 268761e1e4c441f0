package io.ringfence.engine.snapshot;

import io.ringfence.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What recovery waits on before a start under a new configuration goes on: the snapshot it took at the journal's
 * end, written or given up, not any snapshot. Review: it waited for the count of written or failed snapshots to
 * rise, which a periodic snapshot of the replay did while the end one was still being written.
 */
class SnapshotAgentSettledTest {
    @TempDir
    Path dir;

    private static void snapshot(final SnapshotAgent agent, final long sequence) {
        final StateWriter w = agent.tryAcquire();
        assertNotNull(w);
        w.putLong(sequence);
        agent.businessWritten(w);
        agent.complete(w, sequence);
    }

    private static void await(final SnapshotAgent agent, final long sequence) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (agent.settledThrough() < sequence && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(sequence, agent.settledThrough());
    }

    @Test
    void shouldSettleASequenceOnlyWhenItsOwnSnapshotIsWrittenOrGivenUp() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger renames = new AtomicInteger();
        final Runnable beforeRename = () -> {
            if (renames.incrementAndGet() == 2) { // the second write (the end snapshot) is slow
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (SnapshotAgent agent = new SnapshotAgent(new SnapshotStore(dir, 5), new byte[32], new SnapshotPolicy(1_000_000, 0),
                null, beforeRename)) {
            assertEquals(-1, agent.settledThrough());
            final long countBefore = agent.written() + agent.failed();
            snapshot(agent, 5); // a periodic snapshot during the replay
            await(agent, 5);
            snapshot(agent, 9); // the end snapshot, held in its write
            Thread.sleep(50);
            assertTrue(agent.written() + agent.failed() > countBefore, "the old wait would have ended here");
            assertEquals(5, agent.settledThrough(), "9 is still being written");
            release.countDown();
            await(agent, 9);
            assertEquals(9, agent.lastSequence());

            assertFalse(agent.fits(Long.MAX_VALUE / 4, 12), "beyond the format's limit: not taken");
            assertEquals(12, agent.settledThrough(), "given up counts as settled: nobody waits 10 minutes for it");
            final StateWriter w = agent.tryAcquire();
            assertNotNull(w);
            agent.abandon(w, 14, new OutOfMemoryError("test: no direct memory"));
            assertEquals(14, agent.settledThrough());
        }
    }
}

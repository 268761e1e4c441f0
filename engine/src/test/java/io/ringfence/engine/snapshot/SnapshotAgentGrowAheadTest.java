package io.ringfence.engine.snapshot;

import io.ringfence.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first snapshot of a fresh engine finds its buffer already large enough once the business
 * stage has published a bound of its state's size: the snapshot thread grows it in the background,
 * so the business thread does not (that growth paused the engine 0.8 s for an 88 MB state). A
 * state larger than the bound still snapshots correctly, growing on the business thread, and is
 * counted.
 */
class SnapshotAgentGrowAheadTest {
    private static final int STATE_LONGS = 3 << 17; // 3 MiB, three times the buffers' initial size

    @TempDir
    Path dir;

    private SnapshotAgent agent() {
        return new SnapshotAgent(new SnapshotStore(dir, 2), new byte[32], new SnapshotPolicy(1_000_000, 0), null, null);
    }

    private static void await(final LongSupplier value, final long atLeast) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (value.getAsLong() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(value.getAsLong() >= atLeast, "waited 30 s for " + atLeast + ", have " + value.getAsLong());
    }

    /** Writes {@code longs} longs as the business thread would, hands the snapshot over and waits until it is on disk. */
    private static StateWriter snapshot(final SnapshotAgent agent, final int longs, final long sequence) throws InterruptedException {
        final StateWriter w = agent.tryAcquire();
        assertNotNull(w);
        for (int i = 0; i < longs; i++) {
            w.putLong(i);
        }
        agent.businessWritten(w);
        agent.complete(w, sequence);
        await(agent::written, agent.written() + 1);
        return w;
    }

    @Test
    void shouldGrowTheFirstSnapshotsBufferAheadOnceABoundIsPublished() throws Exception {
        try (SnapshotAgent agent = agent()) {
            final long bound = STATE_LONGS * 8L;
            agent.expectBusinessBytes(bound);
            await(agent::grownAhead, 1);
            final StateWriter w = snapshot(agent, STATE_LONGS, 1_000_000);
            assertTrue(w.capacity() >= bound + bound / 4, "1.25x the bound: " + w.capacity());
            assertEquals(0, agent.grownOnEngine(), "the business thread wrote into a ready buffer");
            assertEquals(bound, agent.businessBytesBound());
            assertEquals(STATE_LONGS * 8L + 12, agent.lastBytes(), "the state and the output section's markers");
        }
    }

    @Test
    void shouldGrowAgainAsTheBoundRisesAndNotForSmallChanges() throws Exception {
        try (SnapshotAgent agent = agent()) {
            agent.expectBusinessBytes(2L << 20);
            await(agent::grownAhead, 1);
            agent.expectBusinessBytes((2L << 20) + 1000); // within the 1/8 margin: no new buffer
            Thread.sleep(5 * SnapshotAgent.GROW_CHECK_MILLIS);
            assertEquals(1, agent.grownAhead());
            agent.expectBusinessBytes(8L << 20);
            await(agent::grownAhead, 2);
            final long ready = agent.readyBytes();
            assertTrue(ready >= 10L << 20, "1.25 x 8 MiB: " + ready);
            agent.expectBusinessBytes(ready * 8 / 9 + 1); // just past the margin: 1.5x the buffer, more than 1.25x the bound
            await(agent::grownAhead, 3);
            assertTrue(agent.readyBytes() >= ready * 3 / 2, "1.5 x " + ready + ": " + agent.readyBytes());
        }
    }

    @Test
    void shouldStillSnapshotAStateLargerThanItsBufferAndCountTheGrowth() throws Exception {
        try (SnapshotAgent agent = agent()) {
            snapshot(agent, STATE_LONGS, 10); // no bound published: the old behaviour
            assertEquals(1, agent.grownOnEngine());
            assertEquals(STATE_LONGS * 8L + 12, agent.lastBytes(), "the state and the output section's markers");
            assertEquals(0, agent.grownAhead());
        }
    }

    @Test
    void shouldIgnoreAnUnknownBound() throws Exception {
        try (SnapshotAgent agent = agent()) {
            agent.expectBusinessBytes(0);
            agent.expectBusinessBytes(-5);
            Thread.sleep(5 * SnapshotAgent.GROW_CHECK_MILLIS);
            assertEquals(0, agent.grownAhead());
            final StateWriter w = agent.tryAcquire();
            assertNotNull(w);
            assertTrue(w.capacity() <= 1 << 20, "still the initial 1 MiB: " + w.capacity());
        }
    }
}

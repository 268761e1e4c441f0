package io.ringfence.engine.snapshot;

import io.ringfence.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Buffers sized for the state off the engine thread in two more places: a buffer comes back from its write sized for
 * the bound published meanwhile (the state grew during the write), and recovery's last snapshot finds its buffer sized
 * by the recovering thread ({@link SnapshotAgent#makeRoom}; measured: a 0.69 s pause for a 56 MB state at the end of a
 * restart under a new configuration, logged as "its buffer grew on the engine thread").
 */
class SnapshotAgentMakeRoomTest {
    private static final int STATE_LONGS = 3 << 17; // 3 MiB, three times the buffers' initial size
    private static final long BOUND = STATE_LONGS * 8L;

    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);

    /** An agent whose writes wait for {@link #release} before their rename: a slow disk. */
    private SnapshotAgent slowAgent() {
        return new SnapshotAgent(new SnapshotStore(dir, 2), new byte[32], new SnapshotPolicy(1_000_000, 0), null, () -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void await(final LongSupplier value, final long atLeast) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (value.getAsLong() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(value.getAsLong() >= atLeast, "waited 30 s for " + atLeast + ", have " + value.getAsLong());
    }

    /** Takes a snapshot of {@code longs} longs as the business and dispatch threads would, without waiting for its write. */
    private static void take(final SnapshotAgent agent, final int longs, final long sequence) {
        final StateWriter w = agent.tryAcquire();
        assertNotNull(w, "a buffer for the snapshot at " + sequence);
        for (int i = 0; i < longs; i++) {
            w.putLong(i);
        }
        agent.businessWritten(w);
        agent.complete(w, sequence);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBufferComesBackFromItsWriteSizedForTheBoundPublishedMeanwhile() throws Exception {
        try (SnapshotAgent agent = slowAgent()) {
            take(agent, 128, 1); // a small state, no bound yet
            agent.expectBusinessBytes(8L << 20); // the state grew during the write
            release.countDown();
            await(agent::written, 1);
            Thread.sleep(5 * SnapshotAgent.GROW_CHECK_MILLIS);
            assertTrue(agent.readyBytes() >= 10L << 20, "1.25 x 8 MiB: " + agent.readyBytes());
            assertEquals(0, agent.grownAhead(), "sized as it came back, not grown ahead afterwards");
        }
    }

    /**
     * Review: with a snapshot still being written at the end of a recovery, makeRoom sized the other buffer, and the
     * one in flight came back sized too: twice the state held off-heap for good. It waits for the one in flight.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void makeRoomWaitsForTheBufferInFlightRatherThanSizingTheOther() throws Exception {
        try (SnapshotAgent agent = slowAgent()) {
            agent.spareUpTo(1L << 20); // BOUND stands for a state above the bound (64 MiB) whose spare is not grown
            take(agent, 128, 1); // its write waits
            agent.expectBusinessBytes(BOUND);
            final Thread recovering = new Thread(agent::makeRoom);
            recovering.start();
            Thread.sleep(200);
            assertTrue(recovering.isAlive(), "waits while a snapshot is being written");
            release.countDown();
            recovering.join(30_000);
            assertTrue(agent.readyBytes() >= BOUND + BOUND / 4, "the one first in line fits the state: " + agent.readyBytes());
            final StateWriter first = agent.tryAcquire();
            assertNotNull(first);
            assertTrue(agent.readyBytes() <= 1 << 20, "the other one kept its initial size: " + agent.readyBytes());
        }
    }

    /**
     * Trial (306 MB state, slow disk, after each of 5 restarts): a snapshot due while the first buffer was being written
     * took the second, still at its initial MiB, and grew it on the engine thread for 2.7-5.7 s. Now it stays due until
     * the buffer in flight comes back, sized for the state; a state that fits the second buffer still takes it at once.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aDueSnapshotWaitsForTheBufferInFlightRatherThanGrowingTheSmallOne() throws Exception {
        try (SnapshotAgent agent = slowAgent()) {
            agent.putOffWhenTooSmall(0);
            take(agent, STATE_LONGS, 1); // 3 MiB (its buffer grows here: the test gives no bound), its write waits
            final long grown = agent.grownOnEngine();
            assertEquals(null, agent.tryAcquire(), "the free one (1 MiB) is too small for the state: the snapshot stays due");
            assertEquals(null, agent.tryAcquire());
            assertEquals(1, agent.deferredForRoom(), "one wait, counted once");
            release.countDown();
            await(agent::written, 1);
            final StateWriter w = agent.tryAcquire();
            assertNotNull(w, "the buffer back from its write");
            assertTrue(w.capacity() >= BOUND, "sized for the state: " + w.capacity());
            for (int i = 0; i < STATE_LONGS; i++) {
                w.putLong(i);
            }
            agent.businessWritten(w);
            agent.complete(w, 2);
            await(agent::written, 2);
            assertEquals(grown, agent.grownOnEngine(), "no buffer grew on the engine thread");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSmallStateStillTakesTheOtherBufferAtTheDueEvent() throws Exception {
        try (SnapshotAgent agent = slowAgent()) {
            agent.putOffWhenTooSmall(0);
            take(agent, 1_000, 1); // its write waits
            take(agent, 1_000, 2); // taken at once in the other buffer
            assertEquals(0, agent.deferredForRoom());
            release.countDown();
            await(agent::written, 2);
        }
    }

    /**
     * 50-kill soak: a snapshot put off waits for an event, and a quiet engine has none, so only a state whose buffer
     * would take long to grow is put off; a 3 MiB one takes the other buffer at the due event as before.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStateBelowTheThresholdIsNotPutOff() throws Exception {
        try (SnapshotAgent agent = slowAgent()) {
            agent.putOffWhenTooSmall(SnapshotAgent.PUT_OFF_ABOVE_BYTES);
            take(agent, STATE_LONGS, 1);
            take(agent, STATE_LONGS, 2);
            assertEquals(0, agent.deferredForRoom());
            release.countDown();
            await(agent::written, 2);
        }
    }

    /**
     * Audit (journal-only recovery of a ~100 MB state, snapshots every 40,000 events): during the replay, before going
     * live, a snapshot due while the other was written took the small buffer and grew it on the engine thread (3.2 s of
     * 8.55 s). A state above the bound (64 MiB) is put off during a replay too.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void beforeGoingLiveALargeStateIsPutOffToo() throws Exception {
        final int longs = (int) (SnapshotAgent.PUT_OFF_ABOVE_BYTES / 8 + (1 << 20)); // 72 MiB
        try (SnapshotAgent agent = slowAgent()) {
            agent.replaying();
            take(agent, longs, 1); // its write waits
            final long grown = agent.grownOnEngine();
            assertEquals(null, agent.tryAcquire(), "not live, and still put off: the free buffer is too small for the state");
            assertEquals(1, agent.deferredForRoom());
            release.countDown();
            await(agent::written, 1);
            take(agent, longs, 2);
            await(agent::written, 2);
            assertEquals(grown, agent.grownOnEngine(), "no buffer grew on the engine thread");
            assertEquals(0, agent.late(), "a replay's put-off snapshot is not counted late (not live)");
        }
    }

    /**
     * Audit, continued: in the replay the state outgrew the front buffer too (123 -> 278 MB grown on the engine thread,
     * 3.9 s): before going live a snapshot of a large state waits while this agent grows the front buffer to the
     * published bound.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void beforeGoingLiveALargeStateWaitsForItsBufferToBeGrownAhead() throws Exception {
        final int longs = (int) (SnapshotAgent.PUT_OFF_ABOVE_BYTES / 8 + (1 << 20)); // 72 MiB
        try (SnapshotAgent agent = new SnapshotAgent(new SnapshotStore(dir, 2), new byte[32], new SnapshotPolicy(1_000_000, 0),
                null, null)) {
            agent.replaying();
            agent.expectBusinessBytes(longs * 8L);
            final StateWriter early = agent.tryAcquire();
            assertEquals(null, early, "put off: the agent's thread is growing the 1 MiB buffer to the bound");
            await(agent::readyBytes, longs * 8L + longs);
            take(agent, longs, 1);
            await(agent::written, 1);
            assertEquals(0, agent.grownOnEngine(), "no buffer grew on the engine thread");
            agent.putOffWhenTooSmall(SnapshotAgent.PUT_OFF_ABOVE_BYTES);
            agent.expectBusinessBytes(longs * 16L);
            assertNotNull(agent.tryAcquire(), "live: taken at the due event, whatever the bound says");
        }
    }

    /** During a recovery's replay (not yet live) snapshots of a state below the bound stay at the policy's points: the other buffer grows. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void beforeGoingLiveTheOtherBufferIsTakenAndGrownForASmallState() throws Exception {
        try (SnapshotAgent agent = slowAgent()) {
            agent.replaying();
            take(agent, STATE_LONGS, 1);
            take(agent, STATE_LONGS, 2);
            assertEquals(0, agent.deferredForRoom());
            release.countDown();
            await(agent::written, 2);
        }
    }
}

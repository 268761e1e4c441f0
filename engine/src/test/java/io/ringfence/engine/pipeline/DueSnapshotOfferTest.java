package io.ringfence.engine.pipeline;

import io.ringfence.engine.snapshot.SnapshotAgent;
import io.ringfence.engine.snapshot.SnapshotPolicy;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator audit: a periodic snapshot that fell due while both buffers were being written stayed pending until the next
 * event, so a server that then went quiet kept it pending (a kill meanwhile recovered from the snapshot before). The
 * publisher now offers a marker when it has nothing else to publish ({@link Pipeline#offerDueSnapshot}), and the business
 * stage takes the pending snapshot at the last event's sequence.
 */
class DueSnapshotOfferTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"COMBINED", "DEDICATED", "INLINE"})
    void aSnapshotPendingOnAQuietPipelineIsTakenWhenABufferComesBack(final Layout layout) throws Exception {
        final CountDownLatch slowDisk = new CountDownLatch(1);
        final Runnable beforeRename = () -> {
            try {
                slowDisk.await(30, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        final SnapshotPolicy policy = new SnapshotPolicy(10, 0);
        final PipelineSettings settings = new PipelineSettings(1024, Topology.resolve(layout, WaitKind.BLOCKING, 2), 1, 4096, 64, 64);
        try (SnapshotAgent agent = new SnapshotAgent(new SnapshotStore(dir, 5), new byte[32], policy, null, beforeRename)) {
            final Pipeline pipeline = Pipeline.start(settings, null, new FailedSnapshotTest.Logic(), new PipelineTest.RecordingSink(null), agent);
            try {
                assertFalse(pipeline.offerDueSnapshot(), "nothing due");
                publish(pipeline, 32); // due at 10 and 20 (both buffers then held by the slow disk), and at 30: pending
                pipeline.awaitDispatched(30, TimeUnit.SECONDS);
                assertEquals(30, policy.pendingDueAt(), "due since 30, both buffers busy");
                assertFalse(pipeline.offerDueSnapshot(), "no marker while both buffers are being written");

                slowDisk.countDown();
                awaitTrue(() -> agent.written() == 2 && agent.idle() ? 1 : 0, "the two snapshots written");
                assertEquals(30, policy.pendingDueAt(), "still pending: no event came");

                final long offered = System.nanoTime();
                assertTrue(pipeline.offerDueSnapshot(), "a marker for the pending snapshot");
                final boolean again = pipeline.offerDueSnapshot();
                if (System.nanoTime() - offered < 50_000_000L) { // offered again only after 100 ms (a stalled thread may pass it)
                    assertFalse(again, "not again at once for the same due snapshot");
                }
                awaitTrue(() -> agent.written() == 3 ? 1 : 0, "the pending snapshot written");
                assertEquals(32, agent.lastSequence(), "taken at the last event's sequence");
                assertEquals(-1, policy.pendingDueAt(), "nothing due any more");
                assertFalse(pipeline.offerDueSnapshot());

                publish(pipeline, 8); // 33..40: the next point is taken at its event as before
                pipeline.awaitDispatched(30, TimeUnit.SECONDS);
                awaitTrue(() -> agent.written() == 4 ? 1 : 0, "the snapshot at 40");
                assertEquals(40, agent.lastSequence());
            } finally {
                slowDisk.countDown();
                pipeline.close();
            }
        }
    }

    private static void publish(final Pipeline pipeline, final int n) {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        for (int i = 0; i < n; i++) {
            pipeline.publish(1_000 + i, 7, pipeline.lastSequence() + 1, payload, 0, payload.capacity());
        }
    }

    private static void awaitTrue(final LongSupplier condition, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (condition.getAsLong() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }
}

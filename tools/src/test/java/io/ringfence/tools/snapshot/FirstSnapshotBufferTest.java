package io.ringfence.tools.snapshot;

import io.ringfence.engine.Engine;
import io.ringfence.engine.snapshot.SnapshotAgent;
import io.ringfence.journal.JournalRecordHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh engine's first snapshot (here ~19 MB of state from 20,000 users, 19 times the buffers'
 * initial 1 MiB) is serialised into a buffer the snapshot thread grew beforehand from the
 * published state bound: the engine thread grows nothing, and the snapshot is taken at its
 * sequence as before.
 */
class FirstSnapshotBufferTest {
    private static final int SNAPSHOT_AT = 20_000;
    private static final JournalRecordHandler NO_RECORDS = (s, i, src, c, b, o, l) -> { };

    @TempDir
    Path dir;

    @Test
    void shouldTakeTheFirstSnapshotWithoutGrowingItsBufferOnTheEngineThread() throws Exception {
        final List<byte[]> events = SnapshotJournals.events(7, 20_000, SNAPSHOT_AT);
        try (Engine engine = Engine.recovered(SnapshotJournals.config(true, SNAPSHOT_AT), dir.resolve("data"),
                new SnapshotJournals.Outputs(), NO_RECORDS, new SnapshotJournals.Outputs())) {
            final SnapshotAgent agent = engine.snapshots();
            SnapshotJournals.publish(engine.pipeline(), events, 0, SNAPSHOT_AT - 500);
            engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
            final long bound = agent.businessBytesBound();
            assertTrue(bound > 8L << 20, "a state of several MiB: " + bound);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (agent.readyBytes() < bound + bound / 8 && System.nanoTime() < deadline) {
                Thread.sleep(10); // the writer thread catches up with the last bound (on a loaded machine it may lag)
            }
            assertTrue(agent.readyBytes() >= bound + bound / 8, "ready " + agent.readyBytes() + " for a bound of " + bound);
            SnapshotJournals.publish(engine.pipeline(), events, SNAPSHOT_AT - 500, SNAPSHOT_AT);
            engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
            while (agent.written() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, agent.written());
            assertEquals(SNAPSHOT_AT, agent.lastSequence());
            assertTrue(agent.lastBytes() <= bound + bound / 4, agent.lastBytes() + " bytes, bound " + bound);
            assertTrue(agent.grownAhead() >= 1, "grown ahead " + agent.grownAhead());
            assertEquals(0, agent.grownOnEngine(), "the engine thread grew the first snapshot's buffer (grown ahead " + agent.grownAhead() + " times, bound " + bound + ")");
        }
    }
}

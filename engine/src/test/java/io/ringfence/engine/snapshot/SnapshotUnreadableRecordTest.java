package io.ringfence.engine.snapshot;

import io.ringfence.journal.RecordFingerprint;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Journal review of 2026-12-06: a snapshot whose journal record could not be read back (the fingerprint lookup gives
 * NONE on a read error) was written all the same; it passed its CRC, so it counted toward {@code retain} and pruned
 * usable snapshots, and the next start refused it. It is now a failed write, and the snapshots before it stay.
 */
class SnapshotUnreadableRecordTest {
    @TempDir
    Path dir;

    @Test
    void aSnapshotWhoseJournalRecordCannotBeReadIsNotWrittenAndPrunesNothing() throws Exception {
        final SnapshotStore store = new SnapshotStore(dir, 1); // retain 1: a written one would prune the one before
        try (SnapshotAgent agent = new SnapshotAgent(store, new byte[32], new SnapshotPolicy(1_000_000, 0), null, null,
                sequence -> sequence == 9 ? RecordFingerprint.NONE : 0x1234_5678L + sequence)) {
            snapshot(agent, 5);
            await(agent, 5);
            assertEquals(1, agent.written());
            snapshot(agent, 9); // its record cannot be read
            await(agent, 9);
            assertEquals(1, agent.written(), "not written");
            assertEquals(1, agent.failed(), "a failed write");
            assertEquals(5, agent.lastSequence(), "the last written is still 5");
        }
        assertEquals(1, store.list().size(), "the snapshot at 5 is kept: " + store.list());
        assertEquals(true, store.list().get(0).getFileName().toString().contains("5"), store.list().toString());
    }

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
}

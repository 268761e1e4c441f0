package io.ringfence.journal;

import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snapshot directory removed under a running writer. */
class SnapshotDirectoryDeletedTest {
    @TempDir
    Path dir;

    private static final byte[] DIGEST = new byte[SnapshotDescriptor.DIGEST_LENGTH];

    /** Operator audit: the snapshot directory deleted under a running server made every later snapshot fail. */
    @Test
    void aSnapshotDirectoryDeletedUnderTheWriterIsCreatedAgain() throws Exception {
        final Path snapshots = dir.resolve("data").resolve("snapshots");
        final SnapshotStore store = new SnapshotStore(snapshots, 2, 1); // a reserve: the free-space check first
        store.write(1_000, DIGEST, 0, ByteBuffer.wrap(new byte[] {1}), null);
        Files.delete(snapshots.resolve(SnapshotDescriptor.fileName(1_000)));
        Files.delete(snapshots);
        final Path written = store.write(2_000, DIGEST, 0, ByteBuffer.wrap(new byte[] {2}), null);
        assertEquals(java.util.List.of(written), store.list());
        assertEquals(2_000, SnapshotStore.read(written).sequence());

        Files.delete(written); // the data directory itself gone: not created again by a snapshot
        Files.delete(snapshots);
        Files.delete(snapshots.getParent());
        final JournalException refused = assertThrows(JournalException.class,
            () -> store.write(3_000, DIGEST, 0, ByteBuffer.wrap(new byte[] {3}), null));
        assertTrue(refused.getMessage().contains("its directory " + snapshots + " is gone and cannot be created"), refused.getMessage());
        assertTrue(Files.notExists(snapshots.getParent()));
    }
}

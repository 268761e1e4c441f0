package io.ringfence.journal;

import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operator audit: on a disk near the journal's reserve a snapshot was deleted "ahead of its pruning, to make room" for a
 * write that then failed anyway for want of room, leaving one snapshot of retain 2 to recover from. Snapshots are deleted
 * for room only when deleting all those the prunes would delete first makes enough.
 */
class SnapshotRoomTest {
    @TempDir
    Path dir;

    private static final byte[] DIGEST = new byte[SnapshotDescriptor.DIGEST_LENGTH];

    @Test
    void noSnapshotIsDeletedForAWriteThatCouldNotBeMadeToFitAnyway() throws Exception {
        final SnapshotStore plenty = new SnapshotStore(dir, 2);
        for (long s = 1; s <= 2; s++) {
            plenty.write(s * 1_000, DIGEST, 0, ByteBuffer.wrap(("state " + s).getBytes(StandardCharsets.UTF_8)), null);
        }
        final long free = Files.getFileStore(dir).getUsableSpace();
        // a reserve that leaves 64 MiB for snapshots: a 512 MiB one cannot fit, whatever the two small ones free
        final SnapshotStore tight = new SnapshotStore(dir, 2, free - (64L << 20));
        final JournalException refused = assertThrows(JournalException.class,
            () -> tight.write(3_000, DIGEST, 0, new UnsafeBuffer(new byte[16]), 512 << 20, null));
        assertTrue(refused.getMessage().contains("snapshot at sequence 3,000 not written"), refused.getMessage());
        assertEquals(2, plenty.list().size(), "both snapshots kept: " + plenty.list());
    }
}

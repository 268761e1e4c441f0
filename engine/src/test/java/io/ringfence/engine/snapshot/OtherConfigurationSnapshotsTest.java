package io.ringfence.engine.snapshot;

import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of the snapshots kept for incident replays: a start under changed settings read every one of the old
 * configuration's snapshots in full (mapped, CRC over the whole file) before passing it over, 9 with the default
 * retention and 30 with hourly ones, of up to 1.95 GB each. Another configuration's snapshot is now passed over by its
 * header: shown here by files damaged past their header, which a full read would have set aside as damaged.
 */
class OtherConfigurationSnapshotsTest {
    @TempDir
    Path dir;

    @Test
    void anotherConfigurationsSnapshotsArePassedOverByTheirHeaderWithoutReadingThemWhole() throws Exception {
        final byte[] before = new byte[SnapshotDescriptor.DIGEST_LENGTH];
        final byte[] now = before.clone();
        now[0] = 1;
        final SnapshotStore store = new SnapshotStore(dir, 10);
        for (final long s : new long[] {100, 200, 300}) {
            final Path file = store.write(s, before, 1, ByteBuffer.wrap(new byte[4_096]), null);
            final byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 1] ^= 1; // past the header: only a whole read sees it
            Files.write(file, bytes);
        }
        final SnapshotLoader.Loaded<?> loaded = SnapshotLoader.load(store, now, 1_000, () -> null, null);
        assertNull(loaded.file(), "none of them is used");
        assertEquals(3, loaded.skipped());
        assertTrue(loaded.damaged().isEmpty(), "not read whole, so not found damaged: " + loaded.damaged());

        final SnapshotLoader.Loaded<?> same = SnapshotLoader.load(store, before, 1_000, () -> null, null);
        assertEquals(3, same.damaged().size(), "this configuration's are read whole and checked: " + same.damaged());
    }
}

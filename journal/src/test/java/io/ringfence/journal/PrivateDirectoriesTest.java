package io.ringfence.journal;

import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security trial: data directories came out 0755 under the usual umask, so any local user could read the journal and
 * snapshots (customers' ids, IP addresses, card references). Those ringfence creates are its owner's only; one that
 * exists is left as it is.
 */
class PrivateDirectoriesTest {
    @TempDir
    Path dir;

    @Test
    void shouldCreateDataDirectoriesForTheirOwnerOnly() throws Exception {
        final Path data = dir.resolve("shops/shop-1");
        PrivateDirectories.create(data);
        assertTrue(Files.isDirectory(data));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.getParent())),
            "a parent it had to make too");
    }

    @Test
    void shouldLeaveAnExistingDirectoryAsItIs() throws Exception {
        final Path data = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateDirectories.create(data);
        PrivateDirectories.warnIfShared(data, "a test's files");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    }

    @Test
    void shouldMakeTheJournalsDirectoryPrivate() throws Exception {
        final Path data = dir.resolve("d");
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(data, "test")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        }
    }

    /** snapshot.dir outside --data (a parent others may enter), deleted under the server and created again. */
    @Test
    void aSnapshotDirectoryCreatedAgainIsOwnerOnlyToo() throws Exception {
        final Path shared = Files.createDirectory(dir.resolve("var-lib"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path snapshots = shared.resolve("ringfence-snapshots");
        final SnapshotStore store = new SnapshotStore(snapshots, 2, 1);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshots)), "created by the store");
        store.write(1_000, new byte[SnapshotDescriptor.DIGEST_LENGTH], 0, ByteBuffer.wrap(new byte[] {1}), null);
        Files.delete(snapshots.resolve(SnapshotDescriptor.fileName(1_000)));
        Files.delete(snapshots);
        store.write(2_000, new byte[SnapshotDescriptor.DIGEST_LENGTH], 0, ByteBuffer.wrap(new byte[] {2}), null);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshots)), "created again");
    }
}

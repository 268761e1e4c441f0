package io.ringfence.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Journal review of 2026-12-06: the periodic sync forced the files modified since its previous pass by the wall clock, so
 * after the clock was stepped back (NTP correcting a clock that ran ahead) every new modification time was "before" the
 * last pass and nothing was forced until the clock caught up. A file whose time moved either way is forced now.
 */
class PeriodicSyncClockTest {
    private static final int BYTES = 1 << 20;
    private static final long LEFT_AFTER_SYNC = 16 * 1024;

    @TempDir
    Path dir;

    @Test
    void aFileWrittenAfterTheClockWentBackIsForcedAtTheNextPass() throws Exception {
        assumeTrue(DirtyPages.measurable(dir), "needs /proc/self/smaps and a disk file system");
        final Path file = dir.resolve("20261206F.cq4");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
             PeriodicSync sync = new PeriodicSync(dir, 3_600_000)) { // its own thread waits an hour: the test runs the passes
            final MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, BYTES);
            DirtyPages.appendsLeftDirty(dir, 64 * 1024, () -> fill(map, 1));
            sync.pass();
            assertTrue(DirtyPages.ofJournal(dir) <= LEFT_AFTER_SYNC, "the first pass forces the new file");

            DirtyPages.appendsLeftDirty(dir, 64 * 1024, () -> fill(map, 2));
            // as the file looks after the clock was stepped back ten minutes: modified before the previous pass
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 600_000));
            final long before = DirtyPages.ofJournal(dir);
            sync.pass();
            final long after = DirtyPages.ofJournal(dir);
            assertTrue(after <= LEFT_AFTER_SYNC, before + " dirty bytes before the pass, " + after + " after");
        }
    }

    private static void fill(final MappedByteBuffer map, final long salt) {
        for (int i = 0; i < BYTES; i += 8) {
            map.putLong(i, i * 0x9E3779B97F4A7C15L + salt);
        }
    }
}

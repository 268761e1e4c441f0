package io.ringfence.journal;

import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a tool says when no snapshot stood for the journal before its target: what the directory holds instead. */
class SnapshotWhyNoneTest {
    @TempDir
    Path dir;

    private void touch(final long sequence, final String suffix) throws IOException {
        Files.writeString(dir.resolve(SnapshotDescriptor.fileName(sequence) + suffix), "x");
    }

    @Test
    void shouldCountSnapshotsPassedOverAfterAndSetAsideBeforeTheTarget() throws IOException {
        touch(50, "");                 // passed over by the loader (it said why)
        touch(80, ".unreadable");      // set aside by a server's start
        touch(90, ".unreadable.2");    // set aside again under the same name
        touch(95, ".damaged");
        touch(500, ".unreadable");     // after the target: of no use whatever its state
        touch(600, "");
        touch(700, ".tmp");            // a write in progress: no snapshot yet
        Files.writeString(dir.resolve("lock"), "x");
        assertEquals("no usable snapshot in " + dir + " up to seq 100: 1 passed over (above), 2 after it,"
            + " 1 set aside as .damaged by a server's start, 2 set aside as .unreadable by a server's start",
            SnapshotStore.whyNoneBefore(dir, 100));
    }

    @Test
    void shouldSayWhenThereIsNothingOrNoDirectory() throws IOException {
        assertEquals("no usable snapshot in " + dir + " up to seq 1,000: none written yet", SnapshotStore.whyNoneBefore(dir, 1_000));
        assertEquals("no snapshot directory " + dir.resolve("none"), SnapshotStore.whyNoneBefore(dir.resolve("none"), 5));
    }
}

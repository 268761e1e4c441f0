package io.ringfence.engine.snapshot;

import io.ringfence.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A start under a new configuration takes the output side's state (what was sent) from the newest snapshot of the
 * journal whatever its configuration, found from the end of its content; one whose section does not read leaves the
 * state of the snapshot already restored (review: it was reset to nothing, client sequences and answers gone).
 */
class OutputSectionRestoreTest {
    private static final long RECORD = 77;

    @TempDir
    Path dir;

    /** An output side whose whole state is one long. */
    private static final class Value implements OutputState {
        long value = -1;

        @Override
        public void writeState(final StateWriter w) {
            w.putLong(value);
        }

        @Override
        public void readState(final StateReader r) {
            value = r.getLong();
        }

        @Override
        public void resetState() {
            value = 0;
        }

        @Override
        public long stateBytesBound() {
            return 8;
        }
    }

    private Path write(final SnapshotStore store, final long sequence, final byte digestByte, final long value,
                       final boolean whole) {
        final Value state = new Value();
        state.value = value;
        final StateWriter w = new StateWriter(256);
        w.putInt(0x12345678).putLong(sequence * 1_000); // a business section of some configuration
        w.putInt(SnapshotAgent.OUTPUT_MARKER).putInt(8);
        state.writeState(w);
        w.putInt(SnapshotAgent.END_MARKER);
        final ByteBuffer content = w.contentCopy();
        content.limit(whole ? w.position() : w.position() - 2).position(0);
        return store.write(sequence, digest(digestByte), RECORD, content, null);
    }

    private static byte[] digest(final byte b) {
        final byte[] d = new byte[io.ringfence.journal.snapshot.SnapshotDescriptor.DIGEST_LENGTH];
        Arrays.fill(d, b);
        return d;
    }

    @Test
    void shouldTakeTheNewestSectionOfThisJournalAndKeepTheRestoredStateWhenItDoesNotRead() {
        final SnapshotStore store = new SnapshotStore(dir, 10);
        final Path restored = write(store, 100, (byte) 1, 11, true);
        write(store, 200, (byte) 2, 22, true);

        final Value state = new Value();
        state.value = 11; // as restored from the snapshot at 100
        final Path used = SnapshotLoader.loadOutputSection(store.list(), 100, 300, s -> RECORD, state, restored);
        assertEquals(200, io.ringfence.journal.snapshot.SnapshotDescriptor.sequenceOf(used.getFileName().toString()));
        assertEquals(22, state.value, "the section of the newest, taken under another configuration");

        final Value other = new Value();
        other.value = 11;
        assertNull(SnapshotLoader.loadOutputSection(store.list(), 100, 300, s -> RECORD + 1, other, restored),
            "a snapshot of another journal is not used");
        assertEquals(11, other.value);

        write(store, 300, (byte) 2, 33, false); // its section cut: does not read
        final Value kept = new Value();
        kept.value = 11;
        final Path fallback = SnapshotLoader.loadOutputSection(store.list(), 250, 300, s -> RECORD, kept, restored);
        assertNull(fallback, "nothing newer than 250 reads");
        assertEquals(11, kept.value, "the restored snapshot's state, not a reset one");
    }
}

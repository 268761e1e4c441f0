package io.ringfence.engine.snapshot;

import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshot memory: raw, touched page by page, copied in chunks, accounted, and never written after it is freed. */
class SnapshotMemoryTest {
    @Test
    void longsAndCopiesAcrossChunksLandWhereSingleWritesWould() {
        final int count = SnapshotMemory.CHUNK / Long.BYTES * 2 + 77; // more than two chunks
        final long[] a = new long[count + 10];
        for (int i = 0; i < a.length; i++) {
            a[i] = i * 0x9e3779b97f4a7c15L;
        }
        final SnapshotMemory m = SnapshotMemory.allocate(count * Long.BYTES + 16);
        final SnapshotMemory copy = SnapshotMemory.allocate(count * Long.BYTES + 16);
        try {
            m.buffer().putLong(0, -1L, ByteOrder.LITTLE_ENDIAN);
            m.putLongs(8, a, 5, count);
            assertEquals(-1L, m.buffer().getLong(0, ByteOrder.LITTLE_ENDIAN), "nothing before the target written");
            for (int i = 0; i < count; i++) {
                assertEquals(a[5 + i], m.buffer().getLong(8 + i * Long.BYTES, ByteOrder.LITTLE_ENDIAN), "long " + i);
            }
            m.copyTo(copy, 8 + count * Long.BYTES);
            for (int i = 0; i < count; i++) {
                assertEquals(a[5 + i], copy.buffer().getLong(8 + i * Long.BYTES, ByteOrder.LITTLE_ENDIAN), "copied long " + i);
            }
            assertThrows(IndexOutOfBoundsException.class, () -> m.putLongs(17, a, 0, count), "one byte past the end: refused, not written");
        } finally {
            m.free();
            copy.free();
        }
    }

    @Test
    void heldMemoryIsAccountedAndALimitRefusesWithoutAllocating() {
        final long before = SnapshotMemory.held();
        final SnapshotMemory m = SnapshotMemory.allocate(3 << 20, Long.MAX_VALUE);
        assertEquals(before + (3 << 20), SnapshotMemory.held());
        final OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> SnapshotMemory.allocate(1 << 20, before + (3 << 20)));
        assertTrue(e.getMessage().contains("cannot reserve 1,048,576 bytes of snapshot memory"), e.getMessage());
        assertEquals(before + (3 << 20), SnapshotMemory.held(), "a refused allocation holds nothing");
        m.free();
        m.free();
        assertEquals(before, SnapshotMemory.held(), "freed once, however often asked");
    }

    @Test
    void aWriterGrowsPastItsCapacityKeepingWhatItHeldAndFailsCleanlyAfterItIsFreed() {
        final StateWriter w = new StateWriter(64);
        for (int i = 0; i < 1_000; i++) {
            w.putInt(i).putLong(-i);
        }
        assertTrue(w.capacity() >= 12_000, "grew: " + w.capacity());
        for (int i = 0; i < 1_000; i++) {
            assertEquals(i, w.buffer().getInt(i * 12, ByteOrder.LITTLE_ENDIAN));
            assertEquals(-i, w.buffer().getLong(i * 12 + 4, ByteOrder.LITTLE_ENDIAN));
        }
        final IllegalStateException tooLarge = assertThrows(IllegalStateException.class,
                () -> w.putBytes(new byte[16], 0, 16).putLongs(new long[1], 0, (Integer.MAX_VALUE - 8) / 8 + 1));
        assertTrue(tooLarge.getMessage().contains("beyond the format's limit"), tooLarge.getMessage());
        w.free();
        assertEquals(0, w.capacity());
        final IllegalStateException after = assertThrows(IllegalStateException.class, () -> w.putLong(1));
        assertTrue(after.getMessage().contains("after its snapshot agent was closed"), after.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> w.putIntAt(0, 1), "an overwrite too: no freed memory is touched");
    }
}

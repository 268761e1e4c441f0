package io.ringfence.engine.snapshot;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Appends state to an off-heap, growing buffer ({@link SnapshotMemory}, little-endian) for a
 * snapshot. The buffer is reused from one snapshot to the next, so once it has grown to the
 * state's size taking a snapshot allocates nothing. The snapshot thread can swap in a larger
 * buffer while this writer is free ({@link #replaceMemory}), so the business thread does not have
 * to grow it.
 */
public final class StateWriter {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** The format's limit: a snapshot's content is one buffer indexed by int. */
    static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private SnapshotMemory memory;
    private UnsafeBuffer buffer;
    private int position;
    /** How long the business thread took to write this state (the snapshot agent's log line). */
    long businessNanos;
    /** The capacity before the business thread grew this buffer while writing, or -1 (the snapshot agent's warning). */
    int grewFrom = -1;
    /** The sequence the policy's snapshot fell due at, or -1 for a requested one (the snapshot agent's log line). */
    long dueAt = -1;

    public StateWriter(final int initialCapacity) {
        use(SnapshotMemory.allocate(initialCapacity));
    }

    private void use(final SnapshotMemory m) {
        memory = m;
        buffer = m.buffer();
    }

    /** What has been written, from index 0 to {@link #position()}. */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    /** Bytes the buffer holds without growing. */
    public int capacity() {
        final SnapshotMemory m = memory; // read once: a metrics thread may ask after the agent closed
        return m == null ? 0 : m.capacity();
    }

    /**
     * Swaps in {@code larger} (already allocated, so touched) and returns the old memory for the
     * caller to free. Only by the thread that owns this writer while it is free (not being written).
     */
    SnapshotMemory replaceMemory(final SnapshotMemory larger) {
        final SnapshotMemory old = memory;
        use(larger);
        position = 0;
        return old;
    }

    /** Gives the memory back (a writer no longer used); a later write fails with an exception, never touches freed memory. */
    void free() {
        if (memory != null) {
            memory.free();
            memory = null;
            buffer = new UnsafeBuffer(new byte[0]);
        }
    }

    /** Bytes {@code 0..position} of the content, copied into a fresh direct buffer (tests, tools; never the hot path). */
    public ByteBuffer contentCopy() {
        final ByteBuffer copy = ByteBuffer.allocateDirect(position).order(ORDER);
        buffer.getBytes(0, copy, 0, position);
        return copy;
    }

    public int position() {
        return position;
    }

    public void reset() {
        position = 0;
    }

    /**
     * Room for {@code bytes} more: grows here (the business thread, when the snapshot agent could not grow it
     * ahead) to 1.5x, or what is needed, within the format's limit.
     */
    private void ensure(final long bytes) {
        if (memory == null) {
            throw new IllegalStateException("snapshot writer used after its snapshot agent was closed");
        }
        final long needed = position + bytes;
        if (needed <= memory.capacity()) {
            return;
        }
        if (needed > MAX_CAPACITY) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "snapshot content of more than %,d bytes is beyond the format's limit of %,d", needed, MAX_CAPACITY));
        }
        final int size = (int) Math.min(MAX_CAPACITY, Math.max(needed, memory.capacity() + (long) memory.capacity() / 2));
        final SnapshotMemory larger = SnapshotMemory.allocate(size);
        memory.copyTo(larger, position);
        memory.free();
        use(larger);
    }

    /** Overwrites an int written earlier (a length known only afterwards). */
    public void putIntAt(final int at, final int v) {
        buffer.putInt(at, v, ORDER);
    }

    public StateWriter putLong(final long v) {
        ensure(Long.BYTES);
        buffer.putLong(position, v, ORDER);
        position += Long.BYTES;
        return this;
    }

    public StateWriter putInt(final int v) {
        ensure(Integer.BYTES);
        buffer.putInt(position, v, ORDER);
        position += Integer.BYTES;
        return this;
    }

    public StateWriter putByte(final byte v) {
        ensure(1);
        buffer.putByte(position, v);
        position += 1;
        return this;
    }

    public StateWriter putDouble(final double v) {
        return putLong(Double.doubleToRawLongBits(v));
    }

    public StateWriter putBoolean(final boolean v) {
        return putByte(v ? (byte) 1 : 0);
    }

    /** {@code count} longs of {@code a} from {@code from}: bulk copies (memcpy on little-endian hardware), a MiB at a time. */
    public StateWriter putLongs(final long[] a, final int from, final int count) {
        final long bytes = (long) count * Long.BYTES;
        ensure(bytes);
        memory.putLongs(position, a, from, count);
        position += (int) bytes;
        return this;
    }

    public StateWriter putInts(final int[] a, final int from, final int count) {
        ensure((long) count * Integer.BYTES);
        int at = position;
        for (int i = from; i < from + count; i++) {
            buffer.putInt(at, a[i], ORDER);
            at += Integer.BYTES;
        }
        position = at;
        return this;
    }

    public StateWriter putBytes(final byte[] a, final int from, final int count) {
        ensure(count);
        for (long done = 0; done < count; done += SnapshotMemory.CHUNK) { // chunks: a safepoint may come between them
            final int n = (int) Math.min(SnapshotMemory.CHUNK, count - done);
            buffer.putBytes(position + (int) done, a, from + (int) done, n);
        }
        position += count;
        return this;
    }

    public StateWriter putBytes(final DirectBuffer src, final int from, final int count) {
        ensure(count);
        for (long done = 0; done < count; done += SnapshotMemory.CHUNK) {
            final int n = (int) Math.min(SnapshotMemory.CHUNK, count - done);
            buffer.putBytes(position + (int) done, src, from + (int) done, n);
        }
        position += count;
        return this;
    }

    /** A text (UTF-8) with its length in front. */
    public StateWriter putText(final String s) {
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putInt(b.length);
        return putBytes(b, 0, b.length);
    }
}

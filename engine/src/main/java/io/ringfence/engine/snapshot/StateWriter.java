package io.ringfence.engine.snapshot;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Appends state to an off-heap, growing buffer (Agrona, little-endian) for a snapshot. The buffer
 * is reused from one snapshot to the next, so once it has grown to the state's size taking a
 * snapshot allocates nothing. The snapshot thread can swap in a larger buffer while this writer
 * is free ({@link #replaceBuffer}), so the business thread does not have to grow it.
 */
public final class StateWriter {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private ExpandableDirectByteBuffer buffer;
    private int position;
    /** How long the business thread took to write this state (the snapshot agent's log line). */
    long businessNanos;
    /** The capacity before the business thread grew this buffer while writing, or -1 (the snapshot agent's warning). */
    int grewFrom = -1;

    public StateWriter(final int initialCapacity) {
        buffer = new ExpandableDirectByteBuffer(initialCapacity);
    }

    public ExpandableDirectByteBuffer buffer() {
        return buffer;
    }

    /** Bytes the buffer holds without growing. */
    public int capacity() {
        return buffer.capacity();
    }

    /**
     * Swaps in {@code larger} (already allocated, so touched) and returns the old buffer for the
     * caller to free. Only by the thread that owns this writer while it is free (not being written).
     */
    ExpandableDirectByteBuffer replaceBuffer(final ExpandableDirectByteBuffer larger) {
        final ExpandableDirectByteBuffer old = buffer;
        buffer = larger;
        position = 0;
        return old;
    }

    public int position() {
        return position;
    }

    public void reset() {
        position = 0;
    }

    /** Overwrites an int written earlier (a length known only afterwards). */
    public void putIntAt(final int at, final int v) {
        buffer.putInt(at, v, ORDER);
    }

    public StateWriter putLong(final long v) {
        buffer.putLong(position, v, ORDER);
        position += Long.BYTES;
        return this;
    }

    public StateWriter putInt(final int v) {
        buffer.putInt(position, v, ORDER);
        position += Integer.BYTES;
        return this;
    }

    public StateWriter putByte(final byte v) {
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

    /** {@code count} longs of {@code a} from {@code from}: one bulk copy (a memcpy on little-endian hardware). */
    public StateWriter putLongs(final long[] a, final int from, final int count) {
        final int bytes = count * Long.BYTES;
        buffer.checkLimit(position + bytes);
        final ByteBuffer view = buffer.byteBuffer().duplicate().order(ORDER);
        view.limit(position + bytes).position(position);
        view.asLongBuffer().put(a, from, count);
        position += bytes;
        return this;
    }

    public StateWriter putInts(final int[] a, final int from, final int count) {
        buffer.checkLimit(position + count * Integer.BYTES);
        int at = position;
        for (int i = from; i < from + count; i++) {
            buffer.putInt(at, a[i], ORDER);
            at += Integer.BYTES;
        }
        position = at;
        return this;
    }

    public StateWriter putBytes(final byte[] a, final int from, final int count) {
        buffer.putBytes(position, a, from, count);
        position += count;
        return this;
    }

    public StateWriter putBytes(final DirectBuffer src, final int from, final int count) {
        buffer.putBytes(position, src, from, count);
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

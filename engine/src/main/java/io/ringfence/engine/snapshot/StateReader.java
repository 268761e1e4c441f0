package io.ringfence.engine.snapshot;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads back what a {@link StateWriter} wrote, checking every read against the end of the
 * content, so a snapshot that does not match what this version expects fails with a
 * {@link SnapshotFormatException} saying where, never with garbage state.
 */
public final class StateReader {
    private final ByteBuffer bytes;
    private final DirectBuffer buffer;
    private final int limit;
    private int position;

    /** Reads {@code content} from its position to its limit. */
    public StateReader(final ByteBuffer content) {
        this.bytes = content.slice().order(StateWriter.ORDER);
        this.buffer = new UnsafeBuffer(bytes);
        this.limit = bytes.remaining();
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return limit - position;
    }

    private int take(final int bytes, final String what) {
        if (bytes < 0 || position + (long) bytes > limit) {
            throw new SnapshotFormatException("reading " + what + " at content offset " + position + ": needs " + bytes
                    + " bytes, " + (limit - position) + " left");
        }
        final int at = position;
        position += bytes;
        return at;
    }

    public void skip(final int bytes) {
        take(bytes, bytes + " bytes to skip");
    }

    public long getLong() {
        return buffer.getLong(take(Long.BYTES, "a long"), StateWriter.ORDER);
    }

    public int getInt() {
        return buffer.getInt(take(Integer.BYTES, "an int"), StateWriter.ORDER);
    }

    public byte getByte() {
        return buffer.getByte(take(1, "a byte"));
    }

    public double getDouble() {
        return Double.longBitsToDouble(getLong());
    }

    public boolean getBoolean() {
        return getByte() != 0;
    }

    /** An int in {@code [min, max]}, else a format error naming {@code what}. */
    public int getInt(final String what, final int min, final int max) {
        final int v = getInt();
        if (v < min || v > max) {
            throw new SnapshotFormatException(what + " is " + v + ", outside " + min + ".." + max
                    + " (at content offset " + (position - Integer.BYTES) + ")");
        }
        return v;
    }

    public void getLongs(final long[] a, final int from, final int count) {
        final int at = take(count * Long.BYTES, count + " longs");
        final ByteBuffer view = bytes.duplicate().order(StateWriter.ORDER);
        view.limit(at + count * Long.BYTES).position(at);
        view.asLongBuffer().get(a, from, count);
    }

    public void getInts(final int[] a, final int from, final int count) {
        int at = take(count * Integer.BYTES, count + " ints");
        for (int i = from; i < from + count; i++) {
            a[i] = buffer.getInt(at, StateWriter.ORDER);
            at += Integer.BYTES;
        }
    }

    public void getBytes(final byte[] a, final int from, final int count) {
        buffer.getBytes(take(count, count + " bytes"), a, from, count);
    }

    public void getBytes(final MutableDirectBuffer dst, final int at, final int count) {
        buffer.getBytes(take(count, count + " bytes"), dst, at, count);
    }

    public String getText() {
        final int n = getInt("text length", 0, 1 << 20);
        final byte[] b = new byte[n];
        getBytes(b, 0, n);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Expects {@code expected} next (a section marker), else a format error naming the section. */
    public void expect(final int expected, final String section) {
        final int v = getInt();
        if (v != expected) {
            throw new SnapshotFormatException(String.format("expected the %s section (marker 0x%08x) at content offset %d, found 0x%08x",
                    section, expected, position - Integer.BYTES, v));
        }
    }
}

package io.ringfence.gateway.frame;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * A connection's receive buffer: a direct {@link ByteBuffer} the socket reads into, viewed as an
 * {@link UnsafeBuffer} the {@link FrameDecoder} reads frames from in place. Undecoded bytes are
 * {@code [start(), end())}; a partial frame left at the end of a read is moved to the front
 * before the next read, so a frame is always contiguous.
 */
public final class ReceiveBuffer {
    private final ByteBuffer byteBuffer;
    private final UnsafeBuffer buffer;
    private int start;
    private int end;

    /** @param capacity at least the maximum frame length, so any valid frame fits whole */
    public ReceiveBuffer(final int capacity) {
        this.byteBuffer = ByteBuffer.allocateDirect(capacity);
        this.buffer = new UnsafeBuffer(byteBuffer);
    }

    public UnsafeBuffer buffer() {
        return buffer;
    }

    public int capacity() {
        return buffer.capacity();
    }

    /** Offset of the first undecoded byte. */
    public int start() {
        return start;
    }

    /** Offset just past the last received byte. */
    public int end() {
        return end;
    }

    /** Undecoded bytes held. */
    public int remaining() {
        return end - start;
    }

    /** Marks {@code length} bytes from {@link #start()} as decoded. */
    public void consume(final int length) {
        start += length;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    /** Drops everything held (the connection is being closed or resynchronised). */
    public void clear() {
        start = 0;
        end = 0;
    }

    /**
     * Reads what the channel has into the free space, after moving a held partial frame to the front.
     *
     * @return bytes read, 0 when nothing was available or the buffer is full, -1 at end of stream
     */
    public int readFrom(final ReadableByteChannel channel) throws IOException {
        compact();
        if (end == byteBuffer.capacity()) {
            return 0;
        }
        byteBuffer.limit(byteBuffer.capacity()).position(end);
        final int read = channel.read(byteBuffer);
        if (read > 0) {
            end += read;
        }
        return read;
    }

    /**
     * Appends bytes as if they had been received (for tests and fuzzing of the reassembly path).
     *
     * @return how many bytes fitted
     */
    public int append(final DirectBuffer source, final int offset, final int length) {
        compact();
        final int copied = Math.min(length, buffer.capacity() - end);
        buffer.putBytes(end, source, offset, copied);
        end += copied;
        return copied;
    }

    private void compact() {
        if (start > 0) {
            byteBuffer.limit(end).position(start);
            byteBuffer.compact();
            end -= start;
            start = 0;
        }
    }
}

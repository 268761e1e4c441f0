package io.ringfence.engine.output;

import io.ringfence.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The outputs one input event caused (decisions, pushes, window results), as SBE messages
 * (each with its message header) one after another, each preceded by a 4-byte length.
 *
 * <p>One instance lives in each ring slot and is reused: the business stage writes it, the
 * dispatch stage reads it once the event is also journaled. It grows when an event produces
 * more output than ever before and never shrinks, so steady state allocates nothing.
 *
 * <pre>
 *   0        4                 4+len0   8+len0
 *   +--------+-----------------+--------+---------------- ...
 *   | len0   | message 0 (SBE) | len1   | message 1 (SBE)
 *   +--------+-----------------+--------+---------------- ...
 * </pre>
 *
 * Writing: {@code int at = begin(); encoder.wrapAndApplyHeader(buffer(), at, header); commit(at,
 * MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());}
 */
public final class OutputBuffer {
    private static final int LENGTH_PREFIX = 4;

    private final ExpandableArrayBuffer buffer;
    private int limit;
    private int count;
    private int pending = -1;

    public OutputBuffer(final int initialCapacity) {
        this.buffer = new ExpandableArrayBuffer(initialCapacity);
    }

    /** Buffer to encode into, at the offset returned by {@link #begin()}. */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    /** Reserves a length prefix and returns the offset at which to encode the next message. */
    public int begin() {
        if (pending >= 0) {
            throw new IllegalStateException("begin() called twice without commit()");
        }
        pending = limit;
        buffer.checkLimit(limit + LENGTH_PREFIX + MessageHeaderEncoder.ENCODED_LENGTH);
        return limit + LENGTH_PREFIX;
    }

    /** Completes the message begun at {@code offset} with its encoded length (header included). */
    public void commit(final int offset, final int length) {
        if (pending < 0 || offset != pending + LENGTH_PREFIX) {
            throw new IllegalStateException("commit() without matching begin()");
        }
        buffer.putInt(pending, length);
        limit = offset + length;
        count++;
        pending = -1;
    }

    /** Drops everything written so far (the slot is being reused). */
    public void reset() {
        limit = 0;
        count = 0;
        pending = -1;
    }

    public int count() {
        return count;
    }

    /** Bytes used, length prefixes included. */
    public int length() {
        return limit;
    }

    /** Hands each message, in the order written, to the handler. */
    public void forEach(final OutputHandler handler) {
        int offset = 0;
        while (offset < limit) {
            final int length = buffer.getInt(offset);
            handler.onOutput(buffer, offset + LENGTH_PREFIX, length);
            offset += LENGTH_PREFIX + length;
        }
    }

    /** Receives one output message (SBE header + body). */
    @FunctionalInterface
    public interface OutputHandler {
        void onOutput(DirectBuffer buffer, int offset, int length);
    }
}

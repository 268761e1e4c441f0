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
 * dispatch stage reads it once the event is also journaled. When the slot's own small buffer
 * runs short, the outputs move to a large buffer borrowed from the {@link OutputSpillPool} until
 * the dispatch stage has forwarded them, so slots stay small and steady state allocates nothing.
 * The first message of an event always goes into the slot's own buffer (which grows, once, if a
 * single message is larger than it).
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

    /** Free space a message is assumed to need; below it the outputs move to a spill buffer. */
    static final int HEADROOM = 512;

    private final ExpandableArrayBuffer own;
    private final OutputSpillPool pool;
    private ExpandableArrayBuffer buffer;
    private int limit;
    private int count;
    private int pending = -1;

    /** A buffer that grows in place (tests, single-threaded tools). */
    public OutputBuffer(final int initialCapacity) {
        this(initialCapacity, null);
    }

    /** A ring slot's buffer that spills into {@code pool} (owned by the business thread) when short of room. */
    public OutputBuffer(final int initialCapacity, final OutputSpillPool pool) {
        this.own = new ExpandableArrayBuffer(initialCapacity);
        this.pool = pool;
        this.buffer = own;
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
        if (buffer == own && pool != null && limit > 0 && limit + LENGTH_PREFIX + HEADROOM > own.capacity()) {
            spill();
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

    private void spill() {
        final ExpandableArrayBuffer spill = pool.borrow();
        spill.putBytes(0, own, 0, limit);
        buffer = spill;
    }

    /**
     * The outputs have been forwarded (dispatch thread): gives a borrowed spill buffer back at once
     * rather than when the ring comes round to this slot again. The slot reads as empty after it.
     */
    public void release() {
        if (buffer != own) {
            final ExpandableArrayBuffer spilled = buffer;
            buffer = own;
            limit = 0;
            count = 0;
            pool.giveBack(spilled);
        }
    }

    /** Drops everything written so far (the slot is being reused) and gives back a borrowed spill buffer. */
    public void reset() {
        if (buffer != own) {
            pool.giveBack(buffer);
            buffer = own;
        }
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

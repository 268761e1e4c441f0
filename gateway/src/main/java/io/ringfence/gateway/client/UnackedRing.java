package io.ringfence.gateway.client;

import io.ringfence.gateway.frame.FrameDecoder;
import io.ringfence.gateway.frame.MessageFingerprint;
import io.ringfence.gateway.frame.SofhHeader;
import io.ringfence.sbe.MessageHeaderEncoder;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/**
 * The client's store of business messages that are not acknowledged yet, sent or still queued:
 * one preallocated direct buffer holding whole SOFH frames exactly as they go on the wire, back
 * to back, so a run of them leaves in one socket write and a resend is a rewind.
 *
 * <pre>
 *   positions are byte counts since the start (never wrap); index = position &amp; (capacity - 1)
 *
 *        tail                      sendPosition                       head
 *         │ written, not yet acked    │ queued, not yet written         │ free ...
 *   ──────┼───────────────────────────┼─────────────────────────────────┼─────────
 *         ▲ release(ackedSeq)         ▲ writeTo(channel)                ▲ append (producers)
 *         └─────── rewind() after a reconnect: sendPosition = tail ─────┘
 *
 *   one frame:  ┌ SOFH: length (u32 BE) │ 0xEB50 ┐┌ SBE header (8) ┐┌ clientSeq (i64 LE) │ rest of body ┐
 * </pre>
 *
 * <p>A frame never straddles the end of the buffer: when it does not fit, the rest of the lap is
 * padding, marked by a zero length field when at least four bytes remain, and implied when fewer
 * than {@link FrameDecoder#MIN_FRAME_LENGTH} bytes remain (a real frame is at least that long).
 *
 * <p>Threads: {@link #append} is called by one producer at a time (the client serialises senders
 * on a lock); {@link #release}, {@link #rewind}, {@link #writeTo} and the other I/O methods only by
 * the client's I/O thread. {@code head} and {@code tail} are the only positions both read, each
 * written by one side. Nothing allocates after construction.
 */
final class UnackedRing {
    /** {@link #append} result: no room until acknowledgements free some. */
    static final long BACK_PRESSURED = -1;

    static final int CLIENT_SEQ_OFFSET = SofhHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int PADDING = 0;
    private static final int MARKER_BYTES = 4;
    /** Longest run of frames handed to one socket write. */
    private static final int MAX_CHUNK = 256 * 1024;

    private final int capacity;
    private final int mask;
    private final UnsafeBuffer buffer;
    private final ByteBuffer writeView;

    private volatile long head;
    private volatile long tail;
    private volatile long lastAssignedSeq;
    private volatile long ackedSeq;
    private long sendPosition;
    private long chunkEnd;
    /** Frames let go unwritten because their answer came first ({@link #releaseAcknowledged}): resends that did not happen. */
    private volatile long answeredUnwritten;
    /** Most bytes held at once: the capacity, or less once the server said how much it holds for this client. */
    private volatile int limit;

    UnackedRing(final int capacity) {
        if (!BitUtil.isPowerOfTwo(capacity)) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a power of two");
        }
        this.capacity = capacity;
        this.limit = capacity;
        this.mask = capacity - 1;
        final ByteBuffer bytes = ByteBuffer.allocateDirect(capacity);
        this.buffer = new UnsafeBuffer(bytes);
        this.writeView = bytes.duplicate();
    }

    int capacity() {
        return capacity;
    }

    /**
     * Holds at most {@code bytes} (up to the capacity) from now on: what is held beyond it already stays, and appends wait
     * until acknowledgements bring it under. Any thread.
     */
    void limit(final int bytes) {
        limit = Math.min(capacity, bytes);
    }

    int limit() {
        return limit;
    }

    // ---------------------------------------------------------------- producer side

    /**
     * Copies an SBE message (its 8-byte header included) in as a frame, with the next client
     * sequence written into its first body field.
     *
     * @return the client sequence assigned, or {@link #BACK_PRESSURED} when there is no room
     */
    long append(final DirectBuffer message, final int offset, final int length) {
        final int frameLength = SofhHeader.LENGTH + length;
        final long position = head;
        final int index = (int) position & mask;
        final int toEnd = capacity - index;
        final int padding = frameLength > toEnd ? toEnd : 0;
        if (position + padding + frameLength - tail > limit) {
            return BACK_PRESSURED;
        }
        int at = index;
        if (padding > 0) {
            if (padding >= MARKER_BYTES) {
                buffer.putInt(index, PADDING);
            }
            at = 0;
        }
        SofhHeader.put(buffer, at, frameLength);
        buffer.putBytes(at + SofhHeader.LENGTH, message, offset, length);
        final long seq = lastAssignedSeq + 1;
        buffer.putLong(at + CLIENT_SEQ_OFFSET, seq, ByteOrder.LITTLE_ENDIAN);
        lastAssignedSeq = seq;
        head = position + padding + frameLength;
        return seq;
    }

    /** The highest client sequence assigned so far (0 before the first). */
    long lastAssignedSeq() {
        return lastAssignedSeq;
    }

    /** The highest client sequence acknowledged so far. */
    long ackedSeq() {
        return ackedSeq;
    }

    /** Bytes held (kept and queued frames plus padding). */
    long usedBytes() {
        return head - tail;
    }

    // ---------------------------------------------------------------- I/O thread side

    /**
     * Starts numbering after what the server has already journaled for this client id. Only for
     * an empty ring, before the first append (the first logon).
     */
    void startAfter(final long journaledSeq) {
        if (head != tail || lastAssignedSeq != 0) {
            throw new IllegalStateException("startAfter on a ring in use");
        }
        lastAssignedSeq = journaledSeq;
        ackedSeq = journaledSeq;
    }

    /**
     * Drops the frames with a client sequence up to {@code seq} that lie wholly before {@code limit}.
     *
     * @return how many frames were dropped
     */
    int release(final long seq, final long limit) {
        long position = tail;
        int released = 0;
        while (position < limit) {
            final long start = skipPadding(position);
            if (start >= limit) {
                break;
            }
            final int index = (int) start & mask;
            final int frameLength = SofhHeader.messageLength(buffer, index);
            if (start + frameLength > limit || seqAt(index) > seq) {
                break;
            }
            position = start + frameLength;
            released++;
        }
        if (position != tail) {
            tail = position;
        }
        if (seq > ackedSeq && seq <= lastAssignedSeq) {
            ackedSeq = seq;
        }
        return released;
    }

    /** Client sequence of the oldest kept frame already written, or -1 when there is none. */
    long oldestWrittenSeq() {
        final long start = skipPadding(tail);
        if (start >= sendPosition) {
            return -1;
        }
        return seqAt((int) start & mask);
    }

    /** Drops every frame the server has acknowledged, whether written on this connection or not (LogonAck). */
    int releaseAll(final long seq) {
        return release(seq, head);
    }

    /** Makes the next write start again at the oldest kept frame (after a reconnect). */
    void rewind() {
        sendPosition = tail;
        chunkEnd = tail;
    }

    /** Where the next write starts. */
    long sendPosition() {
        return sendPosition;
    }

    /** Whether the last write ended on a frame boundary, so another frame may be written in between. */
    boolean atFrameBoundary() {
        return sendPosition == chunkEnd;
    }

    /** Whether frames are queued that are not written yet. */
    boolean hasUnsent() {
        return sendPosition < head;
    }

    /** The client sequence of the oldest kept frame, or {@code lastAssignedSeq + 1} when none is kept. */
    long firstKeptSeq() {
        final long position = tail;
        if (position >= head) {
            return lastAssignedSeq + 1;
        }
        return seqAt((int) skipPadding(position) & mask);
    }

    /**
     * The {@link MessageFingerprint} of the kept frame with client sequence {@code seq}, or 0 when none is kept (a walk
     * over the kept frames: for a logon, not per message). I/O thread.
     */
    long fingerprintOf(final long seq) {
        final long limit = head;
        for (long p = skipPadding(tail); p < limit; p = skipPadding(p + SofhHeader.messageLength(buffer, (int) p & mask))) {
            final int index = (int) p & mask;
            final long frameSeq = seqAt(index);
            if (frameSeq >= seq) {
                return frameSeq != seq ? 0
                    : MessageFingerprint.of(buffer, index + SofhHeader.LENGTH, SofhHeader.messageLength(buffer, index) - SofhHeader.LENGTH);
            }
        }
        return 0;
    }

    /** Frames in {@code [from, to)}, both frame boundaries or padding starts. */
    int countFrames(final long from, final long to) {
        int frames = 0;
        long position = from;
        while (position < to) {
            final long start = skipPadding(position);
            if (start >= to) {
                break;
            }
            position = start + SofhHeader.messageLength(buffer, (int) start & mask);
            frames++;
        }
        return frames;
    }

    /**
     * Writes as much of the queued frames as the channel takes, one contiguous run per call.
     *
     * @return bytes written (0 when nothing is queued or the channel is full)
     */
    int writeTo(final WritableByteChannel channel) throws IOException {
        if (sendPosition == chunkEnd) {
            releaseAcknowledged();
            if (!nextChunk()) {
                return 0;
            }
        }
        final int from = (int) sendPosition & mask;
        writeView.limit(from + (int) (chunkEnd - sendPosition)).position(from);
        final int written = channel.write(writeView);
        sendPosition += written;
        return written;
    }

    /**
     * Lets go of frames acknowledged while they were not (yet) written on this connection: after a reconnect, the answers
     * to what the previous connection sent arrive on the new one while its rewound frames wait to be written again, and
     * {@link #release} keeps frames at or after the write position. Without this (client review of 2026-12-06) those frames
     * stayed held for good: their resends' answers are repeats that release nothing, so a full store back-pressured every
     * send while {@link #ackedSeq} said all was answered. Frames are let go oldest first only, the store staying one run.
     */
    private void releaseAcknowledged() {
        final long acked = ackedSeq;
        release(acked, sendPosition); // those written since their answer came
        if (tail != sendPosition) {
            return; // an unanswered written frame is held before the write position: nothing after it can go yet
        }
        final long limit = head;
        long position = sendPosition;
        while (position < limit) {
            final long start = skipPadding(position);
            if (start >= limit) {
                break;
            }
            final int index = (int) start & mask;
            if (seqAt(index) > acked) {
                break;
            }
            position = start + SofhHeader.messageLength(buffer, index);
        }
        if (position != sendPosition) {
            answeredUnwritten += countFrames(sendPosition, position);
            sendPosition = position; // answered: not written again
            chunkEnd = position;
            tail = position;
        }
    }

    /** Frames let go without being written again because their answer came first (after a reconnect). Any thread. */
    long answeredUnwritten() {
        return answeredUnwritten;
    }

    /** Where the oldest kept frame starts: it moves on as frames are let go. */
    long tailPosition() {
        return tail;
    }

    /** Finds the next run of whole frames that is contiguous in the buffer; false when none is queued. */
    private boolean nextChunk() {
        final long limit = head;
        if (sendPosition >= limit) {
            return false;
        }
        final long start = skipPadding(sendPosition);
        long end = start;
        int index = (int) start & mask;
        while (end < limit && end - start < MAX_CHUNK) {
            if (capacity - index < FrameDecoder.MIN_FRAME_LENGTH || buffer.getInt(index) == PADDING) {
                break;
            }
            final int frameLength = SofhHeader.messageLength(buffer, index);
            end += frameLength;
            index += frameLength;
            if (index == capacity) {
                break;
            }
        }
        sendPosition = start;
        chunkEnd = end;
        return end > start;
    }

    private long skipPadding(final long position) {
        final int index = (int) position & mask;
        final int toEnd = capacity - index;
        if (toEnd < FrameDecoder.MIN_FRAME_LENGTH || buffer.getInt(index) == PADDING) {
            return position + toEnd;
        }
        return position;
    }

    private long seqAt(final int index) {
        return buffer.getLong(index + CLIENT_SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }
}

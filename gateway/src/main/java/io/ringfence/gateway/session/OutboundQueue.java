package io.ringfence.gateway.session;

import io.ringfence.gateway.StageLatencies;
import io.ringfence.gateway.frame.FrameEncoder;
import io.ringfence.gateway.frame.SofhHeader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * One session's bounded outbound buffer: whole SOFH frames in an Agrona
 * {@link ManyToOneRingBuffer}, drained by the gateway I/O thread into the socket.
 *
 * <p>Why many-to-one: both the engine's dispatch thread ({@link #offer}) and the I/O thread
 * itself (LogonAck, Heartbeat, Reject, via {@link #claim}) write to a session. One ring keeps
 * everything sent to a session in one order, lets any number of threads offer safely (a test,
 * an admin thread, a second dispatch thread later), and costs one CAS per message; a
 * one-to-one ring plus an I/O-thread-local reply queue would save the CAS but need a merge rule
 * between two queues for every write.
 *
 * <p>Producers never block: a full ring marks the queue {@linkplain #overflowed() overflowed}
 * and wakes the I/O thread, which disconnects the session as a slow consumer. Draining copies
 * frames from the ring into a direct staging buffer and writes that with one {@code write} call
 * per drain (ring records are interleaved with 8-byte record headers and may wrap, so a
 * gathering write would need one buffer view per record; one memcpy is cheaper); a partial
 * write keeps the rest staged and the caller registers {@code OP_WRITE} interest.
 *
 * <p>Stage times: an answer offered with {@link #offerTimed} carries the engine's stage times in
 * a 40-byte prefix of its ring record (never sent); staging keeps them aside and, once the socket
 * write of the staged bytes returns, records them with that moment in {@link StageLatencies}.
 */
public final class OutboundQueue {
    /** {@link #offer} result: queued. */
    public static final int QUEUED = 0;
    /** {@link #offer} result: the ring is full; the queue is now overflowed. */
    public static final int FULL = -1;
    /** {@link #offer} result: the framed message would exceed the maximum frame length. */
    public static final int TOO_LARGE = -2;

    /**
     * What {@link #offerKeepingRoom} leaves free after the push, its padding to the ring's end included: a CatchUp (72
     * bytes in the ring, and its own padding) and a few heartbeats.
     */
    public static final int ROOM_KEPT = 1024;

    private static final int FRAME_MSG_TYPE = 1;
    /** A frame after five longs of stage times: received, journal start, journaled, decided, queued (System.nanoTime). */
    private static final int TIMED_FRAME_MSG_TYPE = 2;
    private static final int STAMPS = 5;
    private static final int STAMPS_LENGTH = STAMPS * Long.BYTES;
    /** Timed frames one staging can hold (64 KiB of the smallest answers, with room). */
    private static final int MAX_PENDING_STAMPS = 4096;

    private final RingBuffer ring;
    private final UnsafeBuffer ringBuffer;
    private final int maxFrameLength;
    private final Runnable wakeUp;
    private final ByteBuffer staging;
    private final UnsafeBuffer stagingBuffer;
    private final ControlledMessageHandler stager = this::stage;
    private final ControlledMessageHandler discarder = (type, buffer, index, length) -> ControlledMessageHandler.Action.CONTINUE;
    private volatile boolean overflowed;
    private int stagedStart;
    private int stagedEnd;
    private int framesStaged;
    private final StageLatencies stageLatencies;
    private final long[] pendingStamps;
    private int pendingTimed;

    /** Without stage-time recording. */
    public OutboundQueue(final int capacity, final int maxFrameLength, final Runnable wakeUp) {
        this(capacity, maxFrameLength, wakeUp, null);
    }

    /**
     * @param capacity       ring capacity in bytes, a power of two, at least 8 x {@code maxFrameLength}
     * @param maxFrameLength the largest frame, SOFH header included
     * @param wakeUp         tells the I/O thread there is something to send (called by producers)
     * @param stageLatencies where {@link #offerTimed} answers are recorded once written, or null
     */
    public OutboundQueue(final int capacity, final int maxFrameLength, final Runnable wakeUp,
                         final StageLatencies stageLatencies) {
        this.stageLatencies = stageLatencies;
        this.pendingStamps = stageLatencies == null ? null : new long[MAX_PENDING_STAMPS * STAMPS];
        this.ringBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH));
        this.ring = new ManyToOneRingBuffer(ringBuffer);
        if (ring.maxMsgLength() < maxFrameLength) {
            throw new IllegalArgumentException("capacity " + capacity + " cannot hold frames of " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
        this.wakeUp = wakeUp;
        this.staging = ByteBuffer.allocateDirect(Math.max(maxFrameLength, 64 * 1024));
        this.stagingBuffer = new UnsafeBuffer(staging);
    }

    /**
     * Frames and queues an SBE message. Any thread; never blocks.
     *
     * @return {@link #QUEUED}, {@link #FULL} or {@link #TOO_LARGE}
     */
    public int offer(final DirectBuffer message, final int offset, final int length) {
        final int frameLength = SofhHeader.LENGTH + length;
        if (length <= 0 || frameLength > maxFrameLength) {
            return TOO_LARGE;
        }
        final int index = ring.tryClaim(FRAME_MSG_TYPE, frameLength);
        if (index < 0) {
            overflowed = true;
            wakeUp.run();
            return FULL;
        }
        FrameEncoder.copy(ringBuffer, index, message, offset, length);
        ring.commit(index);
        wakeUp.run();
        return QUEUED;
    }

    /**
     * {@link #offer} for a push to a session that falls back to a catch-up on overflow: queued only while at least
     * {@link #ROOM_KEPT} bytes stay free after it (room for the CatchUp that tells the session, and for the I/O thread's
     * heartbeats), else refused without marking the queue overflowed. Any thread; never blocks.
     *
     * @return {@link #QUEUED}, {@link #FULL} (the queue is not overflowed) or {@link #TOO_LARGE}
     */
    public int offerKeepingRoom(final DirectBuffer message, final int offset, final int length) {
        final int frameLength = SofhHeader.LENGTH + length;
        if (length <= 0 || frameLength > maxFrameLength) {
            return TOO_LARGE;
        }
        // size() reads the consumer's position, which only moves on: the room it reports is at least what there is,
        // and pushes have one producer (the dispatch thread), so only the I/O thread's small replies can take some of it.
        // Twice the record: a claim that does not fit before the ring's end pads to it, which takes less than a record
        // (audit: with the room counted once, a 1,201-byte push padded 1,144 bytes and left 8 for the CatchUp)
        if (ring.capacity() - ring.size() < 2 * recordLength(frameLength) + ROOM_KEPT) {
            return FULL;
        }
        final int index = ring.tryClaim(FRAME_MSG_TYPE, frameLength);
        if (index < 0) {
            return FULL;
        }
        FrameEncoder.copy(ringBuffer, index, message, offset, length);
        ring.commit(index);
        wakeUp.run();
        return QUEUED;
    }

    /** What a frame takes in the ring: its record header, and alignment to the ring's record alignment. */
    private static int recordLength(final int frameLength) {
        return org.agrona.BitUtil.align(frameLength + org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH,
            org.agrona.concurrent.ringbuffer.RecordDescriptor.ALIGNMENT);
    }

    /**
     * {@link #offer} for an answer with the engine's stage times (System.nanoTime; {@code received}
     * 0 when there are none), recorded in {@link StageLatencies} once its socket write returns.
     * Any thread; never blocks.
     */
    public int offerTimed(final DirectBuffer message, final int offset, final int length, final long received,
                          final long journalStart, final long journaled, final long decided) {
        final int frameLength = SofhHeader.LENGTH + length;
        if (stageLatencies == null || received == 0 || length <= 0 || frameLength > maxFrameLength
                || STAMPS_LENGTH + frameLength > ring.maxMsgLength()) {
            return offer(message, offset, length);
        }
        final int index = ring.tryClaim(TIMED_FRAME_MSG_TYPE, STAMPS_LENGTH + frameLength);
        if (index < 0) {
            overflowed = true;
            wakeUp.run();
            return FULL;
        }
        ringBuffer.putLong(index, received);
        ringBuffer.putLong(index + Long.BYTES, journalStart);
        ringBuffer.putLong(index + 2 * Long.BYTES, journaled);
        ringBuffer.putLong(index + 3 * Long.BYTES, decided);
        ringBuffer.putLong(index + 4 * Long.BYTES, System.nanoTime());
        FrameEncoder.copy(ringBuffer, index + STAMPS_LENGTH, message, offset, length);
        ring.commit(index);
        wakeUp.run();
        return QUEUED;
    }

    /**
     * Claims room for a frame the caller encodes in place at the returned index of {@link #buffer()}
     * (I/O thread replies). Unlike {@link #offer} a full ring does not mark the queue overflowed.
     *
     * @return the index, or a negative value when there is no room
     */
    public int claim(final int frameLength) {
        return ring.tryClaim(FRAME_MSG_TYPE, frameLength);
    }

    /** The buffer claimed frames are encoded into. */
    public MutableDirectBuffer buffer() {
        return ringBuffer;
    }

    /** Publishes a claimed frame. */
    public void commit(final int index) {
        ring.commit(index);
    }

    /** Whether a producer found the ring full: the session must go. */
    public boolean overflowed() {
        return overflowed;
    }

    /** Whether anything waits to be written (I/O thread). */
    public boolean hasPending() {
        return stagedEnd > stagedStart || ring.producerPosition() != ring.consumerPosition();
    }

    /** Whether the socket took less than was staged: wait for it to become writable (I/O thread). */
    public boolean writeStalled() {
        return stagedEnd > stagedStart;
    }

    /**
     * Drops every queued frame not yet staged (a slow consumer being disconnected), so a last
     * Reject can follow what is already partly on the wire (I/O thread).
     */
    public void discardQueued() {
        while (ring.controlledRead(discarder) > 0) {
            // until empty
        }
    }

    /**
     * Empties the queue for a new connection (I/O thread): only for a queue no other thread can reach, one of a session
     * that never logged on (no other thread learns such a session's id), so the gateway reuses its buffers instead of
     * allocating a megabyte of direct memory per connection.
     */
    public void reset() {
        discardQueued();
        stagedStart = 0;
        stagedEnd = 0;
        framesStaged = 0;
        pendingTimed = 0;
        overflowed = false;
    }

    /**
     * Writes as much as the channel takes (I/O thread).
     *
     * @return bytes written, for counting; check {@link #hasPending()} for what is left
     */
    public int drainTo(final WritableByteChannel channel) throws IOException {
        int written = 0;
        while (true) {
            if (stagedEnd == stagedStart) {
                stagedStart = 0;
                stagedEnd = 0;
                if (ring.controlledRead(stager) == 0) {
                    return written;
                }
            }
            staging.limit(stagedEnd).position(stagedStart);
            final int n = channel.write(staging);
            written += n;
            stagedStart += n;
            if (stagedStart < stagedEnd) {
                return written;
            }
            if (pendingTimed > 0) {
                recordWritten(System.nanoTime());
            }
        }
    }

    /** Frames moved from the ring to the socket staging since the last call (I/O thread). */
    public int takeFramesStaged() {
        final int frames = framesStaged;
        framesStaged = 0;
        return frames;
    }

    private void recordWritten(final long now) {
        for (int i = 0; i < pendingTimed; i++) {
            final int at = i * STAMPS;
            stageLatencies.record(pendingStamps[at], pendingStamps[at + 1], pendingStamps[at + 2], pendingStamps[at + 3],
                pendingStamps[at + 4], now);
        }
        pendingTimed = 0;
    }

    private ControlledMessageHandler.Action stage(final int msgTypeId, final MutableDirectBuffer buffer,
                                                  final int index, final int length) {
        final boolean timed = msgTypeId == TIMED_FRAME_MSG_TYPE;
        final int frameIndex = timed ? index + STAMPS_LENGTH : index;
        final int frameLength = timed ? length - STAMPS_LENGTH : length;
        if (stagedEnd + frameLength > stagingBuffer.capacity()) {
            return ControlledMessageHandler.Action.ABORT;
        }
        if (timed && pendingTimed < MAX_PENDING_STAMPS) {
            final int at = pendingTimed * STAMPS;
            for (int k = 0; k < STAMPS; k++) {
                pendingStamps[at + k] = buffer.getLong(index + k * Long.BYTES);
            }
            pendingTimed++;
        }
        stagingBuffer.putBytes(stagedEnd, buffer, frameIndex, frameLength);
        stagedEnd += frameLength;
        framesStaged++;
        return ControlledMessageHandler.Action.CONTINUE;
    }
}

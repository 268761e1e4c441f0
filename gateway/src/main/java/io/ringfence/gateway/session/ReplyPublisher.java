package io.ringfence.gateway.session;

import io.ringfence.gateway.DisconnectReason;
import io.ringfence.gateway.frame.FrameEncoder;
import io.ringfence.gateway.frame.FrameError;
import io.ringfence.gateway.frame.SofhHeader;
import io.ringfence.sbe.HeartbeatEncoder;
import io.ringfence.sbe.LogonAckEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the gateway's own messages (LogonAck, Heartbeat, Reject) straight into a session's
 * {@link OutboundQueue}, in order with what the engine offers. I/O thread only; reuses its
 * flyweights, allocation-free. Each method returns false when the queue has no room, which only
 * happens to a session that is already too far behind.
 */
public final class ReplyPublisher {
    /** {@code seq} of a Reject the gateway sends: no engine sequence is involved. */
    public static final long NO_ENGINE_SEQUENCE = -1;

    private static final int HEADER = SofhHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;

    private final FrameEncoder frames = new FrameEncoder();
    private final LogonAckEncoder logonAck = new LogonAckEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final RejectEncoder reject = new RejectEncoder();
    private final int maxFrameBytes;
    private final int outboundBufferBytes;

    /** @param maxFrameBytes and {@code outboundBufferBytes}: the server's limits, told to each client in its LogonAck */
    public ReplyPublisher(final int maxFrameBytes, final int outboundBufferBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.outboundBufferBytes = outboundBufferBytes;
    }

    /** Queues a LogonAck for a client that just logged on. */
    public boolean logonAck(final OutboundQueue queue, final Client client, final long lastJournaledClientSeq,
                            final long lastJournaledFingerprint, final int heartbeatMillis, final long engineSeq) {
        final int index = queue.claim(HEADER + LogonAckEncoder.BLOCK_LENGTH);
        if (index < 0) {
            return false;
        }
        final MutableDirectBuffer buffer = queue.buffer();
        frames.begin(buffer, index, logonAck)
            .putClientId(client.wireId(), 0)
            .role(client.primaryRole())
            .lastJournaledClientSeq(lastJournaledClientSeq)
            .heartbeatMillis(heartbeatMillis)
            .engineSeq(engineSeq)
            .lastJournaledFingerprint(lastJournaledFingerprint)
            .maxFrameBytes(maxFrameBytes)
            .outboundBufferBytes(outboundBufferBytes);
        FrameEncoder.frame(buffer, index, logonAck);
        queue.commit(index);
        return true;
    }

    /** Queues a Heartbeat stamped with the wall-clock time. */
    public boolean heartbeat(final OutboundQueue queue, final long nowMicros) {
        final int index = queue.claim(HEADER + HeartbeatEncoder.BLOCK_LENGTH);
        if (index < 0) {
            return false;
        }
        final MutableDirectBuffer buffer = queue.buffer();
        frames.begin(buffer, index, heartbeat).sendTime(nowMicros);
        FrameEncoder.frame(buffer, index, heartbeat);
        queue.commit(index);
        return true;
    }

    /** Queues the Reject that goes before a disconnect. */
    public boolean reject(final OutboundQueue queue, final DisconnectReason reason, final long clientSeq) {
        final RejectCode code = reason.rejectCode();
        if (code == null) {
            return true;
        }
        final int index = beginReject(queue, code, clientSeq, reason.reasonLength());
        if (index < 0) {
            return false;
        }
        reason.putReason(reject);
        return endReject(queue, index);
    }

    /** Queues the Reject for a frame the decoder refused, its reason followed by {@code detail} (what was seen). */
    public boolean reject(final OutboundQueue queue, final FrameError error, final String detail) {
        final byte[] reason = (error.reason() + ": " + detail).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final int index = beginReject(queue, error.rejectCode(), 0, reason.length);
        if (index < 0) {
            return false;
        }
        reject.putReason(reason, 0, reason.length);
        return endReject(queue, index);
    }

    /**
     * Encodes a Reject into a plain buffer (for a connection refused before it has a queue).
     *
     * @return the frame length
     */
    public int reject(final MutableDirectBuffer buffer, final int offset, final DisconnectReason reason) {
        frames.begin(buffer, offset, reject)
            .seq(NO_ENGINE_SEQUENCE)
            .clientSeq(0)
            .code(reason.rejectCode());
        reason.putReason(reject);
        return FrameEncoder.frame(buffer, offset, reject);
    }

    private int beginReject(final OutboundQueue queue, final RejectCode code, final long clientSeq, final int reasonLength) {
        final int frameLength = HEADER + RejectEncoder.BLOCK_LENGTH + RejectEncoder.reasonHeaderLength() + reasonLength;
        final int index = queue.claim(frameLength);
        if (index >= 0) {
            frames.begin(queue.buffer(), index, reject)
                .seq(NO_ENGINE_SEQUENCE)
                .clientSeq(clientSeq)
                .code(code);
        }
        return index;
    }

    private boolean endReject(final OutboundQueue queue, final int index) {
        FrameEncoder.frame(queue.buffer(), index, reject);
        queue.commit(index);
        return true;
    }
}

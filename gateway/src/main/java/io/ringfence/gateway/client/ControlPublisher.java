package io.ringfence.gateway.client;

import io.ringfence.gateway.frame.FrameEncoder;
import io.ringfence.gateway.frame.SofhHeader;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.HeartbeatEncoder;
import io.ringfence.sbe.LogonEncoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OnOverflow;
import io.ringfence.sbe.SubscribeEncoder;
import io.ringfence.sbe.Topic;
import io.ringfence.sbe.UnsubscribeEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Encodes the client's session messages (Logon, Heartbeat, Subscribe, Unsubscribe) into a small
 * buffer of its own and writes them out. These are outside the exactly-once stream: they carry
 * client sequence 0, are never kept for resend, and are only started between two business frames.
 * I/O thread only; allocation-free apart from the filter text of a Subscribe.
 */
final class ControlPublisher {
    /** Client sequence of session messages: not part of the journaled sequence. */
    static final long SESSION_CLIENT_SEQ = 0;

    private static final int CAPACITY = 8 * 1024;
    private static final int HEADER = SofhHeader.LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;
    static final int SUBSCRIBE_FRAME = HEADER + SubscribeEncoder.BLOCK_LENGTH;
    static final int UNSUBSCRIBE_FRAME = HEADER + UnsubscribeEncoder.BLOCK_LENGTH;

    private final ByteBuffer bytes = ByteBuffer.allocateDirect(CAPACITY);
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private final FrameEncoder frames = new FrameEncoder();
    private final LogonEncoder logon = new LogonEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final SubscribeEncoder subscribe = new SubscribeEncoder();
    private final UnsubscribeEncoder unsubscribe = new UnsubscribeEncoder();
    private int filled;
    private int written;

    /** The longest secret that fits next to a Logon's fixed fields. */
    static int maxSecretBytes() {
        return CAPACITY - HEADER - LogonEncoder.BLOCK_LENGTH - LogonEncoder.secretHeaderLength();
    }

    /** Forgets anything not written (the connection is gone). */
    void reset() {
        filled = 0;
        written = 0;
    }

    boolean hasPending() {
        return written < filled;
    }

    /** Free bytes for more frames. */
    int room() {
        return CAPACITY - filled;
    }

    /**
     * A Logon; {@code answeredClientSeq}: every client sequence up to it has its answer here (0 at a first logon), so a
     * server restarted since, which forgot the refusals among them, expects the one after it (see the schema).
     */
    void logon(final byte[] wireClientId, final byte[] secret, final int heartbeatMillis, final long answeredClientSeq) {
        final LogonEncoder encoder = frames.begin(buffer, filled, logon)
            .clientSeq(SESSION_CLIENT_SEQ)
            .putClientId(wireClientId, 0)
            .heartbeatMillis(heartbeatMillis)
            .answeredClientSeq(answeredClientSeq);
        encoder.putSecret(secret, 0, secret.length);
        filled += FrameEncoder.frame(buffer, filled, encoder);
    }

    boolean heartbeat(final long nowMicros) {
        if (room() < HEADER + HeartbeatEncoder.BLOCK_LENGTH) {
            return false;
        }
        frames.begin(buffer, filled, heartbeat).sendTime(nowMicros);
        filled += FrameEncoder.frame(buffer, filled, heartbeat);
        return true;
    }

    void subscribe(final long subscriptionId, final Topic topic, final FilterKind filterKind, final String filter) {
        subscribe(subscriptionId, topic, filterKind, filter, -1, 0, 0);
    }

    /**
     * A Subscribe that resumes (see the schema); every Subscribe of this client asks for a catch-up rather than a
     * disconnect when its buffer on the server fills (onOverflow CATCH_UP): the session has seen every push up to engine sequence
     * {@code resumeAfterSeq} but those of that sequence after the first {@code resumeSkip}; {@code following}
     * more Subscribes of this resume come after it. {@code resumeAfterSeq} -1: live only.
     */
    void subscribe(final long subscriptionId, final Topic topic, final FilterKind filterKind, final String filter,
                   final long resumeAfterSeq, final int resumeSkip, final int following) {
        frames.begin(buffer, filled, subscribe)
            .clientSeq(SESSION_CLIENT_SEQ)
            .subscriptionId(subscriptionId)
            .topic(topic)
            .filterKind(filterKind)
            .filter(filter)
            .resumeAfterSeq(resumeAfterSeq)
            .resumeSkip(resumeSkip)
            .resumeFollowing(following)
            .onOverflow(OnOverflow.CATCH_UP); // it resumes after any incomplete CatchUp, the unasked one included
        filled += FrameEncoder.frame(buffer, filled, subscribe);
    }

    void unsubscribe(final long subscriptionId) {
        frames.begin(buffer, filled, unsubscribe)
            .clientSeq(SESSION_CLIENT_SEQ)
            .subscriptionId(subscriptionId);
        filled += FrameEncoder.frame(buffer, filled, unsubscribe);
    }

    /** Writes what is pending; returns bytes written. Resets the buffer once everything is out. */
    int writeTo(final WritableByteChannel channel) throws IOException {
        bytes.limit(filled).position(written);
        final int n = channel.write(bytes);
        written += n;
        if (written == filled) {
            reset();
        }
        return n;
    }
}

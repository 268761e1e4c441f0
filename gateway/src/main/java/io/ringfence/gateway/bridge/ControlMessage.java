package io.ringfence.gateway.bridge;

import io.ringfence.gateway.frame.MessageFingerprint;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of the gateway's control messages, which travel through the engine's ring (never the
 * journal) so they reach the dispatch thread in order with the outputs. One kind byte, padding to
 * 8, the resent message's {@link MessageFingerprint} (a long; 0 for the kinds that are not resends), then
 * the kind's payload (the client's SBE {@code Subscribe} / {@code Unsubscribe} message, or nothing for a
 * re-answer, a {@code Reject} for a refused resend). The ring slot's source id carries the session id for
 * subscriptions and the client key for re-answers; its client sequence is the message's.
 */
final class ControlMessage {
    static final byte SUBSCRIBE = 1;
    static final byte UNSUBSCRIBE = 2;
    /** The client resent a message already accounted for: answer it again from the answer store. */
    static final byte REANSWER = 3;
    /** A session ended: its subscriptions go. */
    static final byte SESSION_CLOSED = 4;
    /**
     * The client sent, under a sequence already accounted for, a message that is invalid now (payload: its
     * {@code Reject}): answered from the answer store when it holds that sequence (a resend is answered by what
     * the sequence was answered, whatever the bytes), else with the refusal, which is not stored (it must never
     * replace a journaled event's answer).
     */
    static final byte RESEND_REFUSED = 5;
    private static final int FINGERPRINT_OFFSET = 8;
    static final int PAYLOAD_OFFSET = 16;

    private ControlMessage() {
    }

    static int write(final MutableDirectBuffer target, final byte kind, final DirectBuffer payload, final int offset,
                     final int length) {
        return write(target, kind, 0, payload, offset, length);
    }

    /** A resend's control message: {@code fingerprint} is the resent message's. */
    static int write(final MutableDirectBuffer target, final byte kind, final long fingerprint, final DirectBuffer payload,
                     final int offset, final int length) {
        target.putLong(0, 0);
        target.putByte(0, kind);
        target.putLong(FINGERPRINT_OFFSET, fingerprint);
        if (length > 0) {
            target.putBytes(PAYLOAD_OFFSET, payload, offset, length);
        }
        return PAYLOAD_OFFSET + length;
    }

    static byte kind(final DirectBuffer buffer, final int offset) {
        return buffer.getByte(offset);
    }

    /** The resent message's fingerprint, 0 when not a resend. */
    static long fingerprint(final DirectBuffer buffer, final int offset) {
        return buffer.getLong(offset + FINGERPRINT_OFFSET);
    }
}
